import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../../bots/cafe/catalog.ts";
import { indexCatalog } from "../../commerce/index.ts";
import { readCorrection } from "./index.ts";

const cafe = indexCatalog(cafeCatalog);
const afterLatte = { lastProductId: "latte" };

describe("readCorrection", () => {
  it("reads a removal of a product in English, French and Chinese", () => {
    for (const sentence of ["remove the croissants", "no croissants after all", "enlève les croissants", "删除牛角面包", "please remove the croissant", "no, remove the croissants", "cancel the croissants", "取消牛角面包"]) {
      expect(readCorrection(sentence, cafe, afterLatte), sentence).toEqual({ kind: "remove", productId: "croissant" });
    }
    expect(readCorrection("actually remove the latte", cafe, { lastProductId: "croissant" })).toEqual({ kind: "remove", productId: "latte" });
    expect(readCorrection("删除拿铁", cafe, { locale: "zh-CN" })).toEqual({ kind: "remove", productId: "latte" });
    for (const sentence of ["no more croissants", "不要牛角面包了", "remove the croissant from my order"]) {
      expect(readCorrection(sentence, cafe), sentence).toEqual({ kind: "remove", productId: "croissant" });
    }
    expect(readCorrection("retire le café au lait", cafe, { locale: "fr" })).toEqual({ kind: "remove", productId: "latte" });
  });

  it("reads a change of the last line's option", () => {
    for (const sentence of ["actually make it large", "make it a large", "plutôt un grand", "改成大杯", "no, large", "make it a large latte"]) {
      expect(readCorrection(sentence, cafe, afterLatte), sentence).toEqual({ kind: "option", groupId: "size", choiceId: "l" });
    }
    expect(readCorrection("actually make it small", cafe, afterLatte)).toEqual({ kind: "option", groupId: "size", choiceId: "s" });
    expect(readCorrection("change it to medium", cafe, afterLatte)).toEqual({ kind: "option", groupId: "size", choiceId: "m" });
    expect(readCorrection("换成中杯", cafe, afterLatte)).toEqual({ kind: "option", groupId: "size", choiceId: "m" });
  });

  it("reads a change of the last line's quantity", () => {
    for (const sentence of ["no, 3", "make it 3", "actually 3", "plutôt 3", "改成3个", "make it three", "non, trois", "改成三个"]) {
      expect(readCorrection(sentence, cafe, afterLatte), sentence).toEqual({ kind: "quantity", quantity: 3 });
    }
  });

  it("refuses what is no correction", () => {
    const refused = [
      "2 lattes", // an order
      "remove", // names nothing
      "remove the", // names nothing
      "no", // a plain no
      "no thanks",
      "3", // a number without a correction word
      "large", // an option without a correction word
      "actually", // a correction of nothing
      "no, 0", // no quantity
      "make it 3 lattes", // an order said after a correction
      "don't remove the latte", // a refusal of the removal
      "remove the croissants and the latte", // two things to remove
      "actually make it pizza", // not understood
      "how much is a large latte?", // a question
      "make it large and small", // two choices
    ];
    for (const sentence of refused) expect(readCorrection(sentence, cafe, afterLatte), sentence).toBeUndefined();
  });

  it("changes nothing of a line it cannot know: no last line, or an option its product lacks", () => {
    expect(readCorrection("make it large", cafe)).toBeUndefined();
    expect(readCorrection("no, 3", cafe)).toBeUndefined();
    expect(readCorrection("make it large", cafe, { lastProductId: "croissant" })).toBeUndefined();
  });
});
