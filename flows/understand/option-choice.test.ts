import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../../bots/cafe/catalog.ts";
import type { OptionGroup } from "../../commerce/index.ts";
import { readOptionChoice } from "./index.ts";

const size = cafeCatalog.products.find((p) => p.id === "latte")?.options?.find((g) => g.id === "size");
if (!size) throw new Error("the cafe's latte has no size");
const cafeSize: OptionGroup = size;

const milk: OptionGroup = {
  id: "milk",
  label: "Milk",
  names: { fr: "Lait" },
  choices: [
    { id: "whole", label: "Whole milk", names: { fr: "Lait entier", "zh-CN": "全脂奶" }, priceDelta: 0 },
    { id: "oat", label: "Oat milk", names: { fr: "Lait d'avoine", "zh-CN": "燕麦奶" }, aliases: { en: ["oat"] }, priceDelta: 40 },
    { id: "soy", label: "Soy milk", names: { fr: "Lait de soja" }, aliases: { en: ["soya"] }, priceDelta: 40 },
  ],
};

describe("readOptionChoice", () => {
  it("reads the cafe's sizes by built-in size words, label, id and Chinese name", () => {
    expect(readOptionChoice("large", cafeSize)).toBe("l");
    expect(readOptionChoice("a large one please", cafeSize)).toBe("l");
    expect(readOptionChoice("grand", cafeSize)).toBe("l");
    expect(readOptionChoice("un petit s'il vous plaît", cafeSize)).toBe("s");
    expect(readOptionChoice("moyen", cafeSize)).toBe("m");
    expect(readOptionChoice("大杯", cafeSize)).toBe("l");
    expect(readOptionChoice("我要中杯", cafeSize)).toBe("m");
    expect(readOptionChoice("小", cafeSize)).toBe("s");
    expect(readOptionChoice("M", cafeSize)).toBe("m");
    expect(readOptionChoice("medium please", cafeSize)).toBe("m");
    expect(readOptionChoice("a large latte", cafeSize)).toBe("l");
  });

  it("forgives a typo", () => {
    expect(readOptionChoice("lareg", cafeSize)).toBe("l");
    expect(readOptionChoice("smal", cafeSize)).toBe("s");
  });

  it("reads choices by label, name in any locale, alias, in each language", () => {
    expect(readOptionChoice("oat milk", milk)).toBe("oat");
    expect(readOptionChoice("with oat please", milk)).toBe("oat");
    expect(readOptionChoice("lait d'avoine", milk)).toBe("oat");
    expect(readOptionChoice("燕麦奶", milk)).toBe("oat");
    expect(readOptionChoice("soya", milk)).toBe("soy");
    expect(readOptionChoice("whole", milk)).toBe("whole");
  });

  it("is undefined when nothing is named, two choices are, or the choice is refused", () => {
    expect(readOptionChoice("latte", cafeSize)).toBeUndefined();
    expect(readOptionChoice("small or large", cafeSize)).toBeUndefined();
    expect(readOptionChoice("not large", cafeSize)).toBeUndefined();
    expect(readOptionChoice("pas grand", cafeSize)).toBeUndefined();
    // "milk" is in every choice's label: it names none of them.
    expect(readOptionChoice("milk", milk)).toBeUndefined();
    expect(readOptionChoice("large", milk)).toBeUndefined();
  });

  it("never takes the l of l' or the s of let's for a size", () => {
    expect(readOptionChoice("l'autre", cafeSize)).toBeUndefined();
    expect(readOptionChoice("let's see", cafeSize)).toBeUndefined();
  });

  it("does not read size words into a group whose choices are not sizes", () => {
    const lactose: OptionGroup = {
      id: "lactose",
      label: "Lactose",
      choices: [
        { id: "l", label: "Lactose-free", priceDelta: 0 },
        { id: "regular", label: "Regular", priceDelta: 0 },
      ],
    };
    expect(readOptionChoice("large", lactose)).toBeUndefined();
    expect(readOptionChoice("regular", lactose)).toBe("regular");
  });

  it("lets the customer's language decide between two choices a phrase names", () => {
    const grind: OptionGroup = {
      id: "grind",
      label: "Grind",
      choices: [
        { id: "fine", label: "Espresso grind", aliases: { en: ["fin"] }, priceDelta: 0 },
        { id: "coarse", label: "French press", aliases: { fr: ["fin"] }, priceDelta: 0 },
      ],
    };
    expect(readOptionChoice("fin", grind)).toBeUndefined();
    expect(readOptionChoice("fin", grind, "fr")).toBe("coarse");
  });

  it("reads regular and normal as the middle of a size group, and the superlatives as its ends", () => {
    expect(readOptionChoice("regular", cafeSize)).toBe("m");
    expect(readOptionChoice("taille normale", cafeSize)).toBe("m");
    expect(readOptionChoice("the biggest one", cafeSize)).toBe("l");
    expect(readOptionChoice("the smallest", cafeSize)).toBe("s");
  });
});
