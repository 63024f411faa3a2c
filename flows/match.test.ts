import { describe, expect, it } from "vitest";
import { matchChoice, normalize, type ScreenChoice } from "./match.ts";

const drinks: ScreenChoice[] = [
  { label: "Espresso", payload: "product:espresso" },
  { label: "Latte", payload: "product:latte" },
  { label: "Cappuccino", payload: "product:cappuccino" },
  { label: "Pain au chocolat", payload: "product:pain-au-chocolat", aliases: ["chocolatine"] },
];

const pick = (input: string, choices: readonly ScreenChoice[] = drinks) => matchChoice(choices, input)?.payload;

describe("normalize", () => {
  it("folds case, accents, punctuation and spaces", () => {
    expect(normalize("  Latté!! ")).toBe("latte");
    expect(normalize("PAIN-au   Chocolat?")).toBe("pain au chocolat");
    expect(normalize("Crème brûlée")).toBe("creme brulee");
  });
});

describe("matchChoice", () => {
  it("matches a button's payload exactly", () => {
    expect(pick("product:cappuccino")).toBe("product:cappuccino");
  });

  it("matches a number as the position in the list", () => {
    expect(pick("1")).toBe("product:espresso");
    expect(pick(" 2 ")).toBe("product:latte");
    expect(pick("4")).toBe("product:pain-au-chocolat");
    expect(pick("5")).toBeUndefined();
    expect(pick("0")).toBeUndefined();
  });

  it("matches a label or an alias ignoring case and accents", () => {
    expect(pick("latte")).toBe("product:latte");
    expect(pick("LATTÉ")).toBe("product:latte");
    expect(pick("pain au chocolat")).toBe("product:pain-au-chocolat");
    expect(pick("Chocolatine")).toBe("product:pain-au-chocolat");
  });

  it("forgives one typo: a missing, extra or wrong letter", () => {
    expect(pick("lattee")).toBe("product:latte");
    expect(pick("latt")).toBe("product:latte");
    expect(pick("lstte")).toBe("product:latte");
    expect(pick("expresso")).toBe("product:espresso");
  });

  it("forgives two neighbouring letters swapped", () => {
    expect(pick("latet")).toBe("product:latte");
    expect(pick("cpapuccino")).toBe("product:cappuccino");
  });

  it("does not forgive two typos", () => {
    expect(pick("lotta")).toBeUndefined();
    expect(pick("capucino")).toBeUndefined();
  });

  it("gives up when two choices are equally close", () => {
    const twins: ScreenChoice[] = [
      { label: "Bagel", payload: "bagel" },
      { label: "Basel", payload: "basel" },
    ];
    expect(pick("Bazel", twins)).toBeUndefined();
    expect(pick("Bagel", twins)).toBe("bagel");
    const shared: ScreenChoice[] = [
      { label: "Small latte", payload: "s", aliases: ["latte"] },
      { label: "Large latte", payload: "l", aliases: ["latte"] },
    ];
    expect(pick("latte", shared)).toBeUndefined();
  });

  it("forgives no typo on short words", () => {
    const short: ScreenChoice[] = [
      { label: "Tea", payload: "tea" },
      { label: "S", payload: "s" },
      { label: "Yes", payload: "yes" },
    ];
    expect(pick("tea", short)).toBe("tea");
    expect(pick("s", short)).toBe("s");
    expect(pick("tex", short)).toBeUndefined();
    expect(pick("teas", short)).toBeUndefined();
    expect(pick("yess", short)).toBeUndefined();
  });

  it("matches nothing for blank or unrelated input", () => {
    expect(pick("")).toBeUndefined();
    expect(pick("  !? ")).toBeUndefined();
    expect(pick("pizza")).toBeUndefined();
  });
});
