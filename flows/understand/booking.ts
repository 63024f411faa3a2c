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
import { ANYONE, BOOKING_FILLERS, PARTS_OF_DAY, PARTS_OF_TODAY, PARTS_OF_TOMORROW, PAST, WEAK_ANYONE, type PartOfDay } from "./booking-words.ts";
import { partsOf } from "./catalog-words.ts";
import { CORRECTIONS, FILLERS, NEGATIONS, NUMBER_WORDS, QUESTION_OPENERS, QUESTION_WORDS, REQUESTS, SEPARATORS, WH_WORDS } from "./lexicon.ts";
import { PhraseTrie } from "./phrases.ts";
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
  | { readonly kind: "resource"; readonly id: string; readonly weak?: boolean }
  | { readonly kind: "part"; readonly part: PartOfDay; readonly daysAhead?: number }
  | { readonly kind: "filler" | "negation" | "correction" | "past" };

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
  "do you have", "have you got", "is there", "are there", "anything", "any time", "any slot", "can you fit me", "free", "available", "libre", "dispo", "disponible", "有空",
  "is it possible", "would it be possible", "any chance", "c'est possible", "est-ce possible", "ça irait", "ca irait", "还能",
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
  const content = new Set<string>();
  const addContent = (phrase: string, entry: BookingEntry) => {
    const keys = phraseKeys(phrase);
    trie.addKeys(keys, entry);
    for (const key of keys) content.add(key);
  };
  const partOwners = new Map<string, Set<string>>();
  const parts: { keys: string[]; id: string }[] = [];
  for (const service of calendar.services) {
    for (const { phrase, source } of namesOf(service)) {
      addContent(phrase, { kind: "service", id: service.id, source });
      // A word of a name ("beard" of "Beard trim"); an alias is taken whole, as the business wrote it.
      if (source !== "name") continue;
      for (const part of partsOf(phraseKeys(phrase))) {
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
    for (const { phrase } of namesOf(resource)) addContent(phrase, { kind: "resource", id: resource.id });
    trie.add(resource.id, { kind: "resource", id: resource.id });
  }
  const weak = new Set(WEAK_ANYONE.map((p) => phraseKeys(p).join(" ")));
  for (const phrase of ANYONE) addContent(phrase, { kind: "resource", id: ANY_RESOURCE, weak: weak.has(phraseKeys(phrase).join(" ")) });
  const addParts = (parts: Readonly<Record<PartOfDay, readonly string[]>>, daysAhead?: number) => {
    for (const [part, phrases] of Object.entries(parts) as [PartOfDay, readonly string[]][]) for (const phrase of phrases) addContent(phrase, { kind: "part", part, ...(daysAhead === undefined ? {} : { daysAhead }) });
  };
  addParts(PARTS_OF_DAY);
  addParts(PARTS_OF_TODAY, 0);
  addParts(PARTS_OF_TOMORROW, 1);
  for (const phrase of [...FILLERS, ...BOOKING_FILLERS, ...SEPARATORS, ...AVAILABILITY]) trie.add(phrase, { kind: "filler" });
  for (const phrase of NEGATIONS) trie.add(phrase, { kind: "negation" });
  for (const phrase of CORRECTIONS) trie.add(phrase, { kind: "correction" });
  for (const phrase of PAST) trie.add(phrase, { kind: "past" });
  for (const key of DATE_KEYS) content.add(key);
  // A typo is forgiven only towards words of five letters or more: "soin" is no "soir".
  const typoTargets = new Set([...content].filter((w) => !/^\p{Script=Latin}{1,4}$/u.test(w)));
  const speller = new Speller({ known: new Set([...trie.words, ...DATE_KEYS, ...NUMBER_KEYS]), content: typoTargets, exact: NUMBER_KEYS });
  const availability = new PhraseTrie<true>();
  for (const phrase of AVAILABILITY) availability.add(phrase, true);
  const vocabulary = { trie, speller, availability };
  vocabularies.set(calendar, vocabulary);
  return vocabulary;
}

const NUMBER_KEYS: ReadonlySet<string> = new Set(NUMBER_WORDS.flatMap(({ phrase }) => phraseKeys(phrase)));

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
    // A service or resource first: "Ana" over nothing, a name over a filler of the same length;
    // a phrase that names two of them ("trim" for two services) names neither, as `kiosk validate` warns.
    const named = new Set(longest?.values.flatMap((v) => (v.kind === "service" || v.kind === "resource" ? [`${v.kind}:${v.id}`] : [])));
    const entry = named.size > 1 ? undefined : (longest?.values.find((v) => v.kind === "service" || v.kind === "resource") ?? longest?.values[0]);
    const to = longest && entry ? from + longest.length : from + 1;
    pieces.push(longest && entry ? { from, to, entry } : { from, to });
    from = to;
  }
  return { tokens, keys, spellings, pieces };
}

