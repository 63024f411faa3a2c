// Issue 15, part 6: each bot's customers, in each of its languages, are
// understood exactly as a person would understand them, for at least the
// floor's share of the labelled corpus: the cafe's (bots/cafe/corpus/), the
// salon's (bots/salon/corpus/), and the cafe's held-out sentences
// (bots/cafe/corpus/held-out/), which only measure the parser and are never
// used to tune it.
import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../bots/cafe/catalog.ts";
import { calendar as salonCalendar } from "../bots/salon/calendar.ts";
import { loadCorpusFolder, type Corpus, type CorpusBot } from "../bench/corpus.ts";
import { accuracy, describeMismatches, scoreCorpus } from "../bench/understanding.ts";
import { indexCatalog } from "../commerce/index.ts";

/** The bar for a corpus itself: a corpus shrunk or stripped of its traps would measure nothing. */
const MIN_SENTENCES = 300;
const MIN_NOTHING_SHARE = 0.15;

/** Each language of a corpus is large enough, and has enough sentences in which nothing must be read. */
function checkCorpora(corpora: readonly Corpus[], locales: readonly string[]): void {
  expect(corpora.map((c) => c.locale)).toEqual([...locales].sort());
  for (const corpus of corpora) {
    const nothing = corpus.sentences.filter((s) => s.kind === "nothing").length;
    expect(corpus.sentences.length, corpus.file).toBeGreaterThanOrEqual(MIN_SENTENCES);
    expect(nothing / corpus.sentences.length, `${corpus.file}: share of 'nothing'`).toBeGreaterThanOrEqual(MIN_NOTHING_SHARE);
  }
}

/** The corpus of one language is understood exactly for at least `floor` of its sentences; a failure lists what was not. */
function checkFloor(corpus: Corpus, bot: CorpusBot, floor: number): void {
  const score = scoreCorpus(corpus, bot);
  expect(
    accuracy(score),
    `${corpus.locale}: ${score.right}/${score.sentences} right, ${score.wrong} understood wrongly, ${score.missed} not understood\n${describeMismatches(score, 120)}`,
  ).toBeGreaterThanOrEqual(floor);
}

const cafe: CorpusBot = { catalog: indexCatalog(cafeCatalog) };
const salon: CorpusBot = { calendar: salonCalendar };

describe("the cafe's corpus", () => {
  /**
   * The exact accuracy each language must hold. The target until the
   * parser has been measured against this corpus; then set from what it
   * achieves. Never lowered to make a run pass: a parser that misses it fails.
   */
  const FLOOR: Readonly<Record<string, number>> = { en: 0.95, fr: 0.95, "zh-CN": 0.95 };
  const corpora = loadCorpusFolder(new URL("../bots/cafe/corpus/", import.meta.url), cafe);

  it("has a corpus for each language of the bot, each large enough and with sentences in which nothing must be read", () => {
    checkCorpora(corpora, Object.keys(FLOOR));
  });

  it.each(corpora.map((c) => [c.locale, c] as const))("%s: is understood exactly for at least the floor's share of its sentences", (locale, corpus) => {
    checkFloor(corpus, cafe, FLOOR[locale] ?? 1);
  });
});

describe("the salon's corpus", () => {
  /** The target, as for the cafe; never lowered to make a run pass. */
  const FLOOR: Readonly<Record<string, number>> = { "en-GB": 0.95, fr: 0.95, "zh-CN": 0.95 };
  const corpora = loadCorpusFolder(new URL("../bots/salon/corpus/", import.meta.url), salon);

  it("has a corpus for each language of the bot, each large enough and with sentences in which nothing must be read", () => {
    checkCorpora(corpora, Object.keys(FLOOR));
    for (const corpus of corpora) expect(corpus.now, `${corpus.file}: now`).toEqual(new Date("2026-12-07T09:00:00Z"));
  });

  it.each(corpora.map((c) => [c.locale, c] as const))("%s: is understood exactly for at least the floor's share of its sentences", (locale, corpus) => {
    checkFloor(corpus, salon, FLOOR[locale] ?? 1);
  });
});

describe("the cafe's held-out corpus", () => {
  /**
   * Sentences written after the parser and never used to tune it: they
   * measure how it does on what it has not seen. The floor only catches a
   * collapse; the figure is reported by `npm run bench`. A sentence missed
   * here is fixed by a general rule, never by teaching the parser this one.
   */
  const FLOOR = 0.85;
  const corpora = loadCorpusFolder(new URL("../bots/cafe/corpus/held-out/", import.meta.url), cafe);

  it("has a corpus for each language of the cafe", () => {
    expect(corpora.map((c) => c.locale)).toEqual(["en", "fr", "zh-CN"]);
    for (const corpus of corpora) expect(corpus.sentences.length, corpus.file).toBeGreaterThan(0);
  });

  it.each(corpora.map((c) => [c.locale, c] as const))("%s: is understood exactly for at least the held-out floor's share of its sentences", (_locale, corpus) => {
    checkFloor(corpus, cafe, FLOOR);
  });
});
