import { describe, expect, it } from "vitest";
import { EMULATOR_CHANNEL } from "../adapters/emulator/sender.ts";
import type { PaymentReport } from "../commerce/index.ts";
import { conversationOf, labelsOf, last, textsOf, useHarness } from "./helpers.ts";
import { bookAndPay, bookingsOf, chooseSlot, onlyBooking, openSalon } from "./salon.ts";

// Friday 26 March 2027, 10:30 in Paris (winter time, UTC+1).
const FRIDAY_1030 = new Date("2027-03-26T09:30:00.000Z");

describe("salon: booking and paying the deposit", () => {
  const harness = useHarness();

  it("books a typed day and time with anyone, holds it, and confirms it when the deposit is paid", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");

    const summary = await chooseSlot(alice, { day: "friday", time: "10:30" });
    expect(last(summary).text).toBe(
      "Haircut with Ana, Friday 26 March at 10:30 (30 min). Price: €25.00.\n" +
        "A deposit of €5.00 confirms it; I'll hold the time for 10 minutes while you pay. Free cancellation up to 24 h before (deposit refunded).\n" +
        "Shall I book it?",
    );
    expect(await bookingsOf(emulator)).toEqual([]);

    const held = await alice.send("yes");
    expect(held).toEqual([
      {
        text: "Booking #1 is held for 10 minutes. Pay the deposit of €5.00 to confirm it.",
        invoice: { order: "1", title: "Salon Lila: deposit for Haircut", amount: 500, currency: "EUR" },
      },
    ]);
    expect(await onlyBooking(emulator)).toMatchObject({ status: "held", resourceId: "ana", start: FRIDAY_1030, deposit: 500, depositPaid: 0, orderId: "1" });

    const paid = await alice.pay("succeed");
    expect(textsOf(paid)).toEqual([
      "Booked! #1: Haircut with Ana, Friday 26 March at 10:30. I'll remind you before.\nDeposit paid: €5.00; €20.00 to pay on the day.",
      "Which mobile number can we reach you on if anything changes?",
    ]);
    // Channels with a share button (Telegram) show it; typing the number works everywhere.
    expect(last(paid).request).toEqual({ kind: "contact", label: "Share my number" });
    expect(textsOf(await alice.send("+33 6 12 34 56 78"))).toEqual(["See you soon at Salon Lila!"]);
    expect(await conversationOf(emulator, "alice")).toMatchObject({ data: { slots: { phone: "+33612345678" } } });
    const booking = await onlyBooking(emulator);
    expect(booking).toMatchObject({ status: "confirmed", depositPaid: 500, depositRefunded: 0, end: new Date("2027-03-26T10:00:00.000Z") });
    expect((await emulator.orders())[0]).toMatchObject({ status: "paid", total: 500, currency: "EUR" });
    const history = await emulator.store.bookingHistory(booking.id);
    expect(history.map((h) => [h.from, h.to])).toEqual([
      ["held", "held"],
      ["held", "confirmed"],
    ]);
    expect(history[1]?.cause).toMatch(/^deposit paid: payment test\//);
    // The confirmed hold's expiry is gone: nothing fires at ten minutes.
    expect(await emulator.advance("PT15M")).toEqual([]);
    expect((await onlyBooking(emulator)).status).toBe("confirmed");
  });

  it("asks for a phone number once: re-asks on nonsense, and a second booking keeps the number given", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    expect(textsOf(await bookAndPay(alice, { day: "friday", time: "10:30" })).at(-1)).toBe("Which mobile number can we reach you on if anything changes?");
    expect(textsOf(await alice.send("12"))).toEqual([
      "That doesn't look like a phone number. Please send it with its country code, e.g. +44 20 7946 0958.",
      "Which mobile number can we reach you on if anything changes?",
    ]);
    expect(textsOf(await alice.shareContact("33612345678"))).toEqual(["See you soon at Salon Lila!"]);
    // Booking again in the same conversation ("/start" would start afresh and ask again).
    for (const step of ["hi", "book", "service:haircut", "resource:any", "friday", "14:00", "yes"]) await (step.includes(":") || step === "book" ? alice.press(step) : alice.send(step));
    expect(textsOf(await alice.pay("succeed")).at(-1)).toBe("See you soon at Salon Lila!");
    expect(await conversationOf(emulator, "alice")).toMatchObject({ data: { slots: { phone: "+33612345678" } } });
  });

  it("expires a hold unpaid after 10 minutes and frees the slot for the next customer", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await chooseSlot(alice, { stylist: "ana", day: "friday", time: "10:30" });
    await alice.send("yes");

    // Bob asks for the same time meanwhile: Ana is taken at 10:30.
    const bob = emulator.customer("bob");
    const refused = await chooseSlot(bob, { stylist: "ana", day: "friday", time: "10:30" });
    expect(textsOf(refused)[0]).toBe("Sorry, 10:30 is taken.\nThe nearest free times:\nWhat time on Friday 26 March?");
    // The free times around 10:30, earliest first: a 30-minute haircut at 10:15 or 10:45 would overlap Alice's hold.
    expect(labelsOf(last(refused)).slice(0, 8)).toEqual(["09:15", "09:30", "09:45", "10:00", "11:00", "11:15", "11:30", "11:45"]);

    expect(await emulator.advance("PT9M")).toEqual([]);
    const fired = await emulator.advance("PT1M");
    expect(fired.map((e) => [e.userId, e.message.text])).toEqual([
      ["alice", "Booking #1 (Haircut with Ana, Friday 26 March at 10:30) was not paid in time, so the time is free again. Type menu to book again."],
    ]);
    expect((await onlyBooking(emulator)).status).toBe("expired");
    expect((await emulator.orders())[0]?.status).toBe("expired");
    expect((await conversationOf(emulator, "alice"))?.stepId).toBeNull();

    // The slot is free again, and a late payment for the expired hold confirms nothing.
    const retried = await bob.send("10:30");
    expect(last(retried).text).toMatch(/^Haircut with Ana, Friday 26 March at 10:30/);
    await bob.send("yes");
    await bob.pay("succeed");
    const statuses = (await bookingsOf(emulator)).map((b) => [b.userId, b.status]);
    expect(statuses).toEqual([
      ["alice", "expired"],
      ["bob", "confirmed"],
    ]);
    expect(await emulator.advance("PT1H")).toEqual([]);
  });

  it.each<[string, Partial<PaymentReport>]>([
    ["the wrong amount", { amount: 499 }],
    ["the wrong currency", { currency: "USD" }],
  ])("does not confirm a booking with a deposit payment of %s", async (_what, forged) => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await chooseSlot(alice, { day: "friday", time: "10:30" });
    await alice.send("yes");
    const report: PaymentReport = { provider: "test", reference: "forged-1", orderId: "1", outcome: "succeeded", amount: 500, currency: "EUR", ...forged };

    const replies = await emulator.collect(() => emulator.deliver({ key: "payment:test:forged-1", userId: "alice", input: { kind: "payment", report } }));
    expect(replies.map((e) => e.message.text)).toEqual(["That payment does not match order #1, so it was not accepted. Nothing was charged to the order."]);
    expect(await onlyBooking(emulator)).toMatchObject({ status: "held", depositPaid: 0 });
    expect((await emulator.orders())[0]?.status).toBe("awaiting_payment");

    await alice.pay("succeed");
    expect(await onlyBooking(emulator)).toMatchObject({ status: "confirmed", depositPaid: 500 });
  });

  it("takes a declined deposit payment, then a good one", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await chooseSlot(alice, { day: "friday", time: "10:30" });
    await alice.send("yes");
    expect(textsOf(await alice.pay("decline"))).toEqual(["Your payment was declined (card_declined). You can try again with the invoice."]);
    expect((await onlyBooking(emulator)).status).toBe("held");
    await alice.pay("succeed");
    expect((await onlyBooking(emulator)).status).toBe("confirmed");
  });

  it("lets the hold go with its unpaid order when the customer types cancel at the invoice", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await chooseSlot(alice, { day: "friday", time: "10:30" });
    await alice.send("yes");
    expect(textsOf(await alice.send("cancel"))).toEqual(["Booking #1 is cancelled."]);
    expect((await onlyBooking(emulator)).status).toBe("cancelled");
    expect((await emulator.orders())[0]?.status).toBe("cancelled");
    expect(await emulator.advance("PT1H")).toEqual([]);
  });

  it("gives exactly one of 50 customers confirming the same slot at once the hold", async () => {
    const emulator = await openSalon(harness);
    const customers = Array.from({ length: 50 }, (_, i) => emulator.customer(`c${i}`));
    for (const customer of customers) await chooseSlot(customer, { stylist: "ben", day: "friday", time: "10:30" });

    const replies = await Promise.all(customers.map((c) => c.send("yes")));
    const bookings = await bookingsOf(emulator);
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({ status: "held", resourceId: "ben", start: FRIDAY_1030 });
    const winners = replies.filter((r) => r.some((m) => m.invoice !== undefined));
    expect(winners).toHaveLength(1);
    const losers = replies.filter((r) => textsOf(r)[0]?.startsWith("Sorry, that time was just taken.\nWhat time on Friday 26 March?"));
    expect(losers).toHaveLength(49);
  });

  it("offers another free stylist at the same time when 'anyone' loses the race for the first", async () => {
    const emulator = await openSalon(harness);
    const [alice, bob] = [emulator.customer("alice"), emulator.customer("bob")];
    await chooseSlot(alice, { day: "friday", time: "10:30" });
    await chooseSlot(bob, { day: "friday", time: "10:30" });
    await alice.send("yes");
    await bob.send("yes");
    expect((await bookingsOf(emulator)).map((b) => [b.userId, b.resourceId, b.start.toISOString()])).toEqual([
      ["alice", "ana", FRIDAY_1030.toISOString()],
      ["bob", "ben", FRIDAY_1030.toISOString()],
    ]);
  });
});

