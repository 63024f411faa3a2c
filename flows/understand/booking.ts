/**
 * Reads a booking from one sentence, from the calendar's own data: the
 * service by any of its names, aliases or a word of its name ("beard" for
 * "Beard trim"), the resource by name or "anyone", and the day, time and
 * part of the day wherever they are ("a haircut with Ana tomorrow at 10",
 * "coupe demain à 10h", "明天上午十点剪发"). Days and times are chrono's
 * (flows/dates.ts); this file reads the rest and says what it did not read.
 */
import { DateTime } from "luxon";
import type { BookingCalendar, Resource, Service } from "../../commerce/index.ts";
import { readWhen, type ParseDayOptions } from "../dates.ts";
import { ANYONE, BOOKING_FILLERS, PARTS_OF_DAY, PARTS_OF_TODAY, type PartOfDay } from "./booking-words.ts";
import { partsOf } from "./catalog-words.ts";
import type { Piece, Reading } from "./dictionary.ts";
import { CORRECTIONS, FILLERS, NEGATIONS, NUMBER_WORDS, QUESTION_WORDS, SEPARATORS } from "./lexicon.ts";
import { PhraseTrie } from "./phrases.ts";
import { isQuestion } from "./questions.ts";
import { Speller, type Spelling } from "./spelling.ts";
import { phraseKeys, tokenize, type Token } from "./tokens.ts";

export type { PartOfDay } from "./booking-words.ts";
export { PART_RANGES } from "./booking-words.ts";

/** The resource a customer leaves to the business: "anyone". */
export const ANY_RESOURCE = "any";

/** What one sentence says of a booking; each field only when said. */
export interface BookingReading {
  readonly service?: string;
  /** A resource id, or {@link ANY_RESOURCE}. */
  readonly resource?: string;
  /** "YYYY-MM-DD" in the calendar's zone. */
  readonly day?: string;
  /** Minutes after local midnight. */
  readonly minutes?: number;
  /** A part of the day, when no time is said. */
  readonly part?: PartOfDay;
  /** Words neither understood nor filler, as typed. */
  readonly unknown: readonly string[];
  /** How it was read, for `kiosk dev` and the bench. */
  readonly rule: string;
}

export type ReadBookingOptions = ParseDayOptions;

type ServiceSource = "name" | "alias" | "id" | "partial";

type BookingEntry =
  | { readonly kind: "service"; readonly id: string; readonly source: ServiceSource }
  | { readonly kind: "resource"; readonly id: string }
  | { readonly kind: "part"; readonly part: PartOfDay; readonly today: boolean }
  | { readonly kind: "filler" | "negation" | "correction" };

/** The day and month words chrono reads, so that one typo in them is forgiven ("tomorow", "demian", "vendredy"). */
const DATE_WORDS: readonly string[] = [
  "today", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december",
  "aujourd'hui", "demain", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
  "janvier", "février", "avril", "juillet", "août", "septembre", "octobre", "novembre", "décembre", "prochain", "prochaine", "semaine",
];
const DATE_KEYS: ReadonlySet<string> = new Set(DATE_WORDS.flatMap(phraseKeys));

/** Words that ask whether a time is free: a question with them and a day or time is a booking ("do you have anything tomorrow at 10?"). */
const AVAILABILITY: readonly string[] = [
  "do you have", "have you got", "is there", "are there", "anything", "any time", "any slot", "can you fit me",
  "avez-vous", "vous avez", "y a-t-il", "il y a", "auriez-vous", "vous auriez",
  "有没有", "有空吗", "有位置",
];

function namesOf(thing: Service | Resource): { phrase: string; source: ServiceSource }[] {
  const names = "names" in thing ? Object.values(thing.names ?? {}) : [];
  return [
    { phrase: thing.name, source: "name" },
    ...names.map((phrase) => ({ phrase, source: "name" as const })),
    ...Object.values(thing.aliases ?? {}).flatMap((phrases) => phrases.map((phrase) => ({ phrase, source: "alias" as const }))),
  ];
}

