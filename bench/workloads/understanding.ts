import { performance } from "node:perf_hooks";
import { catalog as cafeCatalog } from "../../bots/cafe/catalog.ts";
import { indexCatalog, type CatalogIndex } from "../../commerce/index.ts";
import { loadCorpusFolder, SENTENCE_KINDS, type Corpus, type SentenceKind } from "../corpus.ts";
import { percentile } from "../serve-process.ts";
import { accuracy, describeMismatches, readSentence, scoreCorpus, totalScore, type CorpusScore, type Tally } from "../understanding.ts";

/** Timed passes over every sentence; the figures are over sentences × this. */
const REPETITIONS = 20;
/** Untimed passes first, so the JIT has compiled the parser. */
const WARM_UP = 3;
/** Wrongly understood sentences listed per language (all are counted). */
const WRONG_LISTED = 5;

export interface LanguageFigures {
  readonly locale: string;
  readonly sentences: number;
  readonly accuracy: number;
  readonly byKind: Readonly<Record<SentenceKind, { readonly sentences: number; readonly accuracy: number }>>;
  /** Sentences read as something other than their label: what a bot would act on wrongly. */
  readonly wrong: number;
  /** Sentences where nothing was read but the label says something. */
  readonly missed: number;
  readonly p50Us: number;
  readonly p99Us: number;
  /** `file:line` and both readings of the first few wrongly understood sentences. */
  readonly wrongListed: string;
}

export interface UnderstandingFigures {
  readonly repetitions: number;
  readonly languages: readonly LanguageFigures[];
  /** Every language together, timings over every sample. */
  readonly all: Omit<LanguageFigures, "locale" | "wrongListed">;
}

function kinds(byKind: Readonly<Record<SentenceKind, Tally>>): LanguageFigures["byKind"] {
  return Object.fromEntries(SENTENCE_KINDS.map((kind) => [kind, { sentences: byKind[kind].sentences, accuracy: accuracy(byKind[kind]) }])) as LanguageFigures["byKind"];
}

/** Parse time of each sentence of a corpus, in microseconds, REPETITIONS times over. */
function timings(corpus: Corpus, catalog: CatalogIndex): number[] {
  for (let pass = 0; pass < WARM_UP; pass++) for (const sentence of corpus.sentences) readSentence(sentence, corpus.locale, catalog);
  const samples: number[] = [];
  for (let pass = 0; pass < REPETITIONS; pass++) {
    for (const sentence of corpus.sentences) {
      const started = performance.now();
      readSentence(sentence, corpus.locale, catalog);
      samples.push((performance.now() - started) * 1000);
    }
  }
  return samples.sort((a, b) => a - b);
}

/**
 * The cafe's corpus (bots/cafe/corpus) read by Kiosk's parser: exact accuracy
 * per language and per kind, sentences understood wrongly apart from those
 * not understood, and the parse time per message.
 */
export function runUnderstandingBench(): UnderstandingFigures {
  const catalog = indexCatalog(cafeCatalog);
  const corpora = loadCorpusFolder(new URL("../../bots/cafe/corpus/", import.meta.url), catalog);
  const scores: CorpusScore[] = [];
  const allSamples: number[] = [];
  const languages = corpora.map((corpus): LanguageFigures => {
    const score = scoreCorpus(corpus, catalog);
    scores.push(score);
    const samples = timings(corpus, catalog);
    allSamples.push(...samples);
    const wrongOnly = { ...score, mismatches: score.mismatches.filter((m) => m.outcome === "wrong") };
    return {
      locale: corpus.locale,
      sentences: score.sentences,
      accuracy: accuracy(score),
      byKind: kinds(score.byKind),
      wrong: score.wrong,
      missed: score.missed,
      p50Us: percentile(samples, 50),
      p99Us: percentile(samples, 99),
      wrongListed: describeMismatches(wrongOnly, WRONG_LISTED),
    };
  });
  allSamples.sort((a, b) => a - b);
  const total = totalScore(scores);
  return {
    repetitions: REPETITIONS,
    languages,
    all: {
      sentences: total.sentences,
      accuracy: accuracy(total),
      byKind: kinds(total.byKind),
      wrong: total.wrong,
      missed: total.missed,
      p50Us: percentile(allSamples, 50),
      p99Us: percentile(allSamples, 99),
    },
  };
}
