import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../../bots/cafe/catalog.ts";
import { indexCatalog } from "../../commerce/index.ts";
import { readOrder, readQuantity } from "./index.ts";

const cafe = indexCatalog(cafeCatalog);
const items = (text: string) => readOrder(text, cafe).items.map((item) => `${item.productId}×${item.quantity ?? "?"}`);

describe("number words missing a letter, where a number is expected", () => {
  it("reads them alone at the quantity question, and right before a product", () => {
    expect(readQuantity("thre")).toBe(3);
    expect(readQuantity("sevn")).toBe(7);
    expect(readQuantity("troi")).toBe(3);
    expect(readQuantity("quatres")).toBe(4);
    expect(items("thre lattes")).toEqual(["latte×3"]);
    expect(items("troi expressos")).toEqual(["espresso×3"]);
  });

  it("does not read them elsewhere, nor a short number word without a letter, nor a changed letter", () => {
    expect(items("a latte thre")).toEqual(["latte×1"]);
    expect(readQuantity("thre lattes")).toBeUndefined();
    // "four" without a letter is "our" or "for"; "nice" has a letter changed, not missing.
    expect(items("our lattes")).toEqual(["latte×?"]);
    expect(items("nice lattes")).toEqual(["latte×?"]);
    expect(readQuantity("nice")).toBeUndefined();
  });
});

describe("readOrder: a couple, a dozen, une douzaine, 一打", () => {
  it("reads them as 2 and 12", () => {
    expect(items("a couple of croissants")).toEqual(["croissant×2"]);
    expect(items("a dozen croissants")).toEqual(["croissant×12"]);
    expect(items("une douzaine de croissants")).toEqual(["croissant×12"]);
    expect(items("一打牛角面包")).toEqual(["croissant×12"]);
  });
});
