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

const HOUR_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, sept: 7, huit: 8, neuf: 9, dix: 10, onze: 11, douze: 12,
};
const HOUR = String.raw`(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;
const HEURE = String.raw`(\d{1,2}|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze)`;
const hourOf = (typed: string) => HOUR_WORDS[typed.toLowerCase()] ?? Number(typed);
const clock = (hours: number, minutes: number) => `${hours}:${String(minutes).padStart(2, "0")}`;
const CHINESE_DIGIT = "[\\d一二两三四五六七八九十]";

/**
 * The small rewrites chrono needs, into "H:MM" it reads in every language:
 * "14h"/"10h30" (English reads "14h" as fourteen hours), "10 heures",
 * "dix heures et demie", "16h moins le quart", "midi", "half past two",
 * "half 2" (British for 2:30), "quarter to 3", "ten o'clock", "九点一刻",
 * "中午", and an hour after "at", "around", "vers", "à" ("around 3"), which
 * chrono leaves unread. A weekday and a time written together in Chinese
 * ("周五三点") are set apart, which chrono's Chinese parser needs.
 */
function normalise(text: string): string {
  return text
    .trim()
    .replace(/\s+/gu, " ")
    .replace(new RegExp(String.raw`\b${HEURE} ?(?:h|heures?) et demie?\b`, "giu"), (_m, hour: string) => clock(hourOf(hour), 30))
    .replace(new RegExp(String.raw`\b${HEURE} ?(?:h|heures?) et quart\b`, "giu"), (_m, hour: string) => clock(hourOf(hour), 15))
    .replace(new RegExp(String.raw`\b${HEURE} ?(?:h|heures?) moins (?:le )?quart\b`, "giu"), (_m, hour: string) => clock((hourOf(hour) + 23) % 24, 45))
    .replace(/\bmidi et demie?\b/giu, "12:30")
    .replace(/\b(\d{1,2}) ?h(?: ?(\d{2}))?\b/giu, (_match, hours: string, minutes: string | undefined) => `${hours}:${minutes ?? "00"}`)
    .replace(new RegExp(String.raw`\b${HEURE} ?heures?\b`, "giu"), (_m, hour: string) => clock(hourOf(hour), 0))
    .replace(new RegExp(String.raw`\b${HOUR} ?(?:o'clock|oclock)\b`, "giu"), (_m, hour: string) => clock(hourOf(hour), 0))
    .replace(new RegExp(String.raw`\bhalf past ${HOUR}\b`, "giu"), (_m, hour: string) => clock(hourOf(hour), 30))
    .replace(new RegExp(String.raw`\bhalf ${HOUR}\b`, "giu"), (_m, hour: string) => clock(hourOf(hour), 30))
    .replace(new RegExp(String.raw`\b(?:a )?quarter past ${HOUR}\b`, "giu"), (_m, hour: string) => clock(hourOf(hour), 15))
    .replace(new RegExp(String.raw`\b(?:a )?quarter to ${HOUR}\b`, "giu"), (_m, hour: string) => clock((hourOf(hour) + 11) % 12 || 12, 45))
    .replace(/(^|\s)(?:à )?midi\b/giu, "$112:00")
    .replace(new RegExp(`(${CHINESE_DIGIT}+点)一刻`, "gu"), "$115分")
    .replace(new RegExp(`(${CHINESE_DIGIT}+点)三刻`, "gu"), "$145分")
    .replace(new RegExp(`中午(?!${CHINESE_DIGIT})`, "gu"), "12点")
    .replace(new RegExp(`((?:周|星期|礼拜)[一二三四五六日天])(?=${CHINESE_DIGIT})`, "gu"), "$1 ")
    .replace(/(^|\s)(at|around|about|by|vers|à)( \d{1,2})(?![\d:/.])/giu, "$1$2$3:00");
}

/** "10.30" is half past ten; done after the dates are read, since "15.12" may be a date. */
const dottedTimes = (text: string) => text.replace(/\b(\d{1,2})\.(\d{2})\b/gu, "$1:$2");

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
 * Today in `timeZone` as a process-local wall clock, for chrono, which
 * computes in the process zone with Date's local getters: its relative words
 * and `forwardDate` then count from that calendar day whatever
 * process.env.TZ is, and only the calendar fields are read back. The time is
 * 06:00, not the real time of day: before noon, so that forwardDate (which
 * compares against an implied 12:00) keeps today for "friday" on a Friday and
 * for "26 march" on 26 March; after 02:00, before which chrono's Chinese
 * parser reads 明天 ("tomorrow") as today; and clear of the hours where zones
 * change clocks.
 */