/** Greetings that name a part of the day ("good evening", "晚上好"): blanked, or chrono reads them as this evening. */
const GREETING_KEYS: ReadonlySet<string> = new Set(
  [...FILLERS, ...BOOKING_FILLERS].filter((phrase) => {
    const keys = phraseKeys(phrase);
    return keys.length > 1 && Object.values(PARTS_OF_DAY).flat().some((part) => phraseKeys(part).every((k) => keys.includes(k)));
  }).map((phrase) => phraseKeys(phrase).join(" ")),
);

/**
 * The sentence as chrono should read it: what was read as something else
 * blanked (so "afternoon" cannot move "friday", and "晚上好" is no evening),
 * and a mistyped day or month word replaced by the word it stands for.
 */
function dateText(text: string, scanned: Scanned, dropped: ReadonlySet<number>): string {
  let out = "";
  let at = 0;
  scanned.pieces.forEach((piece, i) => {
    const first = scanned.tokens[piece.from];
    const last = scanned.tokens[piece.to - 1];
    if (!first || !last) return;
    const entry = piece.entry;
    // Fillers stay: chrono needs "at" in "at 10", "et" in "10 heures et demie", "点" in "十点".
    const greeting = entry?.kind === "filler" && GREETING_KEYS.has(scanned.keys.slice(piece.from, piece.to).join(" "));
    let replacement: string | undefined;
    if (dropped.has(i) || greeting || (entry && entry.kind !== "filler")) replacement = " ".repeat(last.end - first.start);
    else if (!entry && scanned.spellings[piece.from]?.includes("typo") && DATE_KEYS.has(scanned.keys[piece.from] ?? "")) replacement = scanned.keys[piece.from];
    if (replacement === undefined) return;
    out += text.slice(at, first.start) + replacement;
    at = last.end;
  });
  return out + text.slice(at);
}

/** The words left once the day and time are read: unknown unless filler. Chinese characters side by side are one word ("该修了"). */
function leftOver(rest: string, vocabulary: Vocabulary): string[] {
  const left = scan(rest, vocabulary);
  const words: string[] = [];
  let previous: Token | undefined;
  for (const piece of left.pieces) {
    const token = left.tokens[piece.from];
    if (piece.entry || !token || token.kind === "mark") {
      previous = undefined;
      continue;
    }
    if (token.kind === "han" && previous?.kind === "han" && previous.end === token.start) words[words.length - 1] += token.text;
    else words.push(token.text);
    previous = token;
  }
  return words;
}

/** One value of a kind, or undefined when none or two different ones ("Ana or Ben" picks nobody). */
function only<T>(values: readonly T[]): T | undefined {
  return new Set(values).size === 1 ? values[0] : undefined;
}

const NUMBER_VALUES: ReadonlyMap<string, number> = new Map(NUMBER_WORDS.filter((w) => !w.article).map((w) => [phraseKeys(w.phrase).join(" "), w.value]));

/** An hour said as a number alone: "11", "eleven", "onze". */
function hourWord(word: string): number | undefined {
  const value = /^\d{1,2}$/u.test(word) ? Number(word) : NUMBER_VALUES.get(phraseKeys(word).join(" "));
  return value !== undefined && value >= 1 && value <= 23 ? value : undefined;
}

/** "at 3" at a salon is 15:00; "3 in the afternoon", "下午三点" too. Hours of the night are not booked. */
function withMeridiem(minutes: number, meridiem: boolean, part: PartOfDay | undefined): number {
  if (meridiem || minutes >= 12 * 60) return minutes;
  if (part === "afternoon" || part === "evening") return minutes + 12 * 60;
  if (part === undefined && minutes >= 60 && minutes < 8 * 60) return minutes + 12 * 60;
  return minutes;
}

