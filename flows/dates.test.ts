import { afterEach, describe, expect, it } from "vitest";
import { parseDay, parseTimeOfDay } from "./dates.ts";

const timeZone = "Europe/Paris";
/** Friday 26 March 2027, 10:00 in Paris (CET). */
const FRIDAY = new Date("2027-03-26T09:00:00Z");
/** Sunday 28 March 2027, 00:30 in Paris, the night clocks go forward; still Saturday 27 in UTC. */
const SPRING_SUNDAY = new Date("2027-03-27T23:30:00Z");
/** Sunday 31 October 2027, 00:30 in Paris (CEST), the night clocks go back; still Saturday 30 in UTC. */
const AUTUMN_SUNDAY = new Date("2027-10-30T22:30:00Z");
/** Monday 1 November 2027, 00:30 in Paris (CET); still Sunday 31 October in UTC. */
const AUTUMN_MONDAY = new Date("2027-10-31T23:30:00Z");

const day = (text: string, locale: string, now: Date) => parseDay(text, { locale, timeZone, now });

describe("parseDay", () => {
  it.each([
    // [text, locale, expected] on Friday 26 March 2027
    ["tomorrow", "en", "2027-03-27"],
    ["demain", "fr", "2027-03-27"],
    ["today", "en-GB", "2027-03-26"],
    ["aujourd'hui", "fr-FR", "2027-03-26"],
    ["next monday", "en", "2027-03-29"],
    ["lundi prochain", "fr", "2027-03-29"],
    ["mardi prochain", "fr", "2027-03-30"],
    ["monday", "en-US", "2027-03-29"],
    ["lundi", "fr", "2027-03-29"],
    ["thursday", "en", "2027-04-01"],
    ["jeudi", "fr", "2027-04-01"],
    ["12 march", "en", "2028-03-12"],
    ["le 12 mars", "fr", "2028-03-12"],
    ["12 april", "en-US", "2027-04-12"],
    ["le 12 avril", "fr", "2027-04-12"],
    ["friday at 10", "en", "2027-03-26"],
    ["vendredi 14h", "fr", "2027-03-26"],
  ])("%s (%s) on Friday 26 March 2027 is %s", (text, locale, expected) => {
    expect(day(text, locale, FRIDAY)).toBe(expected);
  });

  it("reads a weekday alone as today when today is that day, else the next one", () => {
    expect(day("friday", "en", FRIDAY)).toBe("2027-03-26");
    expect(day("vendredi", "fr", FRIDAY)).toBe("2027-03-26");
    expect(day("saturday", "en", FRIDAY)).toBe("2027-03-27");
    expect(day("samedi", "fr", FRIDAY)).toBe("2027-03-27");
    // Thursday was yesterday: the next one is six days away.
    expect(day("thursday", "en-GB", FRIDAY)).toBe("2027-04-01");
  });

  it("reads numeric dates day-first except in the US", () => {
    expect(day("12/03", "en-GB", FRIDAY)).toBe("2028-03-12");
    expect(day("12/03", "en", FRIDAY)).toBe("2028-03-12");
    expect(day("12/03", "fr", FRIDAY)).toBe("2028-03-12");
    expect(day("12/03", "fr-FR", FRIDAY)).toBe("2028-03-12");
    expect(day("12/03", "en-US", FRIDAY)).toBe("2027-12-03");
    expect(day("30/04", "en-GB", FRIDAY)).toBe("2027-04-30");
    expect(day("04/30", "en-US", FRIDAY)).toBe("2027-04-30");
    // chrono reads a date that only fits the other order in that order.
    expect(day("04/30", "en-GB", FRIDAY)).toBe("2027-04-30");
    expect(day("30/04", "en-US", FRIDAY)).toBe("2027-04-30");
    expect(day("13/13", "en-GB", FRIDAY)).toBeUndefined();
  });

  it("takes a date without a year as its next occurrence, today included", () => {
    expect(day("26 march", "en", FRIDAY)).toBe("2027-03-26");
    expect(day("le 26 mars", "fr", FRIDAY)).toBe("2027-03-26");
    expect(day("26/03", "fr", FRIDAY)).toBe("2027-03-26");
    expect(day("25/03", "fr", FRIDAY)).toBe("2028-03-25");
    expect(day("25 march", "en-GB", FRIDAY)).toBe("2028-03-25");
  });

  it("returns a date with a past year as written", () => {
    expect(day("12/03/2026", "fr", FRIDAY)).toBe("2026-03-12");
    expect(day("12/03/2026", "en-US", FRIDAY)).toBe("2026-12-03");
    expect(day("12 march 2026", "en", FRIDAY)).toBe("2026-03-12");
  });

  it("counts from the day in the calendar's zone, not in UTC (spring DST night)", () => {
    // 00:30 Sunday in Paris, 23:30 Saturday in UTC.
    expect(day("today", "en", SPRING_SUNDAY)).toBe("2027-03-28");
    expect(day("tomorrow", "en", SPRING_SUNDAY)).toBe("2027-03-29");
    expect(day("demain", "fr", SPRING_SUNDAY)).toBe("2027-03-29");
    expect(day("sunday", "en", SPRING_SUNDAY)).toBe("2027-03-28");
    expect(day("dimanche", "fr", SPRING_SUNDAY)).toBe("2027-03-28");
    expect(day("saturday", "en", SPRING_SUNDAY)).toBe("2027-04-03");
    expect(day("samedi", "fr", SPRING_SUNDAY)).toBe("2027-04-03");
    expect(day("27/03", "fr", SPRING_SUNDAY)).toBe("2028-03-27");
    expect(day("28/03", "fr", SPRING_SUNDAY)).toBe("2027-03-28");
  });

  it("counts from the day in the calendar's zone around the autumn DST change", () => {
    expect(day("today", "en", AUTUMN_SUNDAY)).toBe("2027-10-31");
    expect(day("tomorrow", "en", AUTUMN_SUNDAY)).toBe("2027-11-01");
    expect(day("dimanche", "fr", AUTUMN_SUNDAY)).toBe("2027-10-31");
    expect(day("samedi", "fr", AUTUMN_SUNDAY)).toBe("2027-11-06");
    expect(day("31 october", "en", AUTUMN_SUNDAY)).toBe("2027-10-31");
    expect(day("30/10", "en-GB", AUTUMN_SUNDAY)).toBe("2028-10-30");

    expect(day("aujourd'hui", "fr", AUTUMN_MONDAY)).toBe("2027-11-01");
    expect(day("tomorrow", "en", AUTUMN_MONDAY)).toBe("2027-11-02");
    expect(day("sunday", "en", AUTUMN_MONDAY)).toBe("2027-11-07");
    expect(day("lundi", "fr", AUTUMN_MONDAY)).toBe("2027-11-01");
  });

  it("reads Chinese with chrono's zh parser and numeric dates day-first", () => {
    expect(day("明天", "zh-CN", FRIDAY)).toBe("2027-03-27");
    expect(day("星期五", "zh-CN", FRIDAY)).toBe("2027-03-26");
    expect(day("下周一", "zh", FRIDAY)).toBe("2027-03-29");
    expect(day("3月12日", "zh-CN", FRIDAY)).toBe("2028-03-12");
    expect(day("12/03", "zh-CN", FRIDAY)).toBe("2028-03-12");
    expect(day("明天", "zh-CN", SPRING_SUNDAY)).toBe("2027-03-29");
  });

  it.each(["asdf", "", "   ", "blue", "31/02", "99/99", "10:30", "14h", "2pm", "9", "march", "in 3 hours", "the day after never", "friday or maybe monday"])(
    "%j names no day",
    (text) => {
      expect(day(text, "en", FRIDAY)).toBeUndefined();
      expect(day(text, "fr", FRIDAY)).toBeUndefined();
    },
  );

  it("takes a day with polite filler around it, but not one with other words", () => {
    expect(day("on friday please", "en", FRIDAY)).toBe("2027-03-26");
    expect(day("vendredi svp", "fr", FRIDAY)).toBe("2027-03-26");
    expect(day("friday, thanks!", "en-GB", FRIDAY)).toBe("2027-03-26");
    expect(day("friday unless it rains", "en", FRIDAY)).toBeUndefined();
  });

  it("reads an unparseable locale as English, day-first", () => {
    expect(day("12/03", "not a locale!", FRIDAY)).toBe("2028-03-12");
    expect(day("tomorrow", "not a locale!", FRIDAY)).toBe("2027-03-27");
  });

  it("rejects a time zone that is not an IANA zone", () => {
    expect(() => parseDay("tomorrow", { locale: "en", timeZone: "Paris", now: FRIDAY })).toThrow(RangeError);
  });
});

