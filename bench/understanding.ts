// Scores how well Kiosk understands a bot's customers: each sentence of a
// corpus (corpus.ts) read by the parser of flows/understand/ and compared,
// exactly, with its label. Used by tests/understanding-corpus.test.ts (the
// accuracy floors) and `npm run bench` (the figures).
import { CommerceError, type CatalogIndex } from "../commerce/index.ts";
import {
  bookingWords,
  readBooking,
  readIntent,
  readOptionChoice,
  readOrder,
  readQuantity,
  type Intent,
  type PartOfDay,
  type ReadIntentOptions,
} from "../flows/understand/index.ts";
import { optionGroupOf, SENTENCE_KINDS, type Corpus, type CorpusBot, type IntentLabel, type LabelledSentence, type SentenceKind } from "./corpus.ts";

/** The parser being scored; tests of the scorer pass their own. */
export interface Understanding {
  readonly readOrder: typeof readOrder;
  readonly readQuantity: typeof readQuantity;
  readonly readOptionChoice: typeof readOptionChoice;
  readonly readBooking: typeof readBooking;
  readonly readIntent: typeof readIntent;
}

/** Kiosk's own parser. */
export const kioskUnderstanding: Understanding = { readOrder, readQuantity, readOptionChoice, readBooking, readIntent };

/** An item, from a label or from the parser, in the terms the cart uses. */
interface ItemRead {
  readonly productId: string;
  readonly quantity?: number | undefined;
  readonly options?: Readonly<Record<string, string>> | undefined;
}

/** What a booking sentence says, from a label or from the parser; each field only when said. */
export interface BookingRead {
  readonly service?: string | undefined;
  /** A resource id, or "any". */
  readonly resource?: string | undefined;
  /** "YYYY-MM-DD". */
  readonly day?: string | undefined;
  /** Minutes after local midnight. */
  readonly minutes?: number | undefined;
  readonly part?: PartOfDay | undefined;
}

/** Everything the parser read in a sentence that must say nothing: items, a booking and a command, whichever the bot has. */
export interface AnythingRead {
  readonly items: readonly ItemRead[];
  readonly booking: BookingRead;
  readonly intent: IntentLabel | undefined;
}

/**
 * What the parser answered for one sentence: items (at the menu), a number, a
 * choice id or an intent label, a booking, everything at once (for a
 * sentence that must say nothing), or nothing.
 */
export type Reading = readonly ItemRead[] | number | string | { readonly booking: BookingRead } | { readonly anything: AnythingRead } | undefined;

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

/** Where a sentence is read: its language, the instant it is typed at, and what the bot has. */
export interface ReadingContext {
  readonly locale: string;
  /** The corpus's instant; days are read from it. Without one, the present (enough for sentences that must read no day). */
  readonly now?: Date | undefined;
  readonly bot: CorpusBot;
}

const NOTHING = "nothing";

/** The label of an intent: a cancel with what it names ("cancel-order"), or the intent's name. */
export function intentLabel(intent: Intent | undefined): IntentLabel | undefined {
  if (intent === undefined) return undefined;
  return intent.name === "cancel" && intent.about !== undefined ? `cancel-${intent.about}` : intent.name;
}

function bookingRead(sentence: LabelledSentence, context: ReadingContext, understanding: Understanding): BookingRead {
  const calendar = context.bot.calendar;
  if (!calendar) throw new RangeError(`a booking is read from the bot's calendar, and it has none (line ${sentence.line})`);
  const { service, resource, day, minutes, part } = understanding.readBooking(sentence.text, calendar, { locale: context.locale, timeZone: calendar.timeZone, now: context.now ?? new Date() });
  return { service, resource, day, minutes, part };
}

/** What a command is read with: the bot's booking words, which a cancel or a question about bookings may name ("cancel my haircut"). */
function intentOptions(bot: CorpusBot): ReadIntentOptions {
  return bot.calendar ? { bookingWords: bookingWords(bot.calendar) } : {};
}

function catalogOf(sentence: LabelledSentence, bot: CorpusBot): CatalogIndex {
  // loadCorpus refuses such labels for a bot without a catalog; a corpus built by hand may not have.
  if (!bot.catalog) throw new RangeError(`'${sentence.kind}' sentences are read against the bot's catalog, and it has none (line ${sentence.line})`);
  return bot.catalog;
}

/**
 * Asks the parser about one sentence, as the step its kind stands for would;
 * a sentence that must say nothing is asked everything the bot could read in
 * it: items (with a catalog), a booking (with a calendar) and a command.
 */
