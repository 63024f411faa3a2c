/**
 * What a customer types as a day ("tomorrow", "vendredi", "12/03", "明天") or
 * a time of day ("10:30", "14h", "2pm"), read in their language by
 * chrono-node. This file only picks the chrono parser for a locale, feeds it a
 * reference it can use whatever the process time zone is, and keeps the
 * results that name a day or a time; chrono does the reading.
 *
 * Choices, all tested in dates.test.ts:
 * - A weekday alone ("friday", "vendredi") is the next such day strictly after
 *   today, unless today is that weekday: then it is today.
 * - A date without a year is its next occurrence on or after today; a date
 *   with a year is returned as written even when it is past.
 * - Numeric dates are day-first ("12/03" is 12 March) unless the locale's
 *   region is US; a locale without a region ("en") is day-first.
 * - "14h" and "10h30" are times in every locale; a bare "9" is 09:00.
 * - Relative amounts of time ("in 3 hours") are neither a day nor a time of day.
 */
import { createRequire } from "node:module";
import type * as ChronoModule from "chrono-node";
import type { Chrono, ParsedComponents } from "chrono-node";
import { DateTime } from "luxon";

/** Options of {@link parseDay}. */
export interface ParseDayOptions {
  /** BCP 47, e.g. "fr", "en-GB", "en-US", "zh-CN". */
  readonly locale: string;
  /** IANA zone the day is read in, e.g. "Europe/Paris"; "today" is today there. */
  readonly timeZone: string;
  /** The instant the customer typed the text. */
  readonly now: Date;
}

/** Options of {@link parseTimeOfDay}. */
export interface ParseTimeOfDayOptions {
  /** BCP 47, e.g. "fr", "en-GB", "en-US", "zh-CN". */
  readonly locale: string;
}

interface Readers {
  readonly enMonthFirst: Chrono;
  readonly enDayFirst: Chrono;
  readonly frDayFirst: Chrono;
  readonly frMonthFirst: Chrono;
  /** Simplified and traditional together; it reads no numeric dates ("12/03"), so English follows it in the chain. */
  readonly zh: Chrono;
}

const require = createRequire(import.meta.url);
let readers: Readers | undefined;

/**
 * chrono-node and its locales take ~15–25 MB once loaded, so they load on the
 * first date a customer types, not with every bot (most never book). Built
 * once: a Chrono instance holds only its parser configuration.
 */
function chronoReaders(): Readers {
  if (readers) return readers;
  const chrono = require("chrono-node") as typeof ChronoModule;
  readers = {
    enMonthFirst: chrono.en.casual,
    enDayFirst: chrono.en.GB,
    frDayFirst: chrono.fr.casual,
    frMonthFirst: new chrono.Chrono(chrono.fr.createCasualConfiguration(false)),
    zh: chrono.zh.casual,
  };
  return readers;
}

/** chrono's tag on "in 3 hours"-like results: an offset from the reference instant, not a day or time. */
const RELATIVE_DATE_AND_TIME = "result/relativeDateAndTime";

/**
 * The chrono parsers to try for a locale, in order. Languages chrono knows but
 * Kiosk does not ship texts for fall back to English, with the numeric order
 * of the locale's region.
 */
function readersFor(locale: string): readonly Chrono[] {
  let language = "en";
  let region: string | undefined;
  try {
    const parsed = new Intl.Locale(locale);
    language = parsed.language;
    region = parsed.region;
  } catch {
    // Not a BCP 47 tag (a channel may send anything): read it as English, day-first.
  }
  const monthFirst = region === "US";
  const r = chronoReaders();
  const english = monthFirst ? r.enMonthFirst : r.enDayFirst;
  switch (language) {
    case "fr":
      return [monthFirst ? r.frMonthFirst : r.frDayFirst];
    case "zh":
      return [r.zh, english];
    default:
      return [english];
  }
}

/**
 * The small rewrites chrono needs: "14h"/"10h30" are read only by the French
 * parser (English reads "14h" as fourteen hours), so they become "14:00" and
 * "10:30" for every locale.
 */
function normalise(text: string): string {
  return text
    .trim()
    .replace(/\s+/gu, " ")
    .replace(/\b(\d{1,2}) ?h(?: ?(\d{2}))?\b/giu, (_match, hours: string, minutes: string | undefined) => `${hours}:${minutes ?? "00"}`);
}

