import { describe, expect, it } from "vitest";
import { calendar } from "../../bots/salon/calendar.ts";
import { readBooking } from "./index.ts";

// Monday 7 December 2026, 10:00 in Paris.
const now = new Date("2026-12-07T09:00:00Z");
const read = (text: string, locale = "en-GB") => {
  const { unknown: _unknown, rule: _rule, ...said } = readBooking(text, calendar, { locale, timeZone: "Europe/Paris", now });
  return said;
};

describe("readBooking", () => {
  it("reads the issue's sentences in each language", () => {
    expect(read("I'd like a haircut tomorrow at 10")).toEqual({ service: "haircut", day: "2026-12-08", minutes: 600 });
    expect(read("a haircut with Ana tomorrow at 10")).toEqual({ service: "haircut", resource: "ana", day: "2026-12-08", minutes: 600 });
    expect(read("coupe demain à 10h", "fr")).toEqual({ service: "haircut", day: "2026-12-08", minutes: 600 });
    expect(read("je voudrais une coupe demain à 10h", "fr")).toEqual({ service: "haircut", day: "2026-12-08", minutes: 600 });
    expect(read("明天上午十点剪发", "zh-CN")).toEqual({ service: "haircut", day: "2026-12-08", minutes: 600 });
    expect(read("any")).toEqual({ resource: "any" });
    expect(read("beard")).toEqual({ service: "beard" });
    expect(read("next friday afternoon")).toEqual({ day: "2026-12-18", part: "afternoon" });
    expect(read("afternoon")).toEqual({ part: "afternoon" });
    expect(read("après-midi", "fr")).toEqual({ part: "afternoon" });
    expect(read("下午", "zh-CN")).toEqual({ part: "afternoon" });
  });

  it("reads a word of a service's name, an alias, one typo in a long word, and anyone in each language", () => {
    expect(read("a beard tidy, don't mind who")).toMatchObject({ resource: "any" });
    expect(read("dye my hair on saturday")).toEqual({ service: "colour", day: "2026-12-12" });
    expect(read("hiarcut on friday")).toEqual({ service: "haircut", day: "2026-12-11" });
    expect(read("tomorow morning")).toEqual({ day: "2026-12-08", part: "morning" });
    expect(read("peu importe", "fr")).toEqual({ resource: "any" });
    expect(read("随便哪个师傅", "zh-CN")).toEqual({ resource: "any" });
    // "whatever" after a time of day is about the time, not who: "any time in the morning".
    expect(read("上午都行", "zh-CN")).toEqual({ part: "morning" });
  });

  it("reads an hour without am or pm as a salon does: 3 is 15:00, 9 is 09:00, '07:00' stays in the morning", () => {
    expect(read("friday at 3")).toEqual({ day: "2026-12-11", minutes: 15 * 60 });
    expect(read("周五三点", "zh-CN")).toEqual({ day: "2026-12-11", minutes: 15 * 60 });
    expect(read("tomorrow at 9")).toEqual({ day: "2026-12-08", minutes: 9 * 60 });
    expect(read("07:00")).toEqual({ minutes: 7 * 60 });
    expect(read("下午两点", "zh-CN")).toEqual({ minutes: 14 * 60 });
    expect(read("actually 11")).toEqual({ minutes: 11 * 60 });
  });

  it("reads dates in the locale's order, clock phrases, holidays and parts of today", () => {
    expect(read("15/12 à 10h30", "fr")).toEqual({ day: "2026-12-15", minutes: 630 });
    expect(read("12/15", "en-US")).toEqual({ day: "2026-12-15" });
    expect(read("15.12", "fr")).toEqual({ day: "2026-12-15" });
    expect(read("10.30")).toEqual({ minutes: 630 });
    expect(read("onze heures et quart", "fr")).toEqual({ minutes: 675 });
    expect(read("16h moins le quart", "fr")).toEqual({ minutes: 945 });
    expect(read("九点一刻", "zh-CN")).toEqual({ minutes: 555 });
    expect(read("Christmas Eve at 11am")).toEqual({ day: "2026-12-24", minutes: 660 });
    expect(read("vendredi de la semaine prochaine", "fr")).toEqual({ day: "2026-12-18" });
    expect(read("barbe cet aprem", "fr")).toEqual({ service: "beard", day: "2026-12-07", part: "afternoon" });
    // A week names no day.
    expect(read("a colour next week")).toEqual({ service: "colour" });
  });

  it("takes back what a refusal names, and keeps the rest: 'not tomorrow, thursday'", () => {
    expect(read("not tomorrow, thursday")).toEqual({ day: "2026-12-10" });
    expect(read("juste une coupe, pas de couleur", "fr")).toEqual({ service: "haircut" });
    expect(read("不要Ben，要Ana", "zh-CN")).toEqual({ resource: "ana" });
    expect(read("no colour")).toEqual({});
    expect(read("not with Ben")).toEqual({});
  });

  it("books nothing from questions, past visits and chatter, and reports their words as not understood", () => {
    for (const text of ["how much is a colour?", "are you open on sunday?", "does Ana do colour?", "vous faites les coupes enfant ?", "had Ben last time, he was great", "the weather is awful today", "I live at 15 Rue de Rivoli", "I love my new hair, thanks Ana!"]) {
      expect(read(text), text).toEqual({});
    }
    expect(readBooking("how much is a colour?", calendar, { locale: "en-GB", timeZone: "Europe/Paris", now }).unknown).toContain("colour");
    // A question that asks for a time is a booking.
    expect(read("do you have anything tomorrow at 3?")).toEqual({ day: "2026-12-08", minutes: 15 * 60 });
    expect(read("can Ben do my colour?")).toEqual({ service: "colour", resource: "ben" });
    expect(read("11h30 c'est libre ?", "fr")).toEqual({ minutes: 690 });
  });

  it("names neither of two services or two people said together, and says so", () => {
    const reading = readBooking("haircut or beard with Ana or Ben", calendar, { locale: "en-GB", timeZone: "Europe/Paris", now });
    expect(reading).toMatchObject({ unknown: expect.arrayContaining(["(two services)", "(two people)"]) });
    expect(reading.service).toBeUndefined();
    expect(reading.resource).toBeUndefined();
  });
});