describe("salon: typed days, nonsense and time zones", () => {
  const harness = useHarness();

  it("reads French days typed as words or numbers", async () => {
    const emulator = await openSalon(harness);
    const claire = emulator.customer("claire", { locale: "fr" });
    await claire.send("bonjour");
    await claire.press("book");
    await claire.press("service:colour");
    await claire.press("resource:ben");
    // Ben does not work on Mondays; Tuesday 23 March is "demain".
    expect(last(await claire.send("demain")).text).toBe("À quelle heure le mardi 23 mars ?");
    expect(last(await claire.send("vendredi")).text).toBe("À quelle heure le vendredi 26 mars ?");
    expect(last(await claire.send("02/04")).text).toBe("À quelle heure le vendredi 2 avril ?");
    const summary = await claire.send("14h");
    expect(last(summary).text).toMatch(/^Couleur avec Ben, vendredi 2 avril à 14:00 \(90 min\)\. Prix : 60,00\s€\./);
    await claire.send("oui");
    expect(textsOf(await claire.pay("succeed"))[0]).toBe(
      "C'est réservé ! N°1 : Couleur avec Ben, vendredi 2 avril à 14:00. Je vous le rappellerai avant.\nAcompte payé : 12,00\u00a0€ ; 48,00\u00a0€ à régler sur place.",
    );
    expect(await onlyBooking(emulator)).toMatchObject({ start: new Date("2027-04-02T12:00:00.000Z"), depositPaid: 1200 });
  });

  it("answers nonsense at the day and time questions with a clear question again, changing nothing", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await alice.send("/start");
    await alice.press("book");
    await alice.press("service:beard");
    await alice.press("resource:any");
    // The examples are the first day shown, by its weekday, and the last, by its date: both would be taken.
    expect(textsOf(await alice.send("purple elephant"))[0]).toBe("I couldn't read that as a day. Pick one, or type a date like monday or 27/03.");
    expect(textsOf(await alice.send("01/01/2020"))[0]).toMatch(/^Wednesday 1 January has already passed\./);
    expect(textsOf(await alice.send("sunday"))[0]).toMatch(/^Sorry, we.re closed on Sunday 28 March\./);
    expect(textsOf(await alice.send("31/12"))[0]).toMatch(/^We take bookings up to 60 days ahead \(until Friday 21 May\)\./);
    await alice.send("tuesday");
    expect(textsOf(await alice.send("7pm"))[0]).toBe(
      "19:00 is outside our hours on Tuesday 23 March: the first start is 09:00, the last 17:45.\nThe nearest free times:\nWhat time on Tuesday 23 March?",
    );
    expect(textsOf(await alice.send("blue"))[0]).toBe("I couldn't read that as a time. Pick one, or type one like 10:30.\nWhat time on Tuesday 23 March?");
    expect(await bookingsOf(emulator)).toEqual([]);
    // A day typed at the time question moves to that day.
    expect(last(await alice.send("wednesday")).text).toBe("What time on Wednesday 24 March?");
  });

  it("keeps Monday 09:00 at 09:00 in Paris on both sides of the spring change", async () => {
    const emulator = await openSalon(harness);
    const before = emulator.customer("before");
    const times = await chooseSlot(before, { stylist: "ana", day: "monday", time: "09:00" });
    expect(last(times).text).toMatch(/^Haircut with Ana, Monday 22 March at 09:00/);
    await before.send("yes");
    const after = emulator.customer("after");
    await chooseSlot(after, { stylist: "ana", day: "29/03", time: "09:00" });
    await after.send("yes");
    expect((await bookingsOf(emulator)).map((b) => b.start.toISOString())).toEqual(["2027-03-22T08:00:00.000Z", "2027-03-29T07:00:00.000Z"]);
  });

  it("keeps Monday 09:00 at 09:00 in Paris on both sides of the autumn change", async () => {
    const emulator = await openSalon(harness, new Date("2027-10-20T08:00:00.000Z"));
    const before = emulator.customer("before");
    await chooseSlot(before, { stylist: "ana", day: "25/10", time: "09:00" });
    await before.send("yes");
    const after = emulator.customer("after");
    const summary = await chooseSlot(after, { stylist: "ana", day: "01/11", time: "9" });
    expect(last(summary).text).toMatch(/^Haircut with Ana, Monday 1 November at 09:00/);
    await after.send("yes");
    expect((await bookingsOf(emulator)).map((b) => b.start.toISOString())).toEqual(["2027-10-25T07:00:00.000Z", "2027-11-01T08:00:00.000Z"]);
  });

  it("does not offer times that have already passed today", async () => {
    const emulator = await openSalon(harness, new Date("2027-03-22T15:20:00.000Z"));
    const alice = emulator.customer("alice");
    await alice.send("/start");
    await alice.press("book");
    await alice.press("service:haircut");
    await alice.press("resource:ana");
    const times = await alice.press("day:2027-03-22");
    expect(labelsOf(last(times)).slice(0, 3)).toEqual(["16:30", "16:45", "17:00"]);
  });
});

