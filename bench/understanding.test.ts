// The scorer itself, with a parser whose answers are known: what counts as
// right, wrong and missed, per kind and per language.
import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../bots/cafe/catalog.ts";
import { calendar as salonCalendar } from "../bots/salon/calendar.ts";
import { indexCatalog } from "../commerce/index.ts";
import type { BookingReading, Intent, OrderReading, ReadBookingOptions, UnderstoodItem } from "../flows/understand/index.ts";
import type { Corpus, CorpusBot, CorpusEntry, LabelledSentence } from "./corpus.ts";
import { accuracy, describeMismatches, intentLabel, judge, readSentence, scoreCorpus, totalScore, type Understanding } from "./understanding.ts";
import { runUnderstandingBench } from "./workloads/understanding.ts";

const catalog = indexCatalog(cafeCatalog);
const cafe: CorpusBot = { catalog };
const salon: CorpusBot = { calendar: salonCalendar };
const NOW = new Date("2026-12-07T09:00:00Z");

type BookingFields = Omit<BookingReading, "unknown" | "rule">;

/**
 * A parser that answers from tables; anything not in them is not understood.
 * Bookings and intents have tables of their own, as a sentence may be read
 * both ways; `asked` records the options each booking was read with.
 */
function scripted(
  answers: Readonly<Record<string, readonly UnderstoodItem[] | number | string>>,
  more: { readonly bookings?: Readonly<Record<string, BookingFields>>; readonly intents?: Readonly<Record<string, Intent>>; readonly asked?: ReadBookingOptions[] } = {},
): Understanding {
  const answer = (text: string) => answers[text];
  return {
    readBooking: (text, _calendar, options): BookingReading => {
      more.asked?.push(options);
      return { ...more.bookings?.[text], unknown: [], rule: "scripted" };
    },
    readIntent: (text) => more.intents?.[text],
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

function corpus(locale: string, sentences: readonly CorpusEntry[], now?: Date): Corpus {
  return { file: `${locale}.yaml`, locale, ...(now ? { now } : {}), sentences: sentences.map((s, i) => ({ ...s, line: i + 1 })) };
}

describe("scoreCorpus", () => {
  it("scores a corpus with one right and one wrong reading at 50 %", () => {
    const tiny = corpus("en", [
      { text: "2 lattes please", kind: "items", expect: [{ product: "latte", quantity: 2 }] },
      { text: "a large cappuccino", kind: "items", expect: [{ product: "cappuccino", quantity: 1, options: { size: "l" } }] },
    ]);
    const score = scoreCorpus(tiny, cafe, scripted({ "2 lattes please": [item("latte", 2)], "a large cappuccino": [item("cappuccino", 1, { size: "s" })] }));
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
      cafe,
      scripted({ "deux croissants": [item("croissant", 2)], deux: 2, trois: 4, beaucoup: 10, grand: "l", "un chocolat chaud": [item("pain-au-chocolat")] }),
    );
    expect(score.byKind).toEqual({
      items: { sentences: 2, right: 1, wrong: 0, missed: 1 },
      quantity: { sentences: 3, right: 1, wrong: 2, missed: 0 },
      option: { sentences: 1, right: 1, wrong: 0, missed: 0 },
      booking: { sentences: 0, right: 0, wrong: 0, missed: 0 },
      intent: { sentences: 0, right: 0, wrong: 0, missed: 0 },
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
    const en = scoreCorpus(corpus("en", [{ text: "latte", kind: "items", expect: [{ product: "latte" }] }]), cafe, scripted({ latte: [item("latte")] }));
    const zh = scoreCorpus(corpus("zh-CN", [{ text: "两", kind: "quantity", expect: 2 }, { text: "拿铁", kind: "items", expect: [{ product: "latte" }] }]), cafe, scripted({}));
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
    expect(judge(plain, [{ productId: "latte", quantity: 1, options: { size: "m" } }], cafe).outcome).toBe("right");
    expect(judge(plain, [{ productId: "latte", options: {} }], cafe).outcome).toBe("right");
    expect(judge(large, [{ productId: "latte", options: { size: "l" } }], cafe).outcome).toBe("right");
    expect(judge(large, [{ productId: "latte", quantity: 2, options: { size: "l" } }], cafe)).toEqual({ outcome: "wrong", expected: "1 × latte (size l)", got: "2 × latte (size l)" });
  });

  it("counts items in the wrong order, extra items and impossible options as wrong", () => {
    const two: LabelledSentence = { text: "a latte and a croissant", kind: "items", expect: [{ product: "latte" }, { product: "croissant" }], line: 1 };
    expect(judge(two, [{ productId: "croissant", options: {} }, { productId: "latte", options: {} }], cafe).outcome).toBe("wrong");
    expect(judge(large, [{ productId: "latte", options: { size: "l" } }, { productId: "croissant", options: {} }], cafe).outcome).toBe("wrong");
    const impossible = judge(large, [{ productId: "latte", options: { size: "xl" } }], cafe);
    expect(impossible.outcome).toBe("wrong");
    expect(impossible.got).toMatch(/^1 × latte \{"size":"xl"\} \(/);
  });
});

describe("bookings, intents and nothing", () => {
  const bookings = corpus(
    "en-GB",
    [
      { text: "a haircut with Ana tomorrow at 10", kind: "booking", expect: { service: "haircut", resource: "ana", day: "2026-12-08", time: "10:00" } },
      { text: "anyone friday afternoon", kind: "booking", expect: { resource: "any", day: "2026-12-11", part: "afternoon" } },
      { text: "beard at 9:05", kind: "booking", expect: { service: "beard", time: "09:05" } },
      { text: "colour tomorrow", kind: "booking", expect: { service: "colour", day: "2026-12-08" } },
      { text: "at half ten", kind: "booking", expect: { time: "10:30" } },
      { text: "cancel my appointment", kind: "intent", expect: "cancel-booking" },
      { text: "cancel", kind: "intent", expect: "cancel" },
      { text: "my bookings", kind: "intent", expect: "bookings" },
      { text: "talk to someone", kind: "intent", expect: "human" },
      { text: "do you do nails?", kind: "nothing" },
      { text: "good evening", kind: "nothing" },
      { text: "what's on the menu?", kind: "nothing" },
    ],
    NOW,
  );
  const asked: ReadBookingOptions[] = [];
  const understanding = scripted(
    {},
    {
      asked,
      bookings: {
        // Right, fields in any order; time from minutes after midnight.
        "a haircut with Ana tomorrow at 10": { day: "2026-12-08", minutes: 600, resource: "ana", service: "haircut" },
        "anyone friday afternoon": { resource: "any", day: "2026-12-11", part: "afternoon" },
        "beard at 9:05": { service: "beard", minutes: 545 },
        // Wrong: a field missing is not nothing read.
        "colour tomorrow": { service: "colour" },
        // Missed: "at half ten" is left unread.
        // Wrong: a sentence that must say nothing with a part of the day read.
        "good evening": { part: "evening" },
      },
      intents: {
        "cancel my appointment": { name: "cancel", about: "booking" },
        cancel: { name: "cancel" },
        "my bookings": { name: "orders" },
        "what's on the menu?": { name: "menu" },
      },
    },
  );

  it("scores bookings field by field, described alike on both sides, and intents by their label", () => {
    const score = scoreCorpus(bookings, salon, understanding);
    expect(score.byKind.booking).toEqual({ sentences: 5, right: 3, wrong: 1, missed: 1 });
    expect(score.byKind.intent).toEqual({ sentences: 4, right: 2, wrong: 1, missed: 1 });
    expect(score.byKind.nothing).toEqual({ sentences: 3, right: 1, wrong: 2, missed: 0 });
    expect(score.mismatches.map((m) => [m.line, m.text, m.outcome, m.expected, m.got])).toEqual([
      [4, "colour tomorrow", "wrong", "service=colour day=2026-12-08", "service=colour"],
      [5, "at half ten", "missed", "time=10:30", "nothing"],
      [8, "my bookings", "wrong", "bookings", "orders"],
      [9, "talk to someone", "missed", "human", "nothing"],
      [11, "good evening", "wrong", "nothing", "part=evening"],
      [12, "what's on the menu?", "wrong", "nothing", "intent menu"],
    ]);
    expect(describeMismatches(score, 1)).toBe('en-GB.yaml:4 booking "colour tomorrow": expected service=colour day=2026-12-08, got service=colour (WRONG)\n… and 5 more');
  });

  it("reads bookings in the calendar's zone, at the corpus's instant, in its language", () => {
    asked.length = 0;
    readSentence({ text: "anyone friday afternoon", kind: "booking", expect: { resource: "any" }, line: 1 }, { locale: "en-GB", now: NOW, bot: salon }, understanding);
    expect(asked).toEqual([{ locale: "en-GB", timeZone: "Europe/Paris", now: NOW }]);
  });

  it("counts anything read in a sentence that must say nothing as wrong: items, a booking field or a command, whichever the bot has", () => {
    const nothing: LabelledSentence = { text: "a latte with Ana", kind: "nothing", line: 1 };
    const both: CorpusBot = { catalog, calendar: salonCalendar };
    const reads = scripted({ "a latte with Ana": [item("latte")] }, { bookings: { "a latte with Ana": { resource: "ana" } }, intents: { "a latte with Ana": { name: "help" } } });
    const context = { locale: "en", now: NOW };
    expect(judge(nothing, readSentence(nothing, { ...context, bot: both }, reads), both)).toEqual({ outcome: "wrong", expected: "nothing", got: "1 × latte (size m); resource=ana; intent help" });
    // A bot reads only what it has: the cafe no booking, the salon no items.
    expect(judge(nothing, readSentence(nothing, { ...context, bot: cafe }, reads), cafe).got).toBe("1 × latte (size m); intent help");
    expect(judge(nothing, readSentence(nothing, { ...context, bot: salon }, reads), salon).got).toBe("resource=ana; intent help");
    expect(judge(nothing, readSentence(nothing, { ...context, bot: both }, scripted({})), both)).toEqual({ outcome: "right", expected: "nothing", got: "nothing" });
  });

  it("labels intents as the corpus does: a cancel with what it names, otherwise the name", () => {
    expect(intentLabel({ name: "cancel", about: "order" })).toBe("cancel-order");
    expect(intentLabel({ name: "cancel", about: "booking" })).toBe("cancel-booking");
    expect(intentLabel({ name: "cancel" })).toBe("cancel");
    expect(intentLabel({ name: "human" })).toBe("human");
    expect(intentLabel(undefined)).toBeUndefined();
  });
});

describe("runUnderstandingBench", () => {
  it("reads the cafe's corpus, its held-out sentences and the salon's corpus, and reports well-formed figures (no accuracy or timing asserted)", () => {
    const figures = runUnderstandingBench({ repetitions: 1, warmUp: 0 });
    expect(figures.repetitions).toBe(1);
    expect(figures.corpora.map((c) => [c.folder, c.languages.map((l) => l.locale), c.kinds])).toEqual([
      ["bots/cafe/corpus", ["en", "fr", "zh-CN"], ["items", "quantity", "option", "intent", "nothing"]],
      ["bots/cafe/corpus/held-out", ["en", "fr", "zh-CN"], ["items", "quantity", "option", "intent", "nothing"]],
      ["bots/salon/corpus", ["en-GB", "fr", "zh-CN"], ["booking", "intent", "nothing"]],
    ]);
    for (const set of figures.corpora) {
      for (const row of [...set.languages, set.all]) {
        expect(row.sentences).toBeGreaterThanOrEqual(set.folder.endsWith("held-out") ? 100 : 300);
        expect(row.accuracy).toBeGreaterThanOrEqual(0);
        expect(row.wrong + row.missed).toBeLessThanOrEqual(row.sentences);
        expect(row.p99Us).toBeGreaterThanOrEqual(row.p50Us);
        expect(Object.values(row.byKind).reduce((n, k) => n + k.sentences, 0)).toBe(row.sentences);
        expect(Object.keys(row.timeByKind).sort()).toEqual(set.kinds.filter((k) => row.byKind[k].sentences > 0).sort());
      }
      expect(set.all.sentences).toBe(set.languages.reduce((n, l) => n + l.sentences, 0));
    }
  });
});