const trieOf = (phrases: readonly string[]) => {
  const trie = new PhraseTrie<true>();
  for (const phrase of phrases) trie.add(phrase, true);
  return trie;
};
const ASKING = trieOf([...QUESTION_WORDS, "how long", "combien de temps", "多久"]);
const ASKING_IF_MARKED = trieOf(WH_WORDS);
const MODALS = trieOf(["can", "could", "may", "would", "will", "shall", "peut", "peux", "pouvez", "pourrais", "pourriez", "pourrait", "能", "可以"]);
const OPENERS = trieOf(QUESTION_OPENERS);
const ASKING_FOR = trieOf(REQUESTS);
const QUESTION_MARK_AT_END = /[?？]\s*$/u;
/** Words that refuse what follows them in their part of the sentence: "no colour", "non, pas demain", "不是明天". */
const REFUSING: ReadonlySet<string> = new Set(["no", "non", "nope", "不", "不是", "不要"].map((w) => phraseKeys(w).join(" ")));
/** Where a sentence's parts end: "not tomorrow, thursday", "pas Ben, Ana", "不要Ben，要Ana". */
const PART_ENDS: ReadonlySet<string> = new Set([",", ";", "，", "；", "、", "but", "mais", "instead", "plutot", "rather"]);

/**
 * Whether the sentence asks something rather than books: a question word
 * ("how much", "combien", "多少") unless it asks whether a time is free; a
 * yes/no question's opener ("does Ana do colour?", "are you open…?"), or "吗"
 * without a request. A "?" alone is a booking said with a rising voice when
 * something of a booking was read ("can Ben do my colour?").
 */
function asks(scanned: Scanned, text: string, unknown: readonly string[], vocabulary: Vocabulary): boolean {
  // The words as typed, without the names read ("随便哪个师傅" is "anyone", not a "which?").
  const keys = scanned.tokens.map((t) => t.key);
  for (const piece of scanned.pieces) if (isContent(piece.entry)) keys.fill("", piece.from, piece.to);
  const says = (trie: PhraseTrie<true>) => keys.some((_, i) => trie.matchesAt(keys, i).length > 0);
  if (says(vocabulary.availability)) return false;
  const marked = QUESTION_MARK_AT_END.test(text);
  if (says(ASKING) || (marked && says(ASKING_IF_MARKED))) return true;
  if (says(ASKING_FOR)) return false;
  const first = scanned.pieces.find((p) => p.entry?.kind !== "filler" || OPENERS.matchesAt(keys, p.from).length > 0);
  if (first && OPENERS.matchesAt(keys, first.from).length > 0) return true;
  if (keys.at(-1) === "吗") return true;
  // "vous faites les coupes enfant ?": a "?" after words that are not a booking's; "can Ben do my colour?" asks for one.
  return marked && unknown.length > 0 && !says(MODALS);
}

/** The pieces a refusal or a "not" takes back: its whole part of the sentence ("not tomorrow" of "not tomorrow, thursday"). */
function refusedPieces(scanned: Scanned): Set<number> {
  const refused = new Set<number>();
  let part: number[] = [];
  let refusing = false;
  const close = () => {
    if (refusing) for (const i of part) refused.add(i);
    part = [];
    refusing = false;
  };
  scanned.pieces.forEach((piece, i) => {
    const key = scanned.tokens.slice(piece.from, piece.to).map((t) => t.key).join(" ");
    if (PART_ENDS.has(key)) {
      close();
      return;
    }
    const next = scanned.pieces[i + 1];
    const nextKey = next && scanned.tokens.slice(next.from, next.to).map((t) => t.key).join(" ");
    if (piece.entry?.kind === "negation") refusing = true;
    // "no colour", "不是明天": a refusal right before what it refuses; "no, 3pm" is a correction.
    if (piece.entry?.kind === "correction" && REFUSING.has(key) && next && nextKey !== undefined && !PART_ENDS.has(nextKey)) refusing = true;
    part.push(i);
  });
  close();
  return refused;
}

/** "Morning! Beard trim…": a greeting that opens the sentence is no part of the day. */
function withoutGreeting(text: string): string {
  return text.replace(/^(\W*)((?:good )?(?:morning|afternoon|evening))(\s*[!,.])/iu, (_m, lead: string, greeting: string, mark: string) => lead + " ".repeat(greeting.length) + mark);
}

const isContent = (entry: BookingEntry | undefined) => entry?.kind === "service" || entry?.kind === "resource" || entry?.kind === "part";

const nothing = (unknown: readonly string[], rule: string): BookingReading => ({ unknown, rule });

