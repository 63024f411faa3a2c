import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../../bots/cafe/catalog.ts";
import { indexCatalog } from "../../commerce/index.ts";
import { readOrder } from "./index.ts";

const cafe = indexCatalog(cafeCatalog);
const products = (text: string) => readOrder(text, cafe).items.map((item) => item.productId);

describe("readOrder: a question orders nothing", () => {
  it("reads no item from a sentence with a question word, and reports what it names as not understood", () => {
    for (const text of ["how much is a latte?", "how much is a latte", "do you have croissants", "vous avez des croissants ?", "c'est combien le café au lait", "拿铁多少钱", "有没有牛角面包"]) {
      expect(products(text), text).toEqual([]);
    }
    const reading = readOrder("how much is a latte?", cafe);
    expect(reading.unknown).toEqual(["how much is a latte"]);
    expect(reading.rule).toMatch(/^question; items: none/);
  });

  it("reads a yes/no question as one: is/does first, est-ce que, 吗 last, or a ? after words not understood", () => {
    for (const text of ["is the croissant fresh?", "does the latte have dairy", "les croissants sont frais ?", "牛角面包新鲜吗？"]) expect(products(text), text).toEqual([]);
  });

  it("reads what/quel as asking only in a sentence that ends with a question mark", () => {
    expect(products("what's in a cappuccino?")).toEqual([]);
    expect(products("What I'd really like is a cappuccino")).toEqual(["cappuccino"]);
  });

  it("still orders from a request asked as a question, and from a name said with a question mark", () => {
    expect(products("Could I please have a pain au chocolat?")).toEqual(["pain-au-chocolat"]);
    expect(products("je peux avoir un pain au chocolat ?")).toEqual(["pain-au-chocolat"]);
    expect(products("Vous me mettez un café au lait ?")).toEqual(["latte"]);
    expect(products("请问可以来一杯卡布奇诺吗？")).toEqual(["cappuccino"]);
    expect(products("espresso?")).toEqual(["espresso"]);
  });
});

describe("readOrder: what a negation refuses is not ordered", () => {
  it("refuses the items after a negation in its part of the sentence, and says them as not understood", () => {
    for (const text of ["I don't want a latte", "je ne veux pas de café au lait", "我不要拿铁", "今天不要牛角面包了"]) expect(products(text), text).toEqual([]);
    expect(readOrder("I don't want a latte", cafe).unknown).toEqual(["I don't want a latte"]);
  });

  it("keeps the items before the negation or in another part: 'but' and 'mais' separate", () => {
    expect(products("a latte but no croissant")).toEqual(["latte"]);
    expect(products("un café au lait mais pas de croissant")).toEqual(["latte"]);
    expect(products("一杯拿铁，不要牛角面包")).toEqual(["latte"]);
  });

  it("reads 'no' right before a product as refusing it, and 'no,' before a new order as a correction", () => {
    expect(products("no croissants today, thanks")).toEqual([]);
    expect(products("no, a latte")).toEqual(["latte"]);
  });
});
