import type { Catalog, OptionGroup } from "../../commerce/index.ts";

const size: OptionGroup = {
  id: "size",
  label: "Size",
  default: "m",
  choices: [
    { id: "s", label: "S", priceDelta: -30 },
    { id: "m", label: "M", priceDelta: 0 },
    { id: "l", label: "L", priceDelta: 50 },
  ],
};

/** Café Lumière's menu. Prices in euro cents. */
export const catalog: Catalog = {
  currency: "EUR",
  categories: [
    { id: "drinks", name: "Drinks" },
    { id: "pastries", name: "Pastries" },
  ],
  products: [
    { id: "espresso", name: "Espresso", category: "drinks", price: 250 },
    { id: "latte", name: "Latte", category: "drinks", price: 320, options: [size] },
    { id: "cappuccino", name: "Cappuccino", category: "drinks", price: 300, options: [size] },
    { id: "croissant", name: "Croissant", category: "pastries", price: 180, stock: 12 },
    { id: "pain-au-chocolat", name: "Pain au chocolat", category: "pastries", price: 210, stock: 0 },
  ],
};