/** The calendar's words and the built-in ones, with the speller they make; built once per calendar. */
interface Vocabulary {
  readonly trie: PhraseTrie<BookingEntry>;
  readonly speller: Speller;
  readonly availability: PhraseTrie<true>;
}

const vocabularies = new WeakMap<BookingCalendar, Vocabulary>();

function vocabularyOf(calendar: BookingCalendar): Vocabulary {
  const known = vocabularies.get(calendar);
  if (known) return known;
  const trie = new PhraseTrie<BookingEntry>();
  const partOwners = new Map<string, Set<string>>();
  const parts: { keys: string[]; id: string }[] = [];
  for (const service of calendar.services) {
    for (const { phrase, source } of namesOf(service)) {
      const keys = phraseKeys(phrase);
      trie.addKeys(keys, { kind: "service", id: service.id, source });
      for (const part of partsOf(keys)) {
        const key = part.keys.join(" ");
        partOwners.set(key, (partOwners.get(key) ?? new Set()).add(service.id));
        parts.push({ keys: part.keys, id: service.id });
      }
    }
    trie.add(service.id, { kind: "service", id: service.id, source: "id" });
  }
  // A word of two services' names ("colour" of "Colour" and "Colour and cut") names neither.
  for (const { keys, id } of parts) if (partOwners.get(keys.join(" "))?.size === 1) trie.addKeys(keys, { kind: "service", id, source: "partial" });
  for (const resource of calendar.resources) {
    for (const { phrase } of namesOf(resource)) trie.add(phrase, { kind: "resource", id: resource.id });
    trie.add(resource.id, { kind: "resource", id: resource.id });
  }
  for (const phrase of ANYONE) trie.add(phrase, { kind: "resource", id: ANY_RESOURCE });
  for (const [part, phrases] of Object.entries(PARTS_OF_DAY) as [PartOfDay, readonly string[]][]) for (const phrase of phrases) trie.add(phrase, { kind: "part", part, today: false });
  for (const [part, phrases] of Object.entries(PARTS_OF_TODAY) as [PartOfDay, readonly string[]][]) for (const phrase of phrases) trie.add(phrase, { kind: "part", part, today: true });
  for (const phrase of [...FILLERS, ...BOOKING_FILLERS, ...SEPARATORS]) trie.add(phrase, { kind: "filler" });
  for (const phrase of NEGATIONS) trie.add(phrase, { kind: "negation" });
  for (const phrase of CORRECTIONS) trie.add(phrase, { kind: "correction" });
  const content = new Set([...trie.words].filter((w) => !FILLER_KEYS.has(w)));
  for (const key of DATE_KEYS) content.add(key);
  const speller = new Speller({ known: new Set([...trie.words, ...DATE_KEYS, ...NUMBER_KEYS]), content, exact: NUMBER_KEYS });
  const availability = new PhraseTrie<true>();
  for (const phrase of AVAILABILITY) availability.add(phrase, true);
  const vocabulary = { trie, speller, availability };
  vocabularies.set(calendar, vocabulary);
  return vocabulary;
}

const FILLER_KEYS: ReadonlySet<string> = new Set([...FILLERS, ...BOOKING_FILLERS, ...SEPARATORS, ...NEGATIONS, ...CORRECTIONS].flatMap(phraseKeys));
const NUMBER_KEYS: ReadonlySet<string> = new Set(NUMBER_WORDS.flatMap(({ phrase }) => phraseKeys(phrase)));
const QUESTION_KEYS = (() => {
  const trie = new PhraseTrie<true>();
  for (const phrase of QUESTION_WORDS) trie.add(phrase, true);
  return trie;
})();

interface Scanned {
  readonly tokens: readonly Token[];
  readonly keys: readonly string[];
  readonly spellings: readonly (readonly Spelling[])[];
  readonly pieces: readonly { readonly from: number; readonly to: number; readonly entry?: BookingEntry }[];
}