describe("parseDay does not depend on the process time zone", () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  // January 2027 offsets, to prove each zone really took effect.
  it.each([
    ["UTC", 0],
    ["America/Los_Angeles", 480],
    ["Pacific/Kiritimati", -840],
    ["Asia/Tokyo", -540],
    ["America/Sao_Paulo", 180],
  ])("gives the Paris day with TZ=%s", (zone, januaryOffset) => {
    process.env.TZ = zone;
    expect(new Date("2027-01-15T12:00:00Z").getTimezoneOffset()).toBe(januaryOffset);

    expect(day("tomorrow", "en", SPRING_SUNDAY)).toBe("2027-03-29");
    expect(day("dimanche", "fr", SPRING_SUNDAY)).toBe("2027-03-28");
    expect(day("saturday", "en", SPRING_SUNDAY)).toBe("2027-04-03");
    expect(day("27/03", "en-GB", SPRING_SUNDAY)).toBe("2028-03-27");
    expect(day("demain", "fr", AUTUMN_SUNDAY)).toBe("2027-11-01");
    expect(day("sunday", "en", AUTUMN_MONDAY)).toBe("2027-11-07");
    expect(day("vendredi", "fr", FRIDAY)).toBe("2027-03-26");
    expect(parseTimeOfDay("10h30", { locale: "en" })).toBe(630);
  });
});