/** Words an answer may carry besides the date or time: "on friday please", "vendredi svp". */
const FILLER = new Set(["on", "at", "the", "for", "please", "pls", "thanks", "thank", "you", "ok", "le", "la", "à", "a", "pour", "svp", "stp", "merci", "vers", "around"]);

/**
 * Whether chrono read the whole answer: what it did not read must be filler.
 * "the day after never" would otherwise be read as "the day after" — tomorrow —
 * and a misread date costs a customer more than being asked again.
 */
function readsWhole(input: string, result: { readonly index: number; readonly text: string }): boolean {
  const rest = input.slice(0, result.index) + " " + input.slice(result.index + result.text.length);
  return rest
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .every((word) => word === "" || FILLER.has(word));
}

function namesADay(components: ParsedComponents): boolean {
  return (components.isCertain("day") || components.isCertain("weekday")) && !components.tags().has(RELATIVE_DATE_AND_TIME);
}

function namesATime(components: ParsedComponents): boolean {
  return components.isCertain("hour") && !components.tags().has(RELATIVE_DATE_AND_TIME);
}

const pad = (value: number, width: number) => String(value).padStart(width, "0");

/**
 * A local calendar date "YYYY-MM-DD" in `timeZone` that the text names, or
 * undefined. Throws a RangeError when `timeZone` is not an IANA zone.
 *
 * @example
 * // Friday 26 March 2027, 10:00 in Paris
 * parseDay("mardi prochain", { locale: "fr", timeZone: "Europe/Paris", now: new Date("2027-03-26T09:00Z") }) // "2027-03-30"
 */
export function parseDay(text: string, options: ParseDayOptions): string | undefined {
  const local = DateTime.fromJSDate(options.now, { zone: options.timeZone });
  if (!local.isValid) {
    throw new RangeError(`parseDay: timeZone "${options.timeZone}" is not an IANA time zone; use a name such as "Europe/Paris"`);
  }
  // chrono computes in the process zone with Date's local getters. Give it
  // today in `timeZone` as a process-local wall clock: its relative words and
  // `forwardDate` then count from that calendar day whatever process.env.TZ
  // is, and we only read the calendar fields back. The time is 06:00, not the
  // real time of day: before noon, so that forwardDate (which compares against
  // an implied 12:00) keeps today for "friday" on a Friday and for "26 march"
  // on 26 March; after 02:00, before which chrono's Chinese parser reads 明天
  // ("tomorrow") as today; and clear of the hours where zones change clocks.
  const reference = new Date(local.year, local.month - 1, local.day, 6);
  const input = normalise(text);
  if (input === "") return undefined;
  for (const reader of readersFor(options.locale)) {
    const result = reader.parse(input, reference, { forwardDate: true }).find((r) => namesADay(r.start) && readsWhole(input, r));
    if (!result) continue;
    const { start } = result;
    const year = start.get("year");
    const month = start.get("month");
    const day = start.get("day");
    if (year === null || month === null || day === null) continue;
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  }
  return undefined;
}

/**
 * Minutes after local midnight (0–1439) that the text names as a time of day,
 * or undefined. "24:00" is not a time of day.
 *
 * @example
 * parseTimeOfDay("10h30", { locale: "en" }) // 630
 * parseTimeOfDay("2:15 pm", { locale: "fr" }) // 855
 */
export function parseTimeOfDay(text: string, options: ParseTimeOfDayOptions): number | undefined {
  let input = normalise(text);
  // chrono reads no bare hour; in a "what time?" answer "9" means 09:00.
  if (/^\d{1,2}$/u.test(input)) input = `${input}:00`;
  if (input === "") return undefined;
  // The reference only matters to the date chrono would attach; any fixed one will do.
  const reference = new Date(2000, 0, 1);
  for (const reader of readersFor(options.locale)) {
    const result = reader.parse(input, reference).find((r) => namesATime(r.start) && readsWhole(input, r));
    if (!result) continue;
    const hour = result.start.get("hour");
    const minute = result.start.get("minute") ?? 0;
    if (hour === null || hour < 0 || hour > 23 || minute < 0 || minute > 59) continue;
    return hour * 60 + minute;
  }
  return undefined;
}