/** Longest match, left to right; a token no phrase starts at is left for the day and time. */
function scan(text: string, vocabulary: Vocabulary): Scanned {
  const tokens = tokenize(text);
  const keys: string[] = [];
  const spellings: (readonly Spelling[])[] = [];
  for (const token of tokens) {
    const spelled = token.kind === "word" ? vocabulary.speller.spell(token.key) : undefined;
    keys.push(spelled?.key ?? token.key);
    spellings.push(spelled?.how ?? []);
  }
  const pieces: { from: number; to: number; entry?: BookingEntry }[] = [];
  for (let from = 0; from < tokens.length; ) {
    const [longest] = vocabulary.trie.matchesAt(keys, from);
    // A service or resource first: "Ana" over nothing, a name over a filler of the same length.
    const entry = longest?.values.find((v) => v.kind === "service" || v.kind === "resource") ?? longest?.values[0];
    const to = longest && entry ? from + longest.length : from + 1;
    pieces.push(longest && entry ? { from, to, entry } : { from, to });
    from = to;
  }
  return { tokens, keys, spellings, pieces };
}

/**
 * The sentence as chrono should read it: services, resources and parts of
 * the day blanked (so "afternoon" cannot move "friday"), a mistyped day or
 * month word replaced by the word it stands for.
 */
function dateText(text: string, scanned: Scanned): string {
  let out = "";
  let at = 0;
  for (const piece of scanned.pieces) {
    const first = scanned.tokens[piece.from];
    const last = scanned.tokens[piece.to - 1];
    if (!first || !last) continue;
    const kind = piece.entry?.kind;
    let replacement: string | undefined;
    if (kind === "service" || kind === "resource" || kind === "part") replacement = " ".repeat(last.end - first.start);
    else if (!piece.entry && scanned.spellings[piece.from]?.includes("typo") && DATE_KEYS.has(scanned.keys[piece.from] ?? "")) replacement = scanned.keys[piece.from];
    if (replacement === undefined) continue;
    out += text.slice(at, first.start) + replacement;
    at = last.end;
  }
  return out + text.slice(at);
}

/** The words left once the day and time are read: unknown unless filler. */
function leftOver(rest: string, vocabulary: Vocabulary): string[] {
  const left = scan(rest, vocabulary);
  return left.pieces.filter((p) => !p.entry && left.tokens[p.from]?.kind !== "mark").map((p) => left.tokens[p.from]?.text ?? "");
}

/** One value of a kind, or undefined when none or two different ones ("Ana or Ben" picks nobody). */
function only<T>(values: readonly T[]): T | undefined {
  return new Set(values).size === 1 ? values[0] : undefined;
}

/** "at 3" at a salon is 15:00; "3 in the afternoon", "下午三点" too. Hours of the night are not booked. */
function withMeridiem(minutes: number, meridiem: boolean, part: PartOfDay | undefined): number {
  if (meridiem || minutes >= 12 * 60) return minutes;
  if (part === "afternoon" || part === "evening") return minutes + 12 * 60;
  if (part === undefined && minutes >= 60 && minutes < 8 * 60) return minutes + 12 * 60;
  return minutes;
}

/** Whether the sentence asks something rather than books: "how much is a colour?", "are you open on sunday?". */
function asks(text: string, scanned: Scanned, unknown: readonly string[], vocabulary: Vocabulary): boolean {
  const { keys } = scanned;
  const saysAnywhere = (trie: PhraseTrie<true>) => keys.some((_, i) => trie.matchesAt(keys, i).length > 0);
  if (saysAnywhere(QUESTION_KEYS) && !saysAnywhere(vocabulary.availability)) return true;
  const unknownKeys = new Set(unknown.map((w) => phraseKeys(w).join(" ")));
  const reading: Reading = { text, tokens: scanned.tokens, keys, spellings: scanned.spellings };
  const pieces: Piece[] = scanned.pieces.map((p) => ({
    kind: p.entry?.kind === "filler" ? "filler" : !p.entry && unknownKeys.has(keys[p.from] ?? "") ? "unknown" : "product",
    from: p.from,
    to: p.to,
    entries: [],
  }));
  return isQuestion(reading, pieces) && !saysAnywhere(vocabulary.availability);
}