export function readSentence(sentence: LabelledSentence, context: ReadingContext, understanding: Understanding = kioskUnderstanding): Reading {
  const { locale, bot } = context;
  switch (sentence.kind) {
    case "items":
      return understanding.readOrder(sentence.text, catalogOf(sentence, bot), { locale }).items;
    case "quantity":
      return understanding.readQuantity(sentence.text, locale);
    case "option": {
      const group = optionGroupOf(catalogOf(sentence, bot), sentence.group);
      // loadCorpus checked the group exists; a corpus built by hand may not have.
      if (!group) throw new RangeError(`no option group '${sentence.group}' in the catalog`);
      return understanding.readOptionChoice(sentence.text, group, locale);
    }
    case "booking":
      return { booking: bookingRead(sentence, context, understanding) };
    case "intent":
      return intentLabel(understanding.readIntent(sentence.text, intentOptions(bot)));
    case "nothing":
      return {
        anything: {
          items: bot.catalog ? understanding.readOrder(sentence.text, bot.catalog, { locale }).items : [],
          booking: bot.calendar ? bookingRead(sentence, context, understanding) : {},
          intent: intentLabel(understanding.readIntent(sentence.text, intentOptions(bot))),
        },
      };
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

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** "service=haircut resource=any day=2026-12-08 time=10:00 part=afternoon": the fields said, always in this order. */
function describeBooking(booking: BookingRead): string {
  const fields: [string, string | undefined][] = [
    ["service", booking.service],
    ["resource", booking.resource],
    ["day", booking.day],
    ["time", booking.minutes === undefined ? undefined : hhmm(booking.minutes)],
    ["part", booking.part],
  ];
  const said = fields.filter((f): f is [string, string] => f[1] !== undefined);
  return said.length === 0 ? NOTHING : said.map(([name, value]) => `${name}=${value}`).join(" ");
}

function describeItems(items: readonly ItemRead[], catalog: CatalogIndex | undefined): string {
  if (items.length === 0) return NOTHING;
  // Items come from a catalog; without one (a hand-built reading) they are named as read.
  return items.map((item) => (catalog ? describeItem(catalog, item) : `${item.quantity ?? 1} × ${item.productId}`)).join(", ");
}

function describe(reading: Reading, bot: CorpusBot): string {
  if (reading === undefined) return NOTHING;
  if (typeof reading === "number" || typeof reading === "string") return String(reading);
  if ("booking" in reading) return describeBooking(reading.booking);
  if ("anything" in reading) {
    const { items, booking, intent } = reading.anything;
    const said = [describeItems(items, bot.catalog), describeBooking(booking), intent === undefined ? NOTHING : `intent ${intent}`].filter((d) => d !== NOTHING);
    return said.length === 0 ? NOTHING : said.join("; ");
  }
  return describeItems(reading, bot.catalog);
}

function expectedOf(sentence: LabelledSentence, bot: CorpusBot): string {
  switch (sentence.kind) {
    case "items":
      return describe(sentence.expect.map((item) => ({ productId: item.product, quantity: item.quantity, options: item.options })), bot);
    case "quantity":
    case "option":
      return describe(sentence.expect ?? undefined, bot);
    case "booking": {
      const { time, ...rest } = sentence.expect;
      const [hours = 0, minutes = 0] = (time ?? "").split(":").map(Number);
      return describeBooking({ ...rest, minutes: time === undefined ? undefined : hours * 60 + minutes });
    }
    case "intent":
      return sentence.expect;
    case "nothing":
      return NOTHING;
  }
}

/** Compares what the parser read with the sentence's label: equal, nothing read, or something else read. */
export function judge(sentence: LabelledSentence, reading: Reading, bot: CorpusBot): Verdict {
  const expected = expectedOf(sentence, bot);
  const got = describe(reading, bot);
  if (got === expected) return { outcome: "right", expected, got };
  return { outcome: got === NOTHING ? "missed" : "wrong", expected, got };
}

function tallyOf(outcomes: readonly Outcome[]): Tally {
  const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length;
  return { sentences: outcomes.length, right: count("right"), wrong: count("wrong"), missed: count("missed") };
}

/** Where a corpus's sentences are read: its language and instant, and the bot. */
export function contextOf(corpus: Corpus, bot: CorpusBot): ReadingContext {
  return { locale: corpus.locale, now: corpus.now, bot };
}

/** Scores every sentence of one language's corpus against the bot's catalog and calendar, exact match only. */
export function scoreCorpus(corpus: Corpus, bot: CorpusBot, understanding: Understanding = kioskUnderstanding): CorpusScore {
  const context = contextOf(corpus, bot);
  const judged = corpus.sentences.map((sentence) => ({ sentence, verdict: judge(sentence, readSentence(sentence, context, understanding), bot) }));
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