describe("salon: cancelling, rescheduling and reminders", () => {
  const harness = useHarness();

  it("refunds the deposit when cancelled 24 hours or more before", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await bookAndPay(alice, { day: "friday", time: "10:30" });
    const mine = await alice.send("my bookings");
    expect(mine[0]?.cards?.[0]).toMatchObject({ title: "#1 Haircut with Ana", subtitle: "Friday 26 March at 10:30 · confirmed" });

    // Exactly 24 h before is still free.
    await emulator.advance("P3DT1H30M");
    expect(emulator.clock.now().toISOString()).toBe("2027-03-25T09:30:00.000Z");
    expect(last(await alice.press("Cancel booking")).text).toBe("Cancel Haircut with Ana, Friday 26 March at 10:30? Your deposit of €5.00 will be refunded.");
    expect(textsOf(await alice.press("Yes, cancel"))[0]).toBe("Booking #1 is cancelled. Your deposit of €5.00 is refunded.");
    expect(await onlyBooking(emulator)).toMatchObject({ status: "cancelled", depositPaid: 500, depositRefunded: 500 });
    expect((await emulator.orders())[0]?.status).toBe("refunded");
    expect((await emulator.store.bookingHistory("1")).at(-1)?.cause).toBe("customer cancelled in chat; deposit 500 refunded");
    // No reminder comes for a cancelled booking.
    expect(await emulator.advance("P2D")).toEqual([]);
  });

  it("keeps the deposit when cancelled less than 24 hours before", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await bookAndPay(alice, { day: "friday", time: "10:30" });
    await emulator.advance("P3DT1H31M");
    await alice.send("my bookings");
    expect(last(await alice.press("booking:cancel:1")).text).toBe(
      "Cancel Haircut with Ana, Friday 26 March at 10:30? Free cancellation ended Thursday 25 March at 10:30, so the deposit of €5.00 is kept.",
    );
    // Typed "yes" answers the question.
    expect(textsOf(await alice.send("yes"))[0]).toBe("Booking #1 is cancelled. The deposit of €5.00 is kept.");
    expect(await onlyBooking(emulator)).toMatchObject({ status: "cancelled", depositPaid: 500, depositRefunded: 0 });
    expect((await emulator.orders())[0]?.status).toBe("paid");
  });

  it("keeps the booking when the customer changes their mind, and ignores buttons of someone else's booking", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await bookAndPay(alice, { day: "friday", time: "10:30" });
    await alice.press("booking:cancel:1");
    expect(textsOf(await alice.press("Keep it"))[0]).toBe("OK, your booking stays as it is.");
    const mallory = emulator.customer("mallory");
    await mallory.send("/start");
    expect(textsOf(await mallory.press("booking:cancel-yes:1"))[0]).toBe("Booking #1 can't be changed any more.");
    expect((await onlyBooking(emulator)).status).toBe("confirmed");
  });

  it("reschedules from my bookings, keeping the deposit and freeing the old time", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await bookAndPay(alice, { stylist: "ana", day: "friday", time: "10:30" });
    await alice.send("my bookings");
    expect(textsOf(await alice.press("Reschedule"))).toEqual(["Let's move Haircut with Ana (now Friday 26 March at 10:30).", "Who would you like for your haircut?"]);
    await alice.press("resource:ben");
    await alice.send("saturday");
    const summary = await alice.send("11:00");
    expect(last(summary).text).toBe("Haircut with Ben, Saturday 27 March at 11:00 (30 min). Price: €25.00.\nShall I book it?");
    expect(textsOf(await alice.send("yes"))).toEqual(["Done: booking #1 is now Saturday 27 March at 11:00. Your deposit stays with it."]);
    expect(await onlyBooking(emulator)).toMatchObject({
      id: "1",
      status: "confirmed",
      resourceId: "ben",
      start: new Date("2027-03-27T10:00:00.000Z"),
      end: new Date("2027-03-27T10:30:00.000Z"),
      depositPaid: 500,
    });
    expect((await emulator.store.bookingHistory("1")).at(-1)).toMatchObject({ from: "confirmed", to: "confirmed" });
    expect((await emulator.orders()).map((o) => o.status)).toEqual(["paid"]);

    // Ana's Friday 10:30 is free again.
    const bob = emulator.customer("bob");
    await chooseSlot(bob, { stylist: "ana", day: "friday", time: "10:30" });
    await bob.send("yes");
    expect((await bookingsOf(emulator)).map((b) => [b.userId, b.status])).toEqual([
      ["bob", "held"],
      ["alice", "confirmed"],
    ]);

    // The reminders follow the new time: the first comes 24 h before Saturday 11:00, not before Friday.
    await emulator.advance("PT10M");
    const untilFriday = await emulator.advance("P3DT2H");
    expect(untilFriday.filter((e) => e.userId === "alice")).toEqual([]);
    const reminder = await emulator.advance("P1D");
    expect(reminder.map((e) => e.message.text)).toEqual(["Reminder: Haircut with Ben, Saturday 27 March at 11:00."]);
  });

  it("sends each reminder once, with its buttons, and never twice across a restart", async () => {
    const first = await openSalon(harness);
    const alice = first.customer("alice");
    await bookAndPay(alice, { day: "friday", time: "10:30" });

    expect(await first.advance("P3DT1H29M")).toEqual([]);
    const dayBefore = await first.advance("PT1M");
    expect(dayBefore.map((e) => e.message)).toEqual([
      {
        text: "Reminder: Haircut with Ana, Friday 26 March at 10:30.",
        buttons: [
          { label: "Reschedule", payload: "booking:reschedule:1" },
          { label: "Cancel booking", payload: "booking:cancel:1" },
        ],
      },
    ]);
    const now = first.clock.now();
    await first.close();

    // A new process on the same file, at the same time: the 24 h reminder is not sent again.
    const second = await harness.open({ bot: first.bot, clock: now });
    expect(second.channel.delivered).toEqual([]);
    expect(await second.advance("PT21H59M")).toEqual([]);
    const twoHours = await second.advance("PT1M");
    expect(twoHours.map((e) => e.message.text)).toEqual(["Reminder: Haircut with Ana, Friday 26 March at 10:30."]);
    expect(await second.advance("P1D")).toEqual([]);
    // Its time over, the booking is completed and leaves "my bookings".
    expect(await onlyBooking(second)).toMatchObject({ status: "completed" });
    expect((await second.store.bookingHistory("1")).at(-1)).toMatchObject({ from: "confirmed", to: "completed", cause: "the appointment time is over" });
    expect(textsOf(await second.customer("alice").send("my bookings"))[0]).toBe("You have no upcoming bookings.");
    expect(second.channel.delivered.filter((e) => e.channel === EMULATOR_CHANNEL && e.message.text?.startsWith("Reminder"))).toHaveLength(1);
  });

  it("reschedules from a reminder's button", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await bookAndPay(alice, { stylist: "ana", day: "saturday", time: "09:00" });
    await emulator.advance("P4D");
    expect(last(alice.inbox).text).toBe("Reminder: Haircut with Ana, Saturday 27 March at 09:00.");
    await alice.press("Reschedule");
    await alice.press("resource:ana");
    await alice.send("saturday");
    await alice.send("12:00");
    expect(textsOf(await alice.send("yes"))).toEqual(["Done: booking #1 is now Saturday 27 March at 12:00. Your deposit stays with it."]);
  });

  it("keeps a deposit non-refundable once moved after the free-cancellation line", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await bookAndPay(alice, { stylist: "ana", day: "friday", time: "10:30" });
    // Thursday afternoon: inside 24 h. Move to next Friday, then cancel a week ahead.
    await emulator.advance("P3DT6H");
    await alice.press("booking:reschedule:1");
    await alice.press("resource:ana");
    await alice.send("02/04");
    expect(last(await alice.send("10:30")).text).toBe(
      "Haircut with Ana, Friday 2 April at 10:30 (30 min). Price: €25.00.\n" +
        "Your deposit stays with the booking, but free cancellation has passed, so it is no longer refundable.\n" +
        "Shall I book it?",
    );
    await alice.send("yes");
    await alice.press("booking:cancel:1");
    expect(last(alice.inbox).text).toBe(
      "Cancel Haircut with Ana, Friday 2 April at 10:30? Free cancellation ended Thursday 25 March at 10:30, so the deposit of €5.00 is kept.",
    );
    await alice.press("Yes, cancel");
    expect(await onlyBooking(emulator)).toMatchObject({ status: "cancelled", depositRefunded: 0 });
  });

  it("lists no bookings for a new customer, and shows a held one with only a cancel button", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    expect(textsOf(await alice.send("my bookings"))[0]).toBe("You have no upcoming bookings.");
    await chooseSlot(alice, { day: "friday", time: "10:30" });
    await alice.send("yes");
    const mine = await alice.send("my bookings");
    expect(mine[0]?.cards?.[0]).toMatchObject({ subtitle: "Friday 26 March at 10:30 · awaiting deposit", buttons: [{ label: "Cancel booking", payload: "booking:cancel:1" }] });
  });
});
