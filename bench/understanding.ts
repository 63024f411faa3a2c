// Scores how well Kiosk understands a bot's customers: each sentence of a
// corpus (corpus.ts) read by the parser of flows/understand/ and compared,
// exactly, with its label. Used by tests/understanding-corpus.test.ts (the
// accuracy floor) and `npm run bench` (the figures).
import { CommerceError, type CatalogIndex } from "../commerce/index.ts";
import { readOptionChoice, readOrder, readQuantity } from "../flows/understand/index.ts";
import { optionGroupOf, SENTENCE_KINDS, type Corpus, type LabelledSentence, type SentenceKind } from "./corpus.ts";

/** The parser being scored; tests of the scorer pass their own. */
export interface Understanding {
  readonly readOrder: typeof readOrder;
  readonly readQuantity: typeof readQuantity;
  readonly readOptionChoice: typeof readOptionChoice;
}

/** Kiosk's own parser. */
export const kioskUnderstanding: Understanding = { readOrder, readQuantity, readOptionChoice };

/** An item, from a label or from the parser, in the terms the cart uses. */
interface ItemRead {
  readonly productId: string;
  readonly quantity?: number | undefined;
  readonly options?: Readonly<Record<string, string>> | undefined;
}

/** What the parser answered for one sentence: items (at the menu), a number or a choice id, or nothing. */
export type Reading = readonly ItemRead[] | number | string | undefined;

/**
 * right: the reading equals the label; missed: the parser read nothing where
 * the label says something; wrong: it read something else, which a bot would
 * act on — the outcome that costs a customer.
 */
export type Outcome = "right" | "wrong" | "missed";

/** The judgement on one sentence, with both sides described the same way. */
export interface Verdict {
  readonly outcome: Outcome;
  readonly expected: string;
  readonly got: string;
}

/** A sentence the parser did not get right. */
export interface Mismatch extends Verdict {
  readonly outcome: Exclude<Outcome, "right">;
  readonly line: number;
  readonly text: string;
  readonly kind: SentenceKind;
}

export interface Tally {
  readonly sentences: number;
  readonly right: number;
  readonly wrong: number;
  readonly missed: number;
}

/** A language's score: overall, per kind, and every sentence not right. */
export interface CorpusScore extends Tally {
  readonly file: string;
  readonly locale: string;
  readonly byKind: Readonly<Record<SentenceKind, Tally>>;
  readonly mismatches: readonly Mismatch[];
}

const NOTHING = "nothing";

/** Asks the parser about one sentence, as the step its kind stands for would. */
export function readSentence(sentence: LabelledSentence, locale: string, catalog: CatalogIndex, understanding: Understanding = kioskUnderstanding): Reading {
  switch (sentence.kind) {
    case "items":
    case "nothing":
      return understanding.readOrder(sentence.text, catalog, { locale }).items;
    case "quantity":
      return understanding.readQuantity(sentence.text, locale);
    case "option": {
      const group = optionGroupOf(catalog, sentence.group);
      // loadCorpus checked the group exists; a corpus built by hand may not have.
      if (!group) throw new RangeError(`no option group '${sentence.group}' in the catalog`);
      return understanding.readOptionChoice(sentence.text, group, locale);
    }
  }
}

/**
 * "2 × latte (size l)": the quantity (none said is one) and every option with
 * the product's defaults filled in, so a reading and a label that would put
 * the same line in the cart describe alike.
 */
function describeItem(catalog: CatalogIndex, item: ItemRead): string {
  const said = item.options ?? {};
  let options: Readonly<Record<string, string>>;
  try {
    options = catalog.canonicalOptions(item.productId, said);
  } catch (error) {
    if (!(error instanceof CommerceError)) throw error;
    return `${item.quantity ?? 1} × ${item.productId} ${JSON.stringify(said)} (${error.message})`;
  }
  const choices = Object.entries(options).map(([group, choice]) => `${group} ${choice}`);
  return `${item.quantity ?? 1} × ${item.productId}${choices.length > 0 ? ` (${choices.join(", ")})` : ""}`;
}