/**
 * What a sentence says of a booking, read against the calendar. Nothing is
 * read from a question ("how much is a colour?"), a past visit ("my last
 * cut"), or what a refusal takes back ("not tomorrow" of "not tomorrow,
 * thursday"); what it names is reported as not understood.
 *
 * @example
 * // Monday 7 December 2026 in Paris
 * readBooking("a haircut with Ana tomorrow at 10", calendar, { locale: "en-GB", timeZone: "Europe/Paris", now })
 * // { service: "haircut", resource: "ana", day: "2026-12-08", minutes: 600, unknown: [], rule: "…" }
 */
export function readBooking(text: string, calendar: BookingCalendar, options: ReadBookingOptions): BookingReading {
  const vocabulary = vocabularyOf(calendar);
  const typed = withoutGreeting(text);
  const scanned = scan(typed, vocabulary);
  const wordsOf = (pieces: Scanned["pieces"]) => pieces.filter((p) => p.entry?.kind !== "filler").map((p) => scanned.tokens.slice(p.from, p.to).map((t) => t.text).join(" "));
  if (scanned.pieces.some((p) => p.entry?.kind === "past")) return nothing(wordsOf(scanned.pieces), "a past visit: nothing booked");
  const refused = refusedPieces(scanned);
  const kept = scanned.pieces.filter((_, i) => !refused.has(i));
  // "上午都行": "whatever" after a time of day names no one.
  const entries = kept.flatMap((p, i) => {
    if (!p.entry) return [];
    const before = kept[i - 1];
    const afterWhen = before !== undefined && (!before.entry || before.entry.kind === "part");
    return p.entry.kind === "resource" && p.entry.weak === true && afterWhen ? [] : [p.entry];
  });
  const unread = kept.some((p) => !p.entry);
  const when = unread ? readWhen(dateText(typed, scanned, refused), options) : { meridiem: false, rest: "" };
  const unknown = unread ? leftOver(when.rest, vocabulary) : [];
  const takenBack = wordsOf(scanned.pieces.filter((_, i) => refused.has(i)));
  const services = entries.flatMap((e) => (e.kind === "service" ? [e] : []));
  const resources = entries.flatMap((e) => (e.kind === "resource" ? [e.id] : []));
  const parts = entries.flatMap((e) => (e.kind === "part" ? [e] : []));
  if (asks(scanned, text, unknown, vocabulary)) return nothing([...wordsOf(scanned.pieces), ...unknown], "question: nothing booked");
  const service = only(services.map((s) => s.id));
  const resource = only(resources);
  const part = only(parts.map((p) => p.part));
  const ahead = parts.find((p) => p.daysAhead !== undefined)?.daysAhead;
  const partDay = ahead === undefined ? undefined : (DateTime.fromJSDate(options.now, { zone: options.timeZone }).plus({ days: ahead }).toISODate() ?? undefined);
  const day = when.day ?? partDay;
  // A number alone beside what was read is an hour: "actually 11", "haircut friday 3", "eleven please".
  const hour = when.minutes === undefined && unknown.length === 1 ? hourWord(unknown[0] ?? "") : undefined;
  const said = hour !== undefined ? hour * 60 : when.minutes;
  if (said !== undefined && when.minutes === undefined) unknown.length = 0;
  const minutes = said === undefined ? undefined : withMeridiem(said, when.meridiem, part);
  // A day or time among words not understood, or more such words than understood, is chatter: "the weather is awful today", "I love my new hair, thanks Ana!".
  const understood = [service, resource, part, when.day ?? partDay, minutes].filter((v) => v !== undefined).length;
  const onlyWhen = services.length === 0 && resources.length === 0 && parts.length === 0;
  if ((onlyWhen && unknown.length >= 2) || (unknown.length >= 3 && unknown.length > understood)) return nothing([...wordsOf(scanned.pieces), ...unknown], "chatter: nothing booked");
  const reading: BookingReading = {
    ...(service === undefined ? {} : { service }),
    ...(resource === undefined ? {} : { resource }),
    ...(day === undefined ? {} : { day }),
    ...(minutes === undefined ? {} : { minutes }),
    ...(minutes === undefined && part !== undefined ? { part } : {}),
    unknown: [...unknown, ...takenBack, ...(services.length > 0 && service === undefined ? ["(two services)"] : []), ...(resources.length > 0 && resource === undefined ? ["(two people)"] : [])],
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
