import type { Catalog, OptionGroup, ShippingPolicy } from "../../commerce/index.ts";

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

/** Café Lumière's menu. Prices in euro cents; names in English, with French and Chinese beside; photos in images/. */
export const catalog: Catalog = {
  currency: "EUR",
  categories: [
    { id: "drinks", name: "Drinks", names: { fr: "Boissons", "zh-CN": "饮品" } },
    { id: "pastries", name: "Pastries", names: { fr: "Viennoiseries", "zh-CN": "糕点" } },
    { id: "take-home", name: "To take home", names: { fr: "À emporter chez soi", "zh-CN": "带回家" } },
  ],
  products: [
    {
      id: "espresso",
      name: "Espresso",
      names: { fr: "Expresso", "zh-CN": "浓缩咖啡" },
      // What people say when they mean the plain coffee; a whole alias wins over a part of "Café au lait".
      aliases: { en: ["coffee", "☕"], fr: ["café", "petit noir"], "zh-CN": ["咖啡"] },
      category: "drinks",
      price: 250,
      image: "images/espresso.jpg",
    },
    {
      id: "latte",
      name: "Latte",
      names: { fr: "Café au lait", "zh-CN": "拿铁" },
      aliases: { en: ["caffe latte"], fr: ["café crème", "crème"], "zh-CN": ["拿铁咖啡"] },
      category: "drinks",
      price: 320,
      options: [size],
      image: "images/latte.jpg",
    },
    { id: "cappuccino", name: "Cappuccino", names: { "zh-CN": "卡布奇诺" }, category: "drinks", price: 300, options: [size], image: "images/cappuccino.jpg" },
    { id: "croissant", name: "Croissant", names: { "zh-CN": "牛角面包" }, aliases: { en: ["🥐"], "zh-CN": ["可颂", "羊角面包"] }, category: "pastries", price: 180, stock: 12, image: "images/croissant.jpg" },
    {
      id: "pain-au-chocolat",
      name: "Pain au chocolat",
      names: { "zh-CN": "巧克力面包" },
      aliases: { en: ["chocolate croissant"], fr: ["chocolatine"], "zh-CN": ["巧克力可颂"] },
      category: "pastries",
      price: 210,
      stock: 0,
      image: "images/pain-au-chocolat.jpg",
    },
    // A digital product: on Telegram it must be paid in Stars (XTR), whole stars, ordered on its own.
    // Offered in the emulator too, where the test provider pays it, so the flow can be tried without Telegram.
    {
      id: "gift-card",
      name: "Gift card €10",
      names: { fr: "Carte cadeau 10 €", "zh-CN": "10 欧元礼品卡" },
      category: "take-home",
      price: 750,
      currency: "XTR",
      channels: ["telegram", "emulator"],
      // Cancelled from "my orders" within 14 days of payment, the Stars go back.
      refundableDays: 14,
    },
    // Goods that ship: only Telegram's invoice asks for a shipping address, so only Telegram offers them.
    {
      id: "beans",
      name: "Coffee beans 250 g",
      names: { fr: "Café en grains 250 g", "zh-CN": "咖啡豆 250 克" },
      category: "take-home",
      price: 950,
      stock: 20,
      ships: true,
      channels: ["telegram"],
    },
  ],
};

/** How the coffee beans are sent: by post to the Benelux, France and Germany, or next day within France. Prices in euro cents. */
export const shipping: ShippingPolicy = {
  countries: ["FR", "BE", "LU", "NL", "DE"],
  options: [
    { id: "post", label: "Post, 2–4 days", names: { fr: "La Poste, 2 à 4 jours", "zh-CN": "邮寄，2–4 天" }, price: 490 },
    { id: "express", label: "Express, next day", names: { fr: "Express, le lendemain", "zh-CN": "快递，次日达" }, price: 990, countries: ["FR"] },
  ],
};

/**
 * What a bot selling the cafe's menu needs besides its flows: the catalog,
 * its shipping policy, and the folder its product images are in. Tests that
 * build their own bot on this menu spread it into `defineBot`.
 */
export const shop = { catalog, shipping, folder: new URL(".", import.meta.url) } as const;
