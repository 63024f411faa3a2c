import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../../bots/cafe/catalog.ts";
import { indexCatalog } from "../../commerce/index.ts";
import { readOrder } from "./index.ts";

const cafe = indexCatalog(cafeCatalog);
/** `id×quantity`, "?" when no quantity was said. */
const items = (text: string) => readOrder(text, cafe).items.map((item) => `${item.productId}×${item.quantity ?? "?"}`);

describe("readOrder: one product read twice side by side is one mention", () => {
  it("reads a name whose last word is another name's part once", () => {
    expect(items("pain au chocolate")).toEqual(["pain-au-chocolat×?"]);
    expect(items("caffé au lait")).toEqual(["latte×?"]);
    expect(items("un grand café au lait au lait d'avoine")).toEqual(["latte×1"]);
  });

  it("still reads the same product twice when the customer says it twice", () => {
    expect(items("a latte and a latte")).toEqual(["latte×1", "latte×1"]);
  });
});

describe("readOrder: parts of names that name something else", () => {
  it("does not read one side of a linked name in a sentence: 'un chocolat' is a hot chocolate, 'du pain' bread", () => {
    expect(items("un chocolat")).toEqual([]);
    expect(items("du pain")).toEqual([]);
    expect(items("un pain aux raisins")).toEqual([]);
    // Typed alone, the word searches the menu.
    expect(items("chocolat")).toEqual(["pain-au-chocolat×?"]);
    // A part across the link is the name's own.
    expect(items("un pain au")).toEqual(["pain-au-chocolat×1"]);
  });

  it("does not read a part when another word stands where the name goes on", () => {
    expect(items("a chocolate muffin")).toEqual([]);
    expect(items("je paie avec ma carte bancaire")).toEqual([]);
    expect(items("巧克力蛋糕")).toEqual([]);
  });

  it("does not read a one-word part beside a word it does not understand", () => {
    expect(items("can I pay by card?")).toEqual([]);
    expect(items("my card was declined")).toEqual([]);
    expect(items("a hot chocolate")).toEqual([]);
  });

  it("reads a part where the name says nothing more, a typo of the name's word, and a short Chinese form", () => {
    expect(items("I want to buy coffee beans")).toEqual(["beans×?"]);
    expect(items("I'd like a gift card for my mum")).toEqual(["gift-card×1"]);
    expect(items("une carte cadeau pour ma mère")).toEqual(["gift-card×1"]);
    expect(items("café au lai")).toEqual(["latte×?"]);
    expect(items("牛角包")).toEqual(["croissant×?"]);
    expect(items("卡布其诺")).toEqual(["cappuccino×?"]);
  });
});

describe("readOrder: a number with a unit is an amount, not a quantity", () => {
  it("reads €10, 10 €, 10 euro, 10欧元 and 250g as part of what the item is", () => {
    expect(items("a €10 gift card")).toEqual(["gift-card×1"]);
    expect(items("the 10 euro gift card")).toEqual(["gift-card×?"]);
    expect(items("la carte cadeau de 10 €")).toEqual(["gift-card×?"]);
    expect(items("那张10欧元的礼品卡")).toEqual(["gift-card×?"]);
    expect(items("250g coffee beans")).toEqual(["beans×?"]);
    expect(items("2 bags of 250 g coffee beans")).toEqual(["beans×2"]);
  });

  it("keeps the units out of names' parts: 克 of 巧克力 is no gram", () => {
    expect(items("巧克力面包")).toEqual(["pain-au-chocolat×?"]);
    expect(items("巧克立面包")).toEqual(["pain-au-chocolat×?"]);
  });
});
