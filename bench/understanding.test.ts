// The scorer itself, with a parser whose answers are known: what counts as
// right, wrong and missed, per kind and per language.
import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../bots/cafe/catalog.ts";
import { indexCatalog } from "../commerce/index.ts";
import type { OrderReading, UnderstoodItem } from "../flows/understand/index.ts";
import type { Corpus, CorpusEntry, LabelledSentence } from "./corpus.ts";
import { accuracy, describeMismatches, judge, scoreCorpus, totalScore, type Understanding } from "./understanding.ts";
import { runUnderstandingBench } from "./workloads/understanding.ts";

const catalog = indexCatalog(cafeCatalog);

/** A parser that answers from a table; anything not in it is not understood. */
function scripted(answers: Readonly<Record<string, readonly UnderstoodItem[] | number | string>>): Understanding {
  const answer = (text: string) => answers[text];
  return {
    readOrder: (text): OrderReading => {
      const items = answer(text);
      return { items: Array.isArray(items) ? items : [], unknown: [], rule: "scripted" };
    },
    readQuantity: (text) => {
      const n = answer(text);
      return typeof n === "number" ? n : undefined;
    },
    readOptionChoice: (text) => {
      const choice = answer(text);
      return typeof choice === "string" ? choice : undefined;
    },
  };
}

const item = (productId: string, quantity?: number, options: Record<string, string> = {}): UnderstoodItem => ({ productId, ...(quantity === undefined ? {} : { quantity }), options, words: productId });

function corpus(locale: string, sentences: readonly CorpusEntry[]): Corpus {
  return { file: `${locale}.yaml`, locale, sentences: sentences.map((s, i) => ({ ...s, line: i + 1 })) };
}

describe("scoreCorpus", () => {
  it("scores a corpus with one right and one wrong reading at 50 %", () => {
    const tiny = corpus("en", [
      { text: "2 lattes please", kind: "items", expect: [{ product: "latte", quantity: 2 }] },
      { text: "a large cappuccino", kind: "items", expect: [{ product: "cappuccino", quantity: 1, options: { size: "l" } }] },
    ]);
    const score = scoreCorpus(tiny, catalog, scripted({ "2 lattes please": [item("latte", 2)], "a large cappuccino": [item("cappuccino", 1, { size: "s" })] }));
    expect(accuracy(score)).toBe(0.5);
    expect(score).toMatchObject({ sentences: 2, right: 1, wrong: 1, missed: 0 });
    expect(score.mismatches).toEqual([
      { line: 2, text: "a large cappuccino", kind: "items", outcome: "wrong", expected: "1 × cappuccino (size l)", got: "1 × cappuccino (size s)" },
    ]);
    expect(describeMismatches(score)).toBe('en.yaml:2 items "a large cappuccino": expected 1 × cappuccino (size l), got 1 × cappuccino (size s) (WRONG)');
  });

  it("tells sentences understood wrongly from those not understood, per kind", () => {
    const mixed = corpus("fr", [
      { text: "deux croissants", kind: "items", expect: [{ product: "croissant", quantity: 2 }] },
      { text: "un pain au chocolat", kind: "items", expect: [{ product: "pain-au-chocolat" }] },
      { text: "deux", kind: "quantity", expect: 2 },
      { text: "trois", kind: "quantity", expect: 3 },
      { text: "beaucoup", kind: "quantity", expect: null },
      { text: "grand", kind: "option", group: "size", expect: "l" },
      { text: "une pizza", kind: "nothing" },
      { text: "un chocolat chaud", kind: "nothing" },
    ]);
    const score = scoreCorpus(
      mixed,
      catalog,
      scripted({ "deux croissants": [item("croissant", 2)], deux: 2, trois: 4, beaucoup: 10, grand: "l", "un chocolat chaud": [item("pain-au-chocolat")] }),
    );
    expect(score.byKind).toEqual({
      items: { sentences: 2, right: 1, wrong: 0, missed: 1 },
      quantity: { sentences: 3, right: 1, wrong: 2, missed: 0 },
      option: { sentences: 1, right: 1, wrong: 0, missed: 0 },
      nothing: { sentences: 2, right: 1, wrong: 1, missed: 0 },
    });
    expect(score).toMatchObject({ sentences: 8, right: 4, wrong: 3, missed: 1 });
    expect(score.mismatches.map((m) => [m.text, m.outcome, m.expected, m.got])).toEqual([
      ["un pain au chocolat", "missed", "1 × pain-au-chocolat", "nothing"],
      ["trois", "wrong", "3", "4"],
      ["beaucoup", "wrong", "nothing", "10"],
      ["un chocolat chaud", "wrong", "nothing", "1 × pain-au-chocolat"],
    ]);
  });

  it("adds languages up, overall and per kind", () => {
    const en = scoreCorpus(corpus("en", [{ text: "latte", kind: "items", expect: [{ product: "latte" }] }]), catalog, scripted({ latte: [item("latte")] }));
    const zh = scoreCorpus(corpus("zh-CN", [{ text: "两", kind: "quantity", expect: 2 }, { text: "拿铁", kind: "items", expect: [{ product: "latte" }] }]), catalog, scripted({}));
    const total = totalScore([en, zh]);
    expect(total).toMatchObject({ sentences: 3, right: 1, wrong: 0, missed: 2 });
    expect(total.byKind.items).toEqual({ sentences: 2, right: 1, wrong: 0, missed: 1 });
    expect(accuracy(total.byKind.option)).toBeNaN();
  });
});

