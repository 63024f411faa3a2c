import { describe, expect, it } from "vitest";
import { tokenize } from "./tokens.ts";

const keys = (text: string) => tokenize(text).map((t) => t.key);

describe("tokenize", () => {
  it("cuts words, digits, single Chinese characters, emoji and the marks that join items", () => {
    expect(keys("Hi, 2x Lattés ☕ & 两杯大杯拿铁、一个")).toEqual(["hi", ",", "2", "x", "lattes", "☕", "&", "两", "杯", "大", "杯", "拿", "铁", "、", "一", "个"]);
  });

  it("folds full-width forms and the emoji presentation selector", () => {
    expect(keys("２ ＬＡＴＴＥ，☕️")).toEqual(["2", "latte", ",", "☕"]);
  });

  it("keeps where each token is, so the words can be given back as typed", () => {
    const text = "deux Cafés au lait";
    expect(tokenize(text).map((t) => text.slice(t.start, t.end))).toEqual(["deux", "Cafés", "au", "lait"]);
  });

  it("marks the letters beside an apostrophe", () => {
    expect(tokenize("l'expresso let's s’il").map((t) => [t.key, t.clitic])).toEqual([
      ["l", true],
      ["expresso", true],
      ["let", true],
      ["s", true],
      ["s", true],
      ["il", true],
    ]);
    expect(tokenize("a latte L").map((t) => t.clitic)).toEqual([false, false, false]);
  });
});
