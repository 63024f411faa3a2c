// Issue 15, part 3: a booking typed as people type it, at the welcome and at
// every question of the book step, in English, French and Chinese. The clock
// starts on Monday 22 March 2027, 09:00 in Paris (tests/salon.ts).
import { describe, expect, it } from "vitest";
import salon from "../bots/salon/index.ts";
import { defineBot } from "../flows/index.ts";
import type { BookStep, Flow } from "../flows/ir.ts";
import { conversationOf, labelsOf, last, textsOf, useHarness } from "./helpers.ts";
import { bookingsOf, openSalon } from "./salon.ts";

const HAIRCUT_TERMS =
  "A deposit of €5.00 confirms it; I'll hold the time for 10 minutes while you pay. Free cancellation up to 24 h before (deposit refunded).\nShall I book it?";

describe("salon: bookings typed as sentences", () => {
  const harness = useHarness();

  it("I'd like a haircut tomorrow at 10: says what it understood, asks only who, then 'any' gives the summary to confirm", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await alice.send("/start");
    const asked = await alice.send("I'd like a haircut tomorrow at 10");
    expect(textsOf(asked)).toEqual(["Noted: Haircut · Tuesday 23 March · 10:00.\nWho would you like for your haircut?"]);
    expect(labelsOf(last(asked))).toEqual(["Anyone", "Ana", "Ben"]);
    // Nothing is held before the customer has seen the summary and said yes.
    expect(await bookingsOf(emulator)).toEqual([]);
    expect(textsOf(await alice.send("any"))).toEqual([`Haircut with Ana, Tuesday 23 March at 10:00 (30 min). Price: €25.00.\n${HAIRCUT_TERMS}`]);
    expect(textsOf(await alice.send("yes"))[0]).toBe("Booking #1 is held for 10 minutes. Pay the deposit of €5.00 to confirm it.");
    expect((await bookingsOf(emulator)).map((b) => [b.serviceId, b.resourceId, b.start.toISOString(), b.status])).toEqual([["haircut", "ana", "2027-03-23T09:00:00.000Z", "held"]]);
  });

  it("a haircut with Ana tomorrow at 10: everything in one sentence goes straight to the summary", async () => {
    const emulator = await openSalon(harness);
    const bob = emulator.customer("bob");
    await bob.send("/start");
    expect(textsOf(await bob.send("a haircut with Ana tomorrow at 10"))).toEqual([
      `Noted: Haircut · Ana · Tuesday 23 March · 10:00.\nHaircut with Ana, Tuesday 23 March at 10:00 (30 min). Price: €25.00.\n${HAIRCUT_TERMS}`,
    ]);
  });

  it("beard and any answer the service and stylist questions; tomorrow at 10 at the day question keeps both", async () => {
    const emulator = await openSalon(harness);
    const cleo = emulator.customer("cleo");
    await cleo.send("/start");
    await cleo.press("book");
    expect(textsOf(await cleo.send("beard"))).toEqual(["Who would you like for your beard trim?"]);
    expect(last(await cleo.send("any")).text).toMatch(/^Which day\? Pick one, or type a date \(e\.g\. monday, 27\/03\)\.$/);
    expect(textsOf(await cleo.send("tomorrow at 10"))).toEqual([
      "Noted: Tuesday 23 March · 10:00.\nBeard trim with Ana, Tuesday 23 March at 10:00 (15 min). Price: €12.00.\nA deposit of €2.40 confirms it; I'll hold the time for 10 minutes while you pay. Free cancellation up to 24 h before (deposit refunded).\nShall I book it?",
    ]);
  });

  it("friday afternoon offers only the afternoon's times of that Friday; 'afternoon' at the time question does the same", async () => {
    const emulator = await openSalon(harness);
    const dan = emulator.customer("dan");
    await dan.send("/start");
    await dan.press("book");
    await dan.press("service:haircut");
    await dan.press("resource:ana");
    const friday = await dan.send("friday afternoon");
    expect(textsOf(friday)).toEqual(["Noted: Friday 26 March · afternoon.\nWhat time on Friday 26 March?"]);
    expect(labelsOf(last(friday)).slice(0, 3)).toEqual(["12:00", "12:15", "12:30"]);

    await dan.send("tuesday");
    const afternoon = await dan.send("afternoon");
    expect(textsOf(afternoon)).toEqual(["What time on Tuesday 23 March?"]);
    expect(labelsOf(last(afternoon))[0]).toBe("12:00");
    expect(labelsOf(last(afternoon))).not.toContain("11:45");

    // "next friday" is the Friday of next week; the afternoon is kept with it.
    expect(textsOf(await dan.send("next friday afternoon"))).toEqual(["Noted: Friday 2 April · afternoon.\nWhat time on Friday 2 April?"]);
  });

  it("the day prompt's own examples are taken when typed (the old example 12/03 was refused)", async () => {
    const emulator = await openSalon(harness);
    for (const [name, locale] of [["eve", "en-GB"], ["fab", "fr"], ["gao", "zh-CN"]] as const) {
      const customer = emulator.customer(name, { locale });
      await customer.send("/start");
      await customer.press("book");
      await customer.press("service:haircut");
      const prompt = last(await customer.press("resource:any")).text ?? "";
      const examples = /[(（](?:e\.g\.|ex\.|例如) (.+?)(?:, |、)(.+)[)）]/u.exec(prompt);
      expect(examples, prompt).not.toBeNull();
      for (const typed of [examples?.[1] ?? "", examples?.[2] ?? ""]) {
        const reply = last(await customer.send(typed)).text ?? "";
        expect(reply, `${locale}: '${typed}'`).toMatch(/^(What time on|À quelle heure le|.+几点)/u);
        await customer.press("days:again");
      }
    }
  });

  it("says why a time cannot be had — closed, outside the hours, past, taken — and offers the nearest free times or days", async () => {
    const emulator = await openSalon(harness);
    const fay = emulator.customer("fay");
    await fay.send("/start");
    const closed = await fay.send("a haircut with Ana on sunday at 10");
    expect(last(closed).text).toBe("Noted: Haircut · Ana · Sunday 28 March · 10:00.\nSorry, Ana isn't in on Sunday 28 March.\nWhich day? Pick one, or type a date (e.g. monday, 03/04).");
    expect(labelsOf(last(closed))[0]).toBe("Monday 29 March");

    const early = await fay.send("tomorrow at 8");
    expect(last(early).text).toBe(
      "Noted: Tuesday 23 March · 08:00.\n08:00 is outside our hours on Tuesday 23 March: the first start is 09:00, the last 17:30.\nThe nearest free times:\nWhat time on Tuesday 23 March?",
    );
    expect(labelsOf(last(early))[0]).toBe("09:00");

    // Someone else takes Ana at 11:00 on Wednesday.
    const gil = emulator.customer("gil");
    await gil.send("/start");
    await gil.send("haircut with Ana on wednesday at 11");
    await gil.send("yes");
    const taken = await fay.send("wednesday at 11");
    expect(textsOf(taken)[0]).toMatch(/^Noted: Wednesday 24 March · 11:00\.\nSorry, 11:00 is taken\.\nThe nearest free times:/);
    expect(labelsOf(last(taken))).not.toContain("11:00");
    expect(labelsOf(last(taken))).toContain("11:30");

    await emulator.advance("PT2H");
    const past = await fay.send("today at 10");
    expect(textsOf(past)[0]).toMatch(/^Noted: Monday 22 March · 10:00\.\n10:00 has already passed today\./);
    expect(await bookingsOf(emulator)).toHaveLength(1);
  });

  it("at the summary, 'actually 11' and 'with Ben instead' change it before anything is held", async () => {
    const emulator = await openSalon(harness);
    const hal = emulator.customer("hal");
    await hal.send("/start");
    await hal.send("a haircut with Ana tomorrow at 10");
    expect(last(await hal.send("actually 11")).text).toMatch(/^Haircut with Ana, Tuesday 23 March at 11:00 /);
    expect(last(await hal.send("with Ben instead")).text).toMatch(/^Haircut with Ben, Tuesday 23 March at 11:00 /);
    expect(await bookingsOf(emulator)).toEqual([]);
    await hal.send("yes");
    expect((await bookingsOf(emulator)).map((b) => [b.resourceId, b.start.toISOString()])).toEqual([["ben", "2027-03-23T10:00:00.000Z"]]);
  });

  it("nonsense at the service question says what can be typed there, with the buttons, and changes nothing", async () => {
    const emulator = await openSalon(harness);
    const ivy = emulator.customer("ivy");
    await ivy.send("/start");
    await ivy.press("book");
    const reply = await ivy.send("purple elephant");
    expect(textsOf(reply)).toEqual(["Pick a service, or type what you'd like and when, e.g. \"a haircut tomorrow at 10\".\nWhich service would you like?"]);
    expect(labelsOf(last(reply))).toHaveLength(3);
    expect(textsOf(await ivy.press("service:colour"))).toEqual(["Who would you like for your colour?"]);
    expect(textsOf(await ivy.send("Sophie"))).toEqual(["We have no one called Sophie.\nPick who you'd like, or type \"anyone\".\nWho would you like for your colour?"]);
    expect((await conversationOf(emulator, "ivy"))?.data).toMatchObject({ phase: { stage: "resource", service: "colour" } });
  });

  it("je voudrais une coupe demain à 10h, and 明天上午十点剪发, in the customer's language", async () => {
    const emulator = await openSalon(harness);
    const jo = emulator.customer("jo", { locale: "fr" });
    await jo.send("/start");
    expect(textsOf(await jo.send("je voudrais une coupe demain à 10h"))).toEqual(["C'est noté : Coupe · mardi 23 mars · 10:00.\nAvec qui pour votre coupe ?"]);
    expect(last(await jo.send("peu importe")).text).toMatch(/^Coupe avec Ana, mardi 23 mars à 10:00 \(30 min\)/);

    const li = emulator.customer("li", { locale: "zh-CN" });
    await li.send("/start");
    expect(textsOf(await li.send("明天上午十点剪发"))).toEqual(["已记下：剪发 · 3月23日星期二 · 10:00。\n剪发想找哪位？"]);
    expect(last(await li.send("随便")).text).toMatch(/^剪发（Ana），3月23日星期二 10:00（30 分钟）/);
  });

  it("a book step with understand: false takes only buttons, a day or a time typed alone", async () => {
    const flows = salon.definition.flows.map((f): Flow => ({ ...f, steps: f.steps.map((step) => (step.type === "book" ? ({ ...step, understand: false } satisfies BookStep) : step)) }));
    const strict = defineBot({ ...salon.definition, id: "salon-strict", flows });
    const emulator = await harness.open({ bot: strict, clock: new Date("2027-03-22T08:00:00.000Z") });
    const kim = emulator.customer("kim");
    await kim.send("/start");
    expect(textsOf(await kim.send("a haircut tomorrow at 10"))[0]).toBe("Please pick one of the options (tap a button or send its number).");
    await kim.press("book");
    expect(textsOf(await kim.send("haircut tomorrow at 10"))[0]).toMatch(/^Pick a service/);
    await kim.press("service:haircut");
    await kim.press("resource:ana");
    expect(last(await kim.send("tomorrow")).text).toBe("What time on Tuesday 23 March?");
    expect(last(await kim.send("10:00")).text).toMatch(/^Haircut with Ana, Tuesday 23 March at 10:00/);
  });
});