describe("parseTimeOfDay", () => {
  it.each([
    ["10:30", 630],
    ["10h30", 630],
    ["14h", 840],
    ["2pm", 840],
    ["2:15 pm", 855],
    ["9", 540],
    ["9pm", 1260],
    ["0:00", 0],
    ["23:59", 1439],
  ])("%s is %i minutes after midnight in every locale", (text, expected) => {
    for (const locale of ["en", "en-GB", "en-US", "fr", "fr-FR", "zh-CN"]) {
      expect(parseTimeOfDay(text, { locale })).toBe(expected);
    }
  });

  it("reads each language's phrasings in its locale", () => {
    expect(parseTimeOfDay("at 9", { locale: "en" })).toBe(540);
    expect(parseTimeOfDay("tomorrow at 10", { locale: "en-US" })).toBe(600);
    expect(parseTimeOfDay("12am", { locale: "en" })).toBe(0);
    expect(parseTimeOfDay("12pm", { locale: "en" })).toBe(720);
    expect(parseTimeOfDay("demain à 10h", { locale: "fr" })).toBe(600);
    expect(parseTimeOfDay("下午2点", { locale: "zh-CN" })).toBe(840);
    expect(parseTimeOfDay("10点半", { locale: "zh-CN" })).toBe(630);
  });

  it.each(["24:00", "25:00", "24", "10:60", "friday", "vendredi", "tomorrow", "12/03", "asdf", "", "blue", "in 3 hours", "banana 10"])(
    "%j names no time of day",
    (text) => {
      for (const locale of ["en", "en-US", "fr", "zh-CN"]) {
        expect(parseTimeOfDay(text, { locale })).toBeUndefined();
      }
    },
  );
});