const nothing = (unknown: readonly string[], rule: string): BookingReading => ({ unknown, rule });

/**
 * What a sentence says of a booking, read against the calendar. Nothing is
 * read from a question ("how much is a colour?") or a refusal ("not
 * tomorrow"), and everything it names is reported as not understood.
 *
 * @example
 * // Monday 7 December 2026 in Paris
 * readBooking("a haircut with Ana tomorrow at 10", calendar, { locale: "en-GB", timeZone: "Europe/Paris", now })
 * // { service: "haircut", resource: "ana", day: "2026-12-08", minutes: 600, unknown: [], rule: "…" }
 */
export function readBooking(text: string, calendar: BookingCalendar, options: ReadBookingOptions): BookingReading {
  const vocabulary = vocabularyOf(calendar);
  const scanned = scan(text, vocabulary);
  const entries = scanned.pieces.flatMap((p) => (p.entry ? [p.entry] : []));
  const named = scanned.pieces.filter((p) => p.entry && p.entry.kind !== "filler").map((p) => scanned.tokens.slice(p.from, p.to).map((t) => t.text).join(" "));
  if (entries.some((e) => e.kind === "negation")) return nothing(named, "refusal: nothing booked");
  const unread = scanned.pieces.some((p) => !p.entry);
  const when = unread ? readWhen(dateText(text, scanned), options) : { meridiem: false, rest: "" };
  const unknown = unread ? leftOver(when.rest, vocabulary) : [];
  if (asks(text, scanned, unknown, vocabulary)) return nothing([...named, ...unknown], "question: nothing booked");
  const services = entries.flatMap((e) => (e.kind === "service" ? [e] : []));
  const resources = entries.flatMap((e) => (e.kind === "resource" ? [e.id] : []));
  const parts = entries.flatMap((e) => (e.kind === "part" ? [e] : []));
  const service = only(services.map((s) => s.id));
  const resource = only(resources);
  const part = only(parts.map((p) => p.part));
  const today = parts.some((p) => p.today) ? (DateTime.fromJSDate(options.now, { zone: options.timeZone }).toISODate() ?? undefined) : undefined;
  const day = when.day ?? today;
  // A number alone beside what was read is an hour: "actually 11", "haircut friday 3".
  const hour = when.minutes === undefined && unknown.length === 1 && /^\d{1,2}$/u.test(unknown[0] ?? "") ? Number(unknown[0]) : undefined;
  const said = hour !== undefined && hour >= 1 && hour <= 23 ? hour * 60 : when.minutes;
  if (said !== undefined && when.minutes === undefined) unknown.length = 0;
  const minutes = said === undefined ? undefined : withMeridiem(said, when.meridiem, part);
  const reading: BookingReading = {
    ...(service === undefined ? {} : { service }),
    ...(resource === undefined ? {} : { resource }),
    ...(day === undefined ? {} : { day }),
    ...(minutes === undefined ? {} : { minutes }),
    ...(minutes === undefined && part !== undefined ? { part } : {}),
    unknown: [...unknown, ...(services.length > 0 && service === undefined ? ["(two services)"] : []), ...(resources.length > 0 && resource === undefined ? ["(two people)"] : [])],
    rule: "",
  };
  return { ...reading, rule: ruleOf(reading, services.map((s) => s.source), scanned.spellings) };
}

function ruleOf(reading: BookingReading, sources: readonly ServiceSource[], spellings: readonly (readonly Spelling[])[]): string {
  const said = [
    reading.service && `service=${reading.service}`,
    reading.resource && `resource=${reading.resource}`,
    reading.day && `day=${reading.day}`,
    reading.minutes !== undefined && `time=${String(Math.floor(reading.minutes / 60)).padStart(2, "0")}:${String(reading.minutes % 60).padStart(2, "0")}`,
    reading.part && `part=${reading.part}`,
  ].filter(Boolean);
  const how = new Set<string>([...sources, ...spellings.flat()]);
  return `booking: ${said.join(" ") || "nothing"}${how.size > 0 ? ` via ${[...how].join("+")}` : ""}`;
}
