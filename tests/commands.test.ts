import { describe, expect, it } from "vitest";
import { englishTexts } from "../flows/index.ts";
import { CART_BUTTONS, labelsOf, last, placeCroissantOrder, say, textsOf, useHarness } from "./helpers.ts";

describe("global commands", () => {
  const harness = useHarness();

  it("help answers at any step and brings the customer back to it", async () => {
    const emulator = await harness.open();
    const ann = emulator.customer("ann");
    await say(ann, "/start", "latte", "2");

    const replies = await ann.send("help");
    expect(textsOf(replies)[0]).toBe(englishTexts.help);
    // The size question again, with its buttons: the customer is where they were.
    expect(last(replies).text).toBe("Which size for your Latte?");
    expect(labelsOf(last(replies))).toEqual(["S (−€0.30)", "M", "L (+€0.50)"]);

    const added = await ann.send("M");
    expect(textsOf(added)[0]).toBe("Added 2 × Latte (M) — €6.40. Cart total: €6.40.");
  });

  it("my orders lists the customer's orders with status and total, then re-asks the current step", async () => {
    const emulator = await harness.open();
    const ben = emulator.customer("ben");
    expect(textsOf(await ben.send("my orders"))[0]).toBe(englishTexts.noOrders);

    await placeCroissantOrder(ben, 2);
    await ben.pay("succeed");
    await say(ben, "hi", "espresso", "1");
    const replies = await ben.send("my orders");
    expect(textsOf(replies)).toEqual(["Your orders:\n#1 — paid — €3.60", "Anything else?"]);
    // Someone else's orders are not listed.
    expect(textsOf(await emulator.customer("cat").send("/orders"))[0]).toBe(englishTexts.noOrders);
  });

  it("menu goes back to the categories and keeps the cart", async () => {
    const emulator = await harness.open();
    const dan = emulator.customer("dan");
    await say(dan, "/start", "espresso", "2");
    const replies = await dan.send("menu");
    expect(textsOf(replies)).toEqual(["Total: €5.00", "What would you like? Pick a category, or just type what you want."]);
    expect(labelsOf(last(replies))).toEqual(["Drinks", "Pastries", "To take home"]);

    await say(dan, "croissant", "1");
    const summary = await dan.send("no");
    expect(last(summary).text).toBe("Your order:\n1. 2 × Espresso — €5.00\n2. 1 × Croissant — €1.80\nTotal: €6.80");
    expect(labelsOf(last(summary))).toEqual(CART_BUTTONS);
  });

  it("commands also arrive as button payloads", async () => {
    const emulator = await harness.open();
    const eva = emulator.customer("eva");
    await eva.send("/start");
    expect(textsOf(await eva.press("cmd:help"))[0]).toBe(englishTexts.help);
    expect(textsOf(await eva.press("cmd:orders"))[0]).toBe(englishTexts.noOrders);
  });
});
