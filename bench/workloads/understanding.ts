import { performance } from "node:perf_hooks";
import { catalog as cafeCatalog } from "../../bots/cafe/catalog.ts";
import { calendar as salonCalendar } from "../../bots/salon/calendar.ts";
import { indexCatalog } from "../../commerce/index.ts";
import { loadCorpusFolder, SENTENCE_KINDS, type Corpus, type CorpusBot, type SentenceKind } from "../corpus.ts";
import { percentile } from "../serve-process.ts";
import { accuracy, contextOf, describeMismatches, readSentence, scoreCorpus, totalScore, type CorpusScore, type Tally } from "../understanding.ts";

/** Timed passes over every sentence; the figures are over sentences × this. */
const REPETITIONS = 20;
/** Untimed passes first, so the JIT has compiled the parser. */
const WARM_UP = 3;
/** Wrongly understood sentences listed per language (all are counted). */
const WRONG_LISTED = 5;

/** The corpora the bench reads: a folder of one bot, one file per language. */
interface CorpusSet {
  readonly name: string;
  /** The folder, from the repository's root, as printed. */
  readonly folder: string;
  readonly bot: () => CorpusBot;
}

const cafe = (): CorpusBot => ({ catalog: indexCatalog(cafeCatalog) });
const CORPUS_SETS: readonly CorpusSet[] = [
  { name: "cafe (training)", folder: "bots/cafe/corpus", bot: cafe },
  { name: "cafe (held out)", folder: "bots/cafe/corpus/held-out", bot: cafe },
  { name: "salon", folder: "bots/salon/corpus", bot: () => ({ calendar: salonCalendar }) },
];

export interface KindFigures {
  readonly sentences: number;
  readonly accuracy: number;
  readonly wrong: number;
  readonly missed: number;
}

/** Parse time per message, in microseconds. */
export interface Timing {
  readonly p50Us: number;
  readonly p99Us: number;
}

export interface LanguageFigures extends Timing {
  readonly locale: string;
  readonly sentences: number;
  readonly accuracy: number;
  readonly byKind: Readonly<Record<SentenceKind, KindFigures>>;
  /** Sentences read as something other than their label: what a bot would act on wrongly. */
  readonly wrong: number;
  /** Sentences where nothing was read but the label says something. */
  readonly missed: number;
  /** Parse time of the sentences of each kind this corpus has (bookings go through chrono and cost more). */
  readonly timeByKind: Readonly<Partial<Record<SentenceKind, Timing>>>;
  /** `file:line` and both readings of the first few wrongly understood sentences. */
  readonly wrongListed: string;
}

/** One set of corpora: its languages and every language together. */
export interface CorpusFigures {
  readonly name: string;
  readonly folder: string;
  /** The kinds it has sentences of, in SENTENCE_KINDS order. */
  readonly kinds: readonly SentenceKind[];
  readonly languages: readonly LanguageFigures[];
  /** Every language together, timings over every sample. */
  readonly all: Omit<LanguageFigures, "locale" | "wrongListed">;
}

export interface UnderstandingFigures {
  readonly repetitions: number;
  readonly corpora: readonly CorpusFigures[];
}

function kinds(byKind: Readonly<Record<SentenceKind, Tally>>): LanguageFigures["byKind"] {
  return Object.fromEntries(
    SENTENCE_KINDS.map((kind) => [kind, { sentences: byKind[kind].sentences, accuracy: accuracy(byKind[kind]), wrong: byKind[kind].wrong, missed: byKind[kind].missed }]),
  ) as LanguageFigures["byKind"];
}

type Samples = Map<SentenceKind, number[]>;

/** Parse time of each sentence of a corpus, in microseconds, `repetitions` times over, by kind. */
function timings(corpus: Corpus, bot: CorpusBot, repetitions: number, warmUp: number): Samples {
  const context = contextOf(corpus, bot);
  for (let pass = 0; pass < warmUp; pass++) for (const sentence of corpus.sentences) readSentence(sentence, context);
  const samples: Samples = new Map();
  for (let pass = 0; pass < repetitions; pass++) {
    for (const sentence of corpus.sentences) {
      const started = performance.now();
      readSentence(sentence, context);
      const us = (performance.now() - started) * 1000;
      const ofKind = samples.get(sentence.kind);
      if (ofKind) ofKind.push(us);
      else samples.set(sentence.kind, [us]);
    }
  }
  return samples;
}

function timingOf(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50Us: percentile(sorted, 50), p99Us: percentile(sorted, 99) };
}

function timeByKind(samples: Samples): LanguageFigures["timeByKind"] {
  return Object.fromEntries(SENTENCE_KINDS.flatMap((kind) => (samples.has(kind) ? [[kind, timingOf(samples.get(kind) ?? [])]] : [])));
}

function runSet(set: CorpusSet, repetitions: number, warmUp: number): CorpusFigures {
  const bot = set.bot();
  const corpora = loadCorpusFolder(new URL(`../../${set.folder}/`, import.meta.url), bot);
  const scores: CorpusScore[] = [];
  const allSamples: Samples = new Map();
  const languages = corpora.map((corpus): LanguageFigures => {
    const score = scoreCorpus(corpus, bot);
    scores.push(score);
    const samples = timings(corpus, bot, repetitions, warmUp);
    for (const [kind, us] of samples) allSamples.set(kind, [...(allSamples.get(kind) ?? []), ...us]);
    const wrongOnly = { ...score, mismatches: score.mismatches.filter((m) => m.outcome === "wrong") };
    return {
      locale: corpus.locale,
      sentences: score.sentences,
      accuracy: accuracy(score),
      byKind: kinds(score.byKind),
      wrong: score.wrong,
      missed: score.missed,
      ...timingOf([...samples.values()].flat()),
      timeByKind: timeByKind(samples),
      wrongListed: describeMismatches(wrongOnly, WRONG_LISTED),
    };
  });
  const total = totalScore(scores);
  return {
    name: set.name,
    folder: set.folder,
    kinds: SENTENCE_KINDS.filter((kind) => total.byKind[kind].sentences > 0),
    languages,
    all: {
      sentences: total.sentences,
      accuracy: accuracy(total),
      byKind: kinds(total.byKind),
      wrong: total.wrong,
      missed: total.missed,
      ...timingOf([...allSamples.values()].flat()),
      timeByKind: timeByKind(allSamples),
    },
  };
}

/**
 * Every corpus (the cafe's, the cafe's held-out sentences, the salon's) read
 * by Kiosk's parser: exact accuracy per language and per kind, sentences
 * understood wrongly apart from those not understood, and the parse time per
 * message. Fewer repetitions make a quick check of the figures' shape.
 */
export function runUnderstandingBench(options: { readonly repetitions?: number; readonly warmUp?: number } = {}): UnderstandingFigures {
  const repetitions = options.repetitions ?? REPETITIONS;
  const warmUp = options.warmUp ?? WARM_UP;
  return { repetitions, corpora: CORPUS_SETS.map((set) => runSet(set, repetitions, warmUp)) };
}
