import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../../bots/cafe/catalog.ts";
import { indexCatalog } from "../../commerce/index.ts";
import { readOrder } from "./index.ts";

const cafe = indexCatalog(cafeCatalog);
/** `id×quantity(group=choice)`, "?" when no quantity was said. */
function items(text: string): string[] {
  return readOrder(text, cafe).items.map((item) => {
    const chosen = Object.entries(item.options).map(([group, choice]) => `${group}=${choice}`);
    return `${item.productId}×${item.quantity ?? "?"}${chosen.length > 0 ? `(${chosen.join(",")})` : ""}`;
  });
}

describe("readOrder: shares of one item with their own options", () => {
  it("splits an item into the shares that follow it: 2 lattes, one large and one small", () => {
    expect(items("2 lattes, one large and one small")).toEqual(["latte×1(size=l)", "latte×1(size=s)"]);
    expect(items("2 cafés au lait, un grand et un petit")).toEqual(["latte×1(size=l)", "latte×1(size=s)"]);
    expect(items("两杯拿铁，一杯大杯一杯小杯")).toEqual(["latte×1(size=l)", "latte×1(size=s)"]);
    expect(readOrder("2 lattes, one large and one small", cafe).unknown).toEqual([]);
  });

  it("leaves the item the rest when the shares are fewer, and takes the shares alone when it said no number", () => {
    expect(items("3 lattes, one large")).toEqual(["latte×2", "latte×1(size=l)"]);
    expect(items("lattes, one large and two small")).toEqual(["latte×1(size=l)", "latte×2(size=s)"]);
  });

  it("does not read shares of more than the item, nor options the item does not have", () => {
    expect(items("a latte, two large")).toEqual(["latte×1"]);
    expect(readOrder("a latte, two large", cafe).unknown).toEqual(["two large"]);
    expect(items("2 croissants, one large")).toEqual(["croissant×2"]);
  });
});