function chronoReference(options: ParseDayOptions, caller: string): { readonly local: DateTime; readonly reference: Date } {
  const local = DateTime.fromJSDate(options.now, { zone: options.timeZone });
  if (!local.isValid) {
    throw new RangeError(`${caller}: timeZone "${options.timeZone}" is not an IANA time zone; use a name such as "Europe/Paris"`);
  }
  return { local, reference: new Date(local.year, local.month - 1, local.day, 6) };
}

const isoDay = (year: number, month: number, day: number) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;

/**
 * A local calendar date "YYYY-MM-DD" in `timeZone` that the text names, or
 * undefined. Throws a RangeError when `timeZone` is not an IANA zone.
 *
 * @example
 * // Friday 26 March 2027, 10:00 in Paris
 * parseDay("mardi prochain", { locale: "fr", timeZone: "Europe/Paris", now: new Date("2027-03-26T09:00Z") }) // "2027-03-30"
 */
export function parseDay(text: string, options: ParseDayOptions): string | undefined {
  const { reference } = chronoReference(options, "parseDay");
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
    return isoDay(year, month, day);
  }
  return undefined;
}

/** What a sentence says of when: a day, a time of day, and the words left for the caller to read. */
export interface When {
  /** "YYYY-MM-DD" in the zone, when a day is named. */
  readonly day?: string;
  /** Minutes after local midnight, when a time is named. */
  readonly minutes?: number;
  /** Whether the time says morning or afternoon itself ("2pm", "14:00", "下午三点"); "at 3" does not. */
  readonly meridiem: boolean;
  /** The sentence, rewritten as chrono reads it, with what named the day and time blanked out. */
  readonly rest: string;
}

const MONTHS = String.raw`(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|f[ée]vr|avr|mai|juin|juil|ao[uû]t|sept|d[ée]c)`;
const CHINESE_UNITS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 1–31 written in digits or Chinese numerals ("十五", "二十一", "三十"). */
function dayNumber(typed: string): number {
  if (/^\d+$/u.test(typed)) return Number(typed);
  const [tens = "", units = ""] = typed.includes("十") ? typed.split("十") : ["", typed];
  const value = (typed.includes("十") ? (tens === "" ? 1 : (CHINESE_UNITS[tens] ?? 0)) * 10 : 0) + (units === "" ? 0 : (CHINESE_UNITS[units] ?? 0));
  return value;
}

const WEEKDAYS: readonly (readonly string[])[] = [
  ["monday", "lundi"], ["tuesday", "mardi"], ["wednesday", "mercredi"], ["thursday", "jeudi"], ["friday", "vendredi"], ["saturday", "samedi"], ["sunday", "dimanche"],
];
const WEEKDAY = `(${WEEKDAYS.flat().join("|")})`;
const weekdayNumber = (typed: string) => WEEKDAYS.findIndex((names) => names.includes(typed.toLowerCase())) + 1;
const MONTH_NAMES: readonly (readonly string[])[] = [
  ["january", "jan", "janvier", "janv"], ["february", "feb", "février", "fevrier", "févr"], ["march", "mar", "mars"], ["april", "apr", "avril", "avr"],
  ["may", "mai"], ["june", "jun", "juin"], ["july", "jul", "juillet", "juil"], ["august", "aug", "août", "aout"],
  ["september", "sep", "sept", "septembre"], ["october", "oct", "octobre"], ["november", "nov", "novembre"], ["december", "dec", "décembre", "decembre", "déc"],
];
const MONTH = `(${MONTH_NAMES.flat().join("|")})`;
const monthNumber = (typed: string) => MONTH_NAMES.findIndex((names) => names.includes(typed.toLowerCase())) + 1;

/** Days that come back each year, by name. */
const HOLIDAYS: readonly { readonly names: readonly string[]; readonly month: number; readonly day: number }[] = [
  { names: ["christmas eve", "veille de noël", "veille de noel", "réveillon de noël", "平安夜"], month: 12, day: 24 },
  { names: ["christmas day", "christmas", "noël", "noel", "圣诞节", "圣诞"], month: 12, day: 25 },
  { names: ["new year's eve", "new years eve", "saint-sylvestre", "la saint-sylvestre", "réveillon du nouvel an", "跨年夜"], month: 12, day: 31 },
  { names: ["new year's day", "new years day", "jour de l'an", "le jour de l'an", "元旦"], month: 1, day: 1 },
];