describe("judge", () => {
  const large: LabelledSentence = { text: "a large latte", kind: "items", expect: [{ product: "latte", quantity: 1, options: { size: "l" } }], line: 1 };

  it("compares the cart line: no quantity said is one, no size said is the default", () => {
    const plain: LabelledSentence = { text: "latte", kind: "items", expect: [{ product: "latte" }], line: 1 };
    expect(judge(plain, [{ productId: "latte", quantity: 1, options: { size: "m" } }], catalog).outcome).toBe("right");
    expect(judge(plain, [{ productId: "latte", options: {} }], catalog).outcome).toBe("right");
    expect(judge(large, [{ productId: "latte", options: { size: "l" } }], catalog).outcome).toBe("right");
    expect(judge(large, [{ productId: "latte", quantity: 2, options: { size: "l" } }], catalog)).toEqual({ outcome: "wrong", expected: "1 × latte (size l)", got: "2 × latte (size l)" });
  });

  it("counts items in the wrong order, extra items and impossible options as wrong", () => {
    const two: LabelledSentence = { text: "a latte and a croissant", kind: "items", expect: [{ product: "latte" }, { product: "croissant" }], line: 1 };
    expect(judge(two, [{ productId: "croissant", options: {} }, { productId: "latte", options: {} }], catalog).outcome).toBe("wrong");
    expect(judge(large, [{ productId: "latte", options: { size: "l" } }, { productId: "croissant", options: {} }], catalog).outcome).toBe("wrong");
    const impossible = judge(large, [{ productId: "latte", options: { size: "xl" } }], catalog);
    expect(impossible.outcome).toBe("wrong");
    expect(impossible.got).toMatch(/^1 × latte \{"size":"xl"\} \(/);
  });
});

describe("runUnderstandingBench", () => {
  it("reads the cafe's three corpora and reports well-formed figures (no accuracy or timing asserted)", () => {
    const figures = runUnderstandingBench();
    expect(figures.languages.map((l) => l.locale)).toEqual(["en", "fr", "zh-CN"]);
    for (const row of [...figures.languages, figures.all]) {
      expect(row.sentences).toBeGreaterThanOrEqual(300);
      expect(row.accuracy).toBeGreaterThanOrEqual(0);
      expect(row.wrong + row.missed).toBeLessThanOrEqual(row.sentences);
      expect(row.p99Us).toBeGreaterThanOrEqual(row.p50Us);
      expect(Object.values(row.byKind).reduce((n, k) => n + k.sentences, 0)).toBe(row.sentences);
    }
    expect(figures.all.sentences).toBe(figures.languages.reduce((n, l) => n + l.sentences, 0));
  });
});
