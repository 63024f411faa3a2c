import type { Catalog, OptionGroup } from "../../commerce/index.ts";

const size: OptionGroup = {
  id: "size",
  label: "Size",
  names: { fr: "Taille", "zh-CN": "杯型" },
  default: "m",
  choices: [
    { id: "s", label: "S", names: { "zh-CN": "小杯" }, priceDelta: -30 },
    { id: "m", label: "M", names: { "zh-CN": "中杯" }, priceDelta: 0 },
    { id: "l", label: "L", names: { "zh-CN": "大杯" }, priceDelta: 50 },
  ],
};

/** Café Lumière's menu. Prices in euro cents; names in English, with French and Chinese beside. */
export const catalog: Catalog = {
  currency: "EUR",
  categories: [
    { id: "drinks", name: "Drinks", names: { fr: "Boissons", "zh-CN": "饮品" } },
    { id: "pastries", name: "Pastries", names: { fr: "Viennoiseries", "zh-CN": "糕点" } },
  ],
  products: [
    { id: "espresso", name: "Espresso", names: { fr: "Expresso", "zh-CN": "浓缩咖啡" }, category: "drinks", price: 250 },
    { id: "latte", name: "Latte", names: { fr: "Café au lait", "zh-CN": "拿铁" }, category: "drinks", price: 320, options: [size] },
    { id: "cappuccino", name: "Cappuccino", names: { "zh-CN": "卡布奇诺" }, category: "drinks", price: 300, options: [size] },
    { id: "croissant", name: "Croissant", names: { "zh-CN": "牛角面包" }, category: "pastries", price: 180, stock: 12 },
    { id: "pain-au-chocolat", name: "Pain au chocolat", names: { "zh-CN": "巧克力面包" }, category: "pastries", price: 210, stock: 0 },
  ],
};