function describe(reading: Reading, catalog: CatalogIndex): string {
  if (reading === undefined) return NOTHING;
  if (typeof reading === "number" || typeof reading === "string") return String(reading);
  return reading.length === 0 ? NOTHING : reading.map((item) => describeItem(catalog, item)).join(", ");
}

function expectedOf(sentence: LabelledSentence, catalog: CatalogIndex): string {
  switch (sentence.kind) {
    case "items":
      return describe(sentence.expect.map((item) => ({ productId: item.product, quantity: item.quantity, options: item.options })), catalog);
    case "quantity":
    case "option":
      return describe(sentence.expect ?? undefined, catalog);
    case "nothing":
      return NOTHING;
  }
}

/** Compares what the parser read with the sentence's label: equal, nothing read, or something else read. */
export function judge(sentence: LabelledSentence, reading: Reading, catalog: CatalogIndex): Verdict {
  const expected = expectedOf(sentence, catalog);
  const got = describe(reading, catalog);
  if (got === expected) return { outcome: "right", expected, got };
  return { outcome: got === NOTHING ? "missed" : "wrong", expected, got };
}

function tallyOf(outcomes: readonly Outcome[]): Tally {
  const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length;
  return { sentences: outcomes.length, right: count("right"), wrong: count("wrong"), missed: count("missed") };
}

/** Scores every sentence of one language's corpus against the catalog, exact match only. */
export function scoreCorpus(corpus: Corpus, catalog: CatalogIndex, understanding: Understanding = kioskUnderstanding): CorpusScore {
  const judged = corpus.sentences.map((sentence) => ({ sentence, verdict: judge(sentence, readSentence(sentence, corpus.locale, catalog, understanding), catalog) }));
  const byKind = Object.fromEntries(
    SENTENCE_KINDS.map((kind) => [kind, tallyOf(judged.filter((j) => j.sentence.kind === kind).map((j) => j.verdict.outcome))]),
  ) as Record<SentenceKind, Tally>;
  const mismatches: Mismatch[] = [];
  for (const { sentence, verdict } of judged) {
    if (verdict.outcome === "right") continue;
    mismatches.push({ ...verdict, outcome: verdict.outcome, line: sentence.line, text: sentence.text, kind: sentence.kind });
  }
  return { file: corpus.file, locale: corpus.locale, ...tallyOf(judged.map((j) => j.verdict.outcome)), byKind, mismatches };
}

/** Every language together: overall and per kind. */
export function totalScore(scores: readonly CorpusScore[]): Tally & { readonly byKind: Readonly<Record<SentenceKind, Tally>> } {
  const sum = (tallies: readonly Tally[]): Tally => ({
    sentences: tallies.reduce((n, t) => n + t.sentences, 0),
    right: tallies.reduce((n, t) => n + t.right, 0),
    wrong: tallies.reduce((n, t) => n + t.wrong, 0),
    missed: tallies.reduce((n, t) => n + t.missed, 0),
  });
  const byKind = Object.fromEntries(SENTENCE_KINDS.map((kind) => [kind, sum(scores.map((s) => s.byKind[kind]))])) as Record<SentenceKind, Tally>;
  return { ...sum(scores), byKind };
}

/** The share of sentences read exactly as labelled; NaN for none. */
export function accuracy(tally: Tally): number {
  return tally.sentences === 0 ? Number.NaN : tally.right / tally.sentences;
}

/** One line per mismatch, `file:line`, for a failing test or the bench to print. */
export function describeMismatches(score: CorpusScore, limit: number = score.mismatches.length): string {
  const lines = score.mismatches
    .slice(0, limit)
    .map((m) => `${score.file}:${m.line} ${m.kind} "${m.text}": expected ${m.expected}, got ${m.got}${m.outcome === "wrong" ? " (WRONG)" : ""}`);
  const more = score.mismatches.length - lines.length;
  return more > 0 ? [...lines, `… and ${more} more`].join("\n") : lines.join("\n");
}