/** The next occurrence of a month and day, today included; undefined when the month has no such day. */
function nextDate(month: number, day: number, today: DateTime): DateTime | undefined {
  for (const year of [today.year, today.year + 1]) {
    const candidate = DateTime.fromObject({ year, month, day }, { zone: today.zone });
    if (candidate.isValid && candidate >= today) return candidate;
  }
  return undefined;
}

/**
 * A numeric date: "15/12", "15-12-2026", "15.12", in the locale's order
 * (day first, month first in the US and in Chinese), or the other when the
 * first cannot be a date ("3/15" in Paris is 15 March). A dotted pair is a
 * time when its minutes are round ("10.30") outside Chinese.
 */
function numericDate(match: RegExpExecArray, today: DateTime, locale: string): DateTime | undefined {
  const [, first = "", mark = "", second = "", year] = match;
  const chinese = locale.startsWith("zh");
  if (mark === "." && !chinese && Number(second) % 5 === 0 && Number(first) <= 23) return undefined;
  const monthFirst = chinese || /-US\b/u.test(locale);
  const orders: readonly [number, number][] = monthFirst
    ? [[Number(first), Number(second)], [Number(second), Number(first)]]
    : [[Number(second), Number(first)], [Number(first), Number(second)]];
  for (const [month, day] of orders) {
    if (month < 1 || month > 12) continue;
    if (year !== undefined) {
      const full = year.length === 2 ? 2000 + Number(year) : Number(year);
      const written = DateTime.fromObject({ year: full, month, day }, { zone: today.zone });
      if (written.isValid) return written;
      continue;
    }
    const next = nextDate(month, day, today);
    if (next) return next;
  }
  return undefined;
}

/** The weekday of next week: "vendredi de la semaine prochaine" is the Friday after this week's. */
function nextWeeks(weekday: number, today: DateTime): DateTime {
  return today.startOf("week").plus({ weeks: 1, days: weekday - 1 });
}

type DayRule = { readonly pattern: RegExp; readonly day: (match: RegExpExecArray, today: DateTime, locale: string) => DateTime | undefined };

