import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../bots/cafe/catalog.ts";
import { addLine, priceCart, quantityInCart, removeLine, setLineQuantity, type Cart } from "./cart.ts";
import { indexCatalog } from "./catalog.ts";
import { CommerceError } from "./errors.ts";

const catalog = indexCatalog(cafeCatalog);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof CommerceError) return error.code;
    throw error;
  }
  return undefined;
}

describe("cart", () => {
  it("treats an option left to its default as that choice, so both land on one line", () => {
    let cart: Cart = [];
    cart = addLine(catalog, cart, { productId: "latte", options: {}, quantity: 1 });
    cart = addLine(catalog, cart, { productId: "latte", options: { size: "m" }, quantity: 2 });
    expect(cart).toEqual([{ productId: "latte", options: { size: "m" }, quantity: 3 }]);
  });

  it("refuses a merge that would take a line past the most one line may hold", () => {
    const cart = addLine(catalog, [], { productId: "espresso", options: {}, quantity: 95 });
    expect(codeOf(() => addLine(catalog, cart, { productId: "espresso", options: {}, quantity: 5 }))).toBe("invalid_quantity");
    expect(addLine(catalog, cart, { productId: "espresso", options: {}, quantity: 4 })).toEqual([{ productId: "espresso", options: {}, quantity: 99 }]);
  });

  it("merges a line with the same product and options, and keeps other options apart", () => {
    let cart: Cart = [];
    cart = addLine(catalog, cart, { productId: "latte", options: { size: "m" }, quantity: 2 });
    cart = addLine(catalog, cart, { productId: "croissant", options: {}, quantity: 1 });
    cart = addLine(catalog, cart, { productId: "latte", options: { size: "m" }, quantity: 3 });
    cart = addLine(catalog, cart, { productId: "latte", options: { size: "l" }, quantity: 1 });
    expect(cart).toEqual([
      { productId: "latte", options: { size: "m" }, quantity: 5 },
      { productId: "croissant", options: {}, quantity: 1 },
      { productId: "latte", options: { size: "l" }, quantity: 1 },
    ]);
    expect(quantityInCart(cart, "latte")).toBe(6);
  });

  it("never changes the cart it was given", () => {
    const one: Cart = Object.freeze([Object.freeze({ productId: "latte", options: { size: "m" }, quantity: 2 })]);
    const two = addLine(catalog, one, { productId: "latte", options: { size: "m" }, quantity: 1 });
    expect(one[0]?.quantity).toBe(2);
    expect(two[0]?.quantity).toBe(3);
    expect(setLineQuantity(two, 0, 7)[0]?.quantity).toBe(7);
    expect(removeLine(two, 0)).toEqual([]);
    expect(two).toHaveLength(1);
  });

  it("prices each line from the catalog with option deltas, in integer minor units", () => {
    const cart: Cart = [
      { productId: "latte", options: { size: "s" }, quantity: 3 },
      { productId: "cappuccino", options: { size: "l" }, quantity: 1 },
      { productId: "espresso", options: {}, quantity: 2 },
      { productId: "latte", options: {}, quantity: 1 },
    ];
    const priced = priceCart(catalog, cart);
    expect(priced.lines.map((l) => [l.name, l.optionLabels, l.unitPrice, l.lineTotal])).toEqual([
      ["Latte", ["S"], 290, 870],
      ["Cappuccino", ["L"], 350, 350],
      ["Espresso", [], 250, 500],
      ["Latte", ["M"], 320, 320],
    ]);
    expect(priced.total).toBe(2040);
    expect(priced.currency).toBe("EUR");
    for (const amount of [priced.total, ...priced.lines.flatMap((l) => [l.unitPrice, l.lineTotal])]) expect(Number.isInteger(amount)).toBe(true);
  });

  it("rejects an unknown option choice, an unknown option group and an unknown product", () => {
    expect(codeOf(() => addLine(catalog, [], { productId: "latte", options: { size: "xl" }, quantity: 1 }))).toBe("invalid_option");
    expect(codeOf(() => addLine(catalog, [], { productId: "latte", options: { milk: "oat" }, quantity: 1 }))).toBe("invalid_option");
    expect(codeOf(() => addLine(catalog, [], { productId: "croissant", options: { size: "m" }, quantity: 1 }))).toBe("invalid_option");
    expect(codeOf(() => addLine(catalog, [], { productId: "bagel", options: {}, quantity: 1 }))).toBe("unknown_product");
    expect(codeOf(() => priceCart(catalog, [{ productId: "latte", options: { size: "xl" }, quantity: 1 }]))).toBe("invalid_option");
  });

  it("rejects quantities that are not whole numbers from 1 to 99", () => {
    for (const quantity of [0, -1, 1.5, 100, Number.NaN]) {
      expect(codeOf(() => addLine(catalog, [], { productId: "espresso", options: {}, quantity })), `quantity ${quantity}`).toBe("invalid_quantity");
    }
    const cart: Cart = [{ productId: "espresso", options: {}, quantity: 1 }];
    expect(codeOf(() => setLineQuantity(cart, 0, 0))).toBe("invalid_quantity");
    expect(codeOf(() => setLineQuantity(cart, 1, 2))).toBe("invalid_quantity");
    expect(codeOf(() => removeLine(cart, 3))).toBe("invalid_quantity");
  });

  it("refuses a catalog whose prices are not integer minor units", () => {
    expect(() =>
      indexCatalog({ currency: "EUR", categories: [{ id: "d", name: "D" }], products: [{ id: "x", name: "X", category: "d", price: 3.2 }] }),
    ).toThrow(/integer number of minor units/);
    expect(() =>
      indexCatalog({
        currency: "EUR",
        categories: [{ id: "d", name: "D" }],
        products: [{ id: "x", name: "X", category: "d", price: 300, options: [{ id: "o", label: "O", choices: [{ id: "a", label: "A", priceDelta: 0.5 }] }] }],
      }),
    ).toThrow(/integer number of minor units/);
  });
});
