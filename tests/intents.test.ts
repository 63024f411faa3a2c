// Issue 15, part 2: global commands asked for in a phrase, in each language.
import { describe, expect, it } from "vitest";
import { chineseTexts, englishTexts, frenchTexts } from "../flows/index.ts";
import { conversationOf, labelsOf, last, placeCroissantOrder, say, textsOf, useHarness } from "./helpers.ts";
import { bookAndPay, chooseSlot, onlyBooking, openSalon } from "./salon.ts";

describe("intents by phrase", () => {
  const harness = useHarness();

  it("'cancel my booking' after booking lists the booking with its cancel button, which cancels it", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    const asked = last(await bookAndPay(alice, { day: "friday", time: "10:30" })).text;

    const replies = await alice.send("cancel my booking");
    expect(replies[0]?.cards?.[0]).toMatchObject({ title: "#1 Haircut with Ana", subtitle: "Friday 26 March at 10:30 · confirmed" });
    expect(replies[0]?.cards?.[0]?.buttons?.map((b) => b.label)).toContain("Cancel booking");
    // The booking is untouched until the customer confirms, and the step asked before is asked again.
    expect((await onlyBooking(emulator)).status).toBe("confirmed");
    expect(last(replies).text).toBe(asked);

    expect(last(await alice.press("Cancel booking")).text).toBe("Cancel Haircut with Ana, Friday 26 March at 10:30? Your deposit of €5.00 will be refunded.");
    expect(textsOf(await alice.press("Yes, cancel"))[0]).toBe("Booking #1 is cancelled. Your deposit of €5.00 is refunded.");
    expect((await onlyBooking(emulator)).status).toBe("cancelled");
  });

  it("'please cancel my haircut on friday' names the booking by its service and day: the bot's calendar gives the service words", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    const asked = last(await bookAndPay(alice, { day: "friday", time: "10:30" })).text;

    const replies = await alice.send("please cancel my haircut on friday");
    expect(replies[0]?.cards?.[0]).toMatchObject({ title: "#1 Haircut with Ana" });
    expect(replies[0]?.cards?.[0]?.buttons?.map((b) => b.label)).toContain("Cancel booking");
    expect(last(replies).text).toBe(asked);
    expect((await onlyBooking(emulator)).status).toBe("confirmed");
  });

  it("'je voudrais annuler mon rendez-vous' at the invoice lets the hold go, as cancel does", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await chooseSlot(alice, { day: "friday", time: "10:30" });
    await alice.send("yes");
    expect(textsOf(await alice.send("je voudrais annuler mon rendez-vous"))).toEqual(["Booking #1 is cancelled."]);
    expect((await onlyBooking(emulator)).status).toBe("cancelled");
    expect((await emulator.orders())[0]?.status).toBe("cancelled");
  });

  it("'cancel my booking' with no booking cancels what the conversation holds", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await alice.send("/start");
    expect(textsOf(await alice.send("cancel my booking"))[0]).toBe(englishTexts.cancelled);
  });

  it("'where is my order' lists the customer's orders and asks the current step again", async () => {
    const emulator = await harness.open();
    const ben = emulator.customer("ben");
    await placeCroissantOrder(ben, 2);
    await ben.pay("succeed");
    await say(ben, "hi", "espresso", "1");
    expect(textsOf(await ben.send("where is my order?"))).toEqual(["Your orders:\n#1 — paid — €3.60", "Anything else?"]);
    expect(textsOf(await ben.send("我的订单在哪"))[0]).toBe("Your orders:\n#1 — paid — €3.60");
  });

  it("'cancel my order' at the invoice cancels the order, as cancel does", async () => {
    const emulator = await harness.open();
    const eve = emulator.customer("eve");
    await placeCroissantOrder(eve, 1);
    expect(textsOf(await eve.send("I want to cancel my order"))[0]).toBe(englishTexts.cancelledOrder("1"));
    expect((await emulator.orders())[0]?.status).toBe("cancelled");
  });

  it("'cancel the croissants' is not the cancel command: the order goes on, and at 'Anything else?' the croissants are removed", async () => {
    const emulator = await harness.open();
    const fay = emulator.customer("fay");
    await say(fay, "/start", "croissant", "2");
    const replies = await fay.send("cancel the croissants");
    expect(textsOf(replies)).not.toContain(englishTexts.cancelled);
    expect(textsOf(replies)).toEqual(["Removed Croissant. Cart total: €0.00.", "Anything else?"]);
    expect((await conversationOf(emulator, "fay"))?.data).toMatchObject({ cart: [] });
  });

  it.each([
    ["en", "talk to a person", englishTexts.noHumanYet],
    ["fr", "je voudrais parler à quelqu'un", frenchTexts.noHumanYet],
    ["zh-CN", "转人工", chineseTexts.noHumanYet],
  ] as const)("answers a request for a person truthfully in %s and asks the step again", async (locale, text, answer) => {
    const emulator = await harness.open();
    const customer = emulator.customer(`c-${locale}`, { locale });
    const menu = last(await customer.send("/start"));
    const replies = await customer.send(text);
    expect(textsOf(replies)[0]).toBe(answer);
    expect(last(replies).text).toBe(menu.text);
    expect(labelsOf(last(replies))).toEqual(labelsOf(menu));
  });

  it("'can I see the menu please' goes to the menu", async () => {
    const emulator = await harness.open();
    const gus = emulator.customer("gus");
    await say(gus, "/start", "latte");
    expect(labelsOf(last(await gus.send("can I see the menu please")))).toEqual(["Drinks", "Pastries", "To take home"]);
  });
});
