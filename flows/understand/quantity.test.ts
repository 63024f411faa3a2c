import { describe, expect, it } from "vitest";
import { readQuantity } from "./index.ts";

describe("readQuantity", () => {
  it("reads the issue's answers to the quantity question: two, 2 please", () => {
    expect(readQuantity("two")).toBe(2);
    expect(readQuantity("2 please")).toBe(2);
  });

  it("reads digits and number words in English, French and Chinese", () => {
    expect(readQuantity("7")).toBe(7);
    expect(readQuantity("１２")).toBe(12);
    expect(readQuantity("twelve")).toBe(12);
    expect(readQuantity("one please")).toBe(1);
    expect(readQuantity("deux s'il vous plaît")).toBe(2);
    expect(readQuantity("une")).toBe(1);
    expect(readQuantity("onze svp")).toBe(11);
    expect(readQuantity("两个")).toBe(2);
    expect(readQuantity("请给我三杯")).toBe(3);
    expect(readQuantity("十二")).toBe(12);
    expect(readQuantity("二十五份")).toBe(25);
  });

  it("reads x-quantities and corrections", () => {
    expect(readQuantity("x3")).toBe(3);
    expect(readQuantity("3x")).toBe(3);
    expect(readQuantity("no, 3")).toBe(3);
    expect(readQuantity("non, quatre")).toBe(4);
    expect(readQuantity("actually make it 5")).toBe(5);
    expect(readQuantity("不，三个")).toBe(3);
  });

  it("is undefined for what is not a quantity alone", () => {
    expect(readQuantity("2 lattes")).toBeUndefined();
    expect(readQuantity("two or three")).toBeUndefined();
    expect(readQuantity("2 and 3")).toBeUndefined();
    expect(readQuantity("0")).toBeUndefined();
    expect(readQuantity("not 3")).toBeUndefined();
    expect(readQuantity("please")).toBeUndefined();
    expect(readQuantity("")).toBeUndefined();
    // "fine" is a typo away from "five", and numbers are read exactly.
    expect(readQuantity("fine")).toBeUndefined();
  });

  it("reads the words that say what a number counts: two of them, j'en veux 4, disons 3", () => {
    expect(readQuantity("two of them")).toBe(2);
    expect(readQuantity("3 of those")).toBe(3);
    expect(readQuantity("one is enough")).toBe(1);
    expect(readQuantity("let's say 2")).toBe(2);
    expect(readQuantity("only one")).toBe(1);
    expect(readQuantity("j'en veux 4")).toBe(4);
    expect(readQuantity("mettez-en trois")).toBe(3);
    expect(readQuantity("il m'en faut 7")).toBe(7);
    expect(readQuantity("une seule")).toBe(1);
    expect(readQuantity("就一个")).toBe(1);
    expect(readQuantity("6 pièces")).toBe(6);
  });

  it("reads a couple, a dozen, une douzaine, 一打", () => {
    expect(readQuantity("a couple")).toBe(2);
    expect(readQuantity("a dozen")).toBe(12);
    expect(readQuantity("une douzaine")).toBe(12);
    expect(readQuantity("一打")).toBe(12);
  });

  it("is undefined for an amount of money or weight", () => {
    expect(readQuantity("10 €")).toBeUndefined();
    expect(readQuantity("250g")).toBeUndefined();
  });
});
