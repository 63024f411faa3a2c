import { describe, expect, it } from "vitest";
import { CART_BUTTONS, conversationOf, labelsOf, last, placeCroissantOrder, say, textsOf, useHarness } from "./helpers.ts";

describe("cafe: ordering", () => {
  const harness = useHarness();

  it("orders two medium lattes, pays, and records the order with its history", async () => {
    const emulator = await harness.open();
    const alice = emulator.customer("alice");

    const welcome = await alice.send("/start");
    expect(textsOf(welcome)).toEqual(["Welcome to Café Lumière! ☕", "What would you like? Pick a category, or just type what you want."]);
    expect(labelsOf(last(welcome))).toEqual(["Drinks", "Pastries", "To take home"]);

    expect(textsOf(await alice.send("Latte"))).toEqual(["How many Latte? (1–10)"]);

    const sizes = await alice.send("2");
    expect(textsOf(sizes)).toEqual(["Which size for your Latte?"]);
    expect(labelsOf(last(sizes))).toEqual(["S (−€0.30)", "M", "L (+€0.50)"]);

    const added = await alice.press("M");
    expect(textsOf(added)).toEqual(["Added 2 × Latte (M) — €6.40. Cart total: €6.40.", "Anything else?"]);
    expect(labelsOf(last(added))).toEqual(["Yes", "No"]);

    const summary = await alice.send("no");
    expect(textsOf(summary)).toEqual(["Your order:\n1. 2 × Latte (M) — €6.40\nTotal: €6.40"]);
    expect(labelsOf(last(summary))).toEqual(CART_BUTTONS);

    const placed = await alice.send("yes");
    expect(textsOf(placed)).toEqual(["Order #1 is placed: €6.40. Please pay within 15 minutes to confirm it."]);
    expect(last(placed).invoice).toEqual({ order: "1", title: "Café Lumière order #1", amount: 640, currency: "EUR" });
    expect((await emulator.orders()).map((o) => o.status)).toEqual(["awaiting_payment"]);

    const receipt = await alice.pay("succeed");
    expect(textsOf(receipt)).toEqual([
      "Paid, thank you! Receipt for order #1:\n2 × Latte (M) — €6.40\nTotal paid: €6.40",
      "Enjoy! Send anything to order again.",
    ]);

    const orders = await emulator.orders();
    expect(orders).toHaveLength(1);
    const order = orders[0];
    expect(order).toMatchObject({ id: "1", botId: "cafe", channel: "emulator", userId: "alice", status: "paid", total: 640, currency: "EUR" });
    expect(order?.items).toEqual([
      { productId: "latte", name: "Latte", options: { size: "m" }, optionLabels: ["M"], quantity: 2, unitPrice: 320, lineTotal: 640 },
    ]);

    const history = await emulator.store.orderHistory("1");
    expect(history.map((t) => [t.from, t.to])).toEqual([
      ["draft", "awaiting_payment"],
      ["awaiting_payment", "paid"],
    ]);
    expect(history[0]?.cause).toBe("customer placed the order");
    expect(history[1]?.cause).toMatch(/^payment test\/test_/);

    // The flow ended: the conversation waits at no step, and the cart is empty.
    const conversation = await conversationOf(emulator, "alice");
    expect(conversation?.stepId).toBeNull();
    expect(conversation?.data).toMatchObject({ cart: [] });
  });

  it("re-asks an invalid quantity and then goes on", async () => {
    const emulator = await harness.open();
    const bob = emulator.customer("bob");
    await say(bob, "/start", "Latte");

    for (const wrong of ["0", "11", "abc", "2.5"]) {
      const replies = await bob.send(wrong);
      expect(textsOf(replies), `reply to ${JSON.stringify(wrong)}`).toEqual(["Please send a number from 1 to 10.", "How many Latte? (1–10)"]);
    }
    expect((await conversationOf(emulator, "bob"))?.stepId).toBe("quantity");

    expect(textsOf(await bob.send("3"))).toEqual(["Which size for your Latte?"]);
    expect(textsOf(await bob.send("L"))[0]).toBe("Added 3 × Latte (L) — €11.10. Cart total: €11.10.");
  });

  it.each([
    ["lower case", ["latte"]],
    ["an accent", ["Latté"]],
    ["one typo", ["lattee"]],
    ["a transposition", ["latet"]],
    ["its number in the Drinks list", ["Drinks", "2"]],
  ])("picks Latte from %s", async (_how, turns) => {
    const emulator = await harness.open();
    const customer = emulator.customer("carol");
    await customer.send("/start");
    const replies = await say(customer, ...turns);
    expect(textsOf([last(replies)])).toEqual(["How many Latte? (1–10)"]);
    expect((await conversationOf(emulator, "carol"))?.data).toMatchObject({ slots: { product: "latte" } });
  });

  it("does not guess when what was typed matches nothing", async () => {
    const emulator = await harness.open();
    const dan = emulator.customer("dan");
    await dan.send("/start");
    const replies = await dan.send("pizza");
    expect(textsOf(replies)).toEqual([
      "Sorry, I didn't find “pizza” on the menu. Pick a category below, or type what you'd like, e.g. “2 Espresso”.",
      "What would you like? Pick a category, or just type what you want.",
    ]);
    expect((await conversationOf(emulator, "dan"))?.stepId).toBe("menu");
  });

  it("changes the quantity of one line and removes another, with the right totals", async () => {
    const emulator = await harness.open();
    const eve = emulator.customer("eve");
    await say(eve, "/start", "latte", "2", "M", "yes", "croissant", "3");
    const summary = await eve.send("no");
    expect(textsOf(summary)).toEqual(["Your order:\n1. 2 × Latte (M) — €6.40\n2. 3 × Croissant — €5.40\nTotal: €11.80"]);

    const which = await eve.press("Change quantity");
    expect(textsOf(which)).toEqual(["Which item?"]);
    expect(labelsOf(last(which))).toEqual(["2 × Latte (M)", "3 × Croissant"]);
    expect(textsOf(await eve.press("3 × Croissant"))).toEqual(["How many Croissant would you like?"]);

    const changed = await eve.send("5");
    expect(textsOf(changed)).toEqual(["Your order:\n1. 2 × Latte (M) — €6.40\n2. 5 × Croissant — €9.00\nTotal: €15.40"]);
    expect(labelsOf(last(changed))).toEqual(CART_BUTTONS);

    await eve.press("Remove item");
    const removed = await eve.press("2 × Latte (M)");
    expect(textsOf(removed)).toEqual(["Removed 2 × Latte (M).", "Your order:\n1. 5 × Croissant — €9.00\nTotal: €9.00"]);

    const placed = await eve.press("Place order");
    expect(last(placed).invoice).toMatchObject({ order: "1", amount: 900, currency: "EUR" });
    const [order] = await emulator.orders();
    expect(order?.total).toBe(900);
    expect(order?.items.map((i) => [i.productId, i.quantity, i.lineTotal])).toEqual([["croissant", 5, 900]]);
    expect(await emulator.stockLeft("croissant")).toBe(7);
  });

  it("refuses to change a line beyond the allowed range or the stock left", async () => {
    const emulator = await harness.open();
    await placeCroissantOrder(emulator.customer("gus"), 8);
    expect(await emulator.stockLeft("croissant")).toBe(4);

    const fay = emulator.customer("fay");
    await say(fay, "/start", "croissant", "3", "no");
    // One line: no need to pick which; straight to the new quantity.
    expect(textsOf(await fay.press("Change quantity"))).toEqual(["How many Croissant would you like?"]);
    expect(textsOf(await fay.send("11"))).toEqual(["Please send a number from 1 to 10.", "How many Croissant would you like?"]);
    expect(textsOf(await fay.send("5"))).toEqual(["Sorry, only 4 Croissant are left.", "How many Croissant would you like?"]);
    expect(textsOf(await fay.send("4"))).toEqual(["Your order:\n1. 4 × Croissant — €7.20\nTotal: €7.20"]);
  });
});