/** Days chrono does not read, or misreads beside a time: days ahead, holidays, numeric dates, a day of the month without its month. */
const DAY_RULES: readonly DayRule[] = [
  { pattern: /大后天/u, day: (_m, today) => today.plus({ days: 3 }) },
  { pattern: /后天/u, day: (_m, today) => today.plus({ days: 2 }) },
  { pattern: /明儿|明早/u, day: (_m, today) => today.plus({ days: 1 }) },
  { pattern: /今早/u, day: (_m, today) => today },
  { pattern: /\b(?:the )?day after tomorrow\b/iu, day: (_m, today) => today.plus({ days: 2 }) },
  { pattern: /(?:^|\s)apr[èe]s[- ]demain\b/iu, day: (_m, today) => today.plus({ days: 2 }) },
  { pattern: /(?:^|\s)auj\b/iu, day: (_m, today) => today },
  ...HOLIDAYS.map(({ names, month, day }): DayRule => ({ pattern: new RegExp(`(?:^|\\s|\\b)(?:${names.join("|")})(?!\\p{Script=Latin})`, "iu"), day: (_m, today) => nextDate(month, day, today) })),
  { pattern: new RegExp(String.raw`\b${WEEKDAY} (?:de )?la semaine prochaine\b`, "iu"), day: (m, today) => nextWeeks(weekdayNumber(m[1] ?? ""), today) },
  { pattern: /(?<![\d:.])\b(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?\b(?![:\d]|\.\d)/u, day: (m, today, locale) => numericDate(m, today, locale) },
  { pattern: new RegExp(String.raw`\b${MONTH}\.? (\d{1,2})(?:st|nd|rd|th)?\b(?![:\d])`, "iu"), day: (m, today) => nextDate(monthNumber(m[1] ?? ""), Number(m[2]), today) },
  { pattern: new RegExp(String.raw`\b${WEEKDAY},? (?:the )?(\d{1,2})(?:st|nd|rd|th|er)?\b(?![:\d]| ?h\b| ?(?:am|pm)\b| (?:of )?${MONTHS})`, "iu"), day: (m, today) => dayOfMonth(Number(m[2]), today) },
  { pattern: new RegExp(String.raw`\b(?:on )?the (\d{1,2})(?:st|nd|rd|th)?\b(?![:\d]| (?:of )?${MONTHS})`, "iu"), day: (m, today) => dayOfMonth(Number(m[1]), today) },
  { pattern: new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)\b(?! (?:of )?${MONTHS})`, "iu"), day: (m, today) => dayOfMonth(Number(m[1]), today) },
  { pattern: new RegExp(String.raw`(?:^|\s)le (\d{1,2})(?:er)?\b(?![:\d/]| ?${MONTHS})`, "iu"), day: (m, today) => dayOfMonth(Number(m[1]), today) },
  { pattern: /(?:(?:周|星期|礼拜)[一二三四五六日天]\s*)?(?<![月\d])(\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[号日]/u, day: (m, today) => dayOfMonth(dayNumber(m[1] ?? ""), today) },
];

/** What chrono reads as a day but names none: a week ("next week", "la semaine prochaine", "下周"). */
const WEEK_ONLY = /^(?:next week|this week|la semaine prochaine|cette semaine|semaine prochaine|下周|下星期|这周|本周)$/iu;

/** The next day numbered `day` on or after today: this month's, or the next month that has it. */
function dayOfMonth(day: number, today: DateTime): DateTime | undefined {
  if (day < 1 || day > 31) return undefined;
  for (let ahead = 0; ahead < 3; ahead++) {
    const month = today.startOf("month").plus({ months: ahead });
    if (day > (month.daysInMonth ?? 0)) continue;
    const candidate = month.set({ day });
    if (candidate >= today.startOf("day")) return candidate;
  }
  return undefined;
}

const blank = (text: string, from: number, length: number) => text.slice(0, from) + " ".repeat(length) + text.slice(from + length);

/**
 * Reads the day and time a sentence names wherever they are in it ("a
 * haircut tomorrow at 10", "coupe demain à 10h", "明天上午十点剪发"), for a
 * caller that reads the other words itself. An hour without morning or
 * afternoon is returned as said, with `meridiem` false. Throws a RangeError
 * when `timeZone` is not an IANA zone.
 */
export function readWhen(text: string, options: ParseDayOptions): When {
  const { local, reference } = chronoReference(options, "readWhen");
  let rest = normalise(text);
  let day: string | undefined;
  for (const rule of DAY_RULES) {
    const match = rule.pattern.exec(rest);
    const found = match && rule.day(match, local.startOf("day"), options.locale);
    if (!match || !found) continue;
    day = found.toISODate() ?? undefined;
    rest = blank(rest, match.index, match[0].length);
    break;
  }
  rest = dottedTimes(rest);
  let minutes: number | undefined;
  let meridiem = false;
  for (const reader of readersFor(options.locale)) {
    let read = false;
    for (const result of reader.parse(rest, reference, { forwardDate: true })) {
      const { start } = result;
      const year = start.get("year");
      const month = start.get("month");
      const date = start.get("day");
      const weekOnly = WEEK_ONLY.test(result.text.trim());
      const takesDay = day === undefined && namesADay(start) && year !== null && month !== null && date !== null && !weekOnly;
      const hour = start.get("hour");
      const minute = start.get("minute") ?? 0;
      const takesTime = minutes === undefined && namesATime(start) && hour !== null && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59;
      if (takesDay) day = isoDay(year, month, date);
      // "12月10日周四": the weekday agrees with the date already read, and is read with it.
      const agrees = !takesDay && day !== undefined && namesADay(start) && year !== null && month !== null && date !== null && isoDay(year, month, date) === day;
      if (takesTime) {
        minutes = hour * 60 + minute;
        // "07:00" with its zero is a 24-hour clock: seven in the morning.
        meridiem = start.isCertain("meridiem") || hour === 0 || hour > 12 || /(?:^|\D)0\d[:h.]/u.test(result.text);
      }
      if (takesDay || takesTime || agrees || weekOnly) {
        rest = blank(rest, result.index, result.text.length);
        read = true;
      }
    }
    if (read) break;
  }
  return { ...(day === undefined ? {} : { day }), ...(minutes === undefined ? {} : { minutes }), meridiem, rest };
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
  let input = dottedTimes(normalise(text));
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
