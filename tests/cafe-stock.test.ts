import { describe, expect, it } from "vitest";
import { CROISSANT_STOCK, conversationOf, croissantsInCart, labelsOf, last, placeCroissantOrder, say, textsOf, useHarness } from "./helpers.ts";

describe("cafe: stock", () => {
  const harness = useHarness();

  it("shows pain au chocolat (stock 0) as sold out, without an Add button", async () => {
    const emulator = await harness.open();
    const alice = emulator.customer("alice");
    await alice.send("/start");
    const pastries = await alice.press("Pastries");
    expect(textsOf(pastries)).toEqual(["Pastries"]);
    const cards = last(pastries).cards ?? [];
    expect(cards.map((c) => c.title)).toEqual(["Croissant", "Pain au chocolat"]);
    expect(cards[0]).toEqual({ title: "Croissant", price: { amount: 180, currency: "EUR" }, buttons: [{ label: "Add", payload: "product:croissant" }], image: "images/croissant.jpg" });
    expect(cards[1]).toEqual({ title: "Pain au chocolat", subtitle: "Sold out", price: { amount: 210, currency: "EUR" }, image: "images/pain-au-chocolat.jpg" });
    expect(labelsOf(last(pastries))).toEqual(["Back"]);
  });

  it.each([
    ["typed by name on the first screen", [], "pain au chocolat"],
    ["typed by name in Pastries", ["Pastries"], "Pain au Chocolat"],
    ["picked by number in Pastries", ["Pastries"], "2"],
    ["sent as a raw payload", ["Pastries"], "product:pain-au-chocolat"],
  ])(
    "does not sell pain au chocolat %s",
    async (_how, before, input) => {
      const emulator = await harness.open();
      const bob = emulator.customer("bob");
      await say(bob, "/start", ...before);
      const replies = await bob.send(input);
      expect(textsOf(replies)).toEqual(["Sorry, Pain au chocolat is sold out today."]);
      const conversation = await conversationOf(emulator, "bob");
      expect(conversation?.stepId).toBe("menu");
      expect((conversation?.data as { slots: object }).slots).not.toHaveProperty("product");
    },
  );

  it("tells a customer how many are left when they ask for more than the stock", async () => {
    const emulator = await harness.open();
    await placeCroissantOrder(emulator.customer("anna"), 10);
    expect(await emulator.stockLeft("croissant")).toBe(2);

    const ben = emulator.customer("ben");
    await say(ben, "/start", "croissant");
    expect(textsOf(await ben.send("3"))).toEqual(["Sorry, only 2 Croissant are left.", "How many Croissant? (1–10)"]);
    expect((await conversationOf(emulator, "ben"))?.stepId).toBe("quantity");
    expect(textsOf(await ben.send("2"))[0]).toBe("Added 2 × Croissant — €3.60. Cart total: €3.60.");
    await ben.send("no");
    expect(last(await ben.press("Place order")).invoice).toMatchObject({ order: "2", amount: 360 });
    expect(await emulator.stockLeft("croissant")).toBe(0);

    // Now the croissant is sold out too, for everyone.
    const cleo = emulator.customer("cleo");
    await cleo.send("/start");
    const cards = last(await cleo.press("Pastries")).cards ?? [];
    expect(cards[0]).toMatchObject({ title: "Croissant", subtitle: "Sold out" });
    expect(cards[0]?.buttons).toBeUndefined();
    expect(textsOf(await cleo.send("croissant"))).toEqual(["Sorry, Croissant is sold out today."]);
  });

  it("counts what is already in the cart against the stock", async () => {
    const emulator = await harness.open();
    const dora = emulator.customer("dora");
    await say(dora, "/start", "croissant", "10", "yes", "croissant");
    expect(textsOf(await dora.send("3"))).toEqual(["Sorry, only 2 Croissant are left.", "How many Croissant? (1–10)"]);
  });

  it("re-checks stock at checkout: a cart that can no longer be served goes back to the summary", async () => {
    const emulator = await harness.open();
    const early = emulator.customer("early");
    const late = emulator.customer("late");
    // Both fill their carts while 12 are left; carts do not hold stock.
    await croissantsInCart(early, 8);
    await croissantsInCart(late, 8);

    expect(last(await early.press("Place order")).invoice).toMatchObject({ order: "1", amount: 1440 });
    expect(await emulator.stockLeft("croissant")).toBe(4);

    const refused = await late.press("Place order");
    expect(textsOf(refused)).toEqual(["Sorry, only 4 Croissant are left.", "Your order:\n1. 8 × Croissant — €14.40\nTotal: €14.40"]);
    expect(refused.some((m) => m.invoice)).toBe(false);
    expect((await emulator.orders()).map((o) => o.userId)).toEqual(["early"]);
    expect(await emulator.stockLeft("croissant")).toBe(4);
    expect((await conversationOf(emulator, "late"))?.stepId).toBe("review");

    // Lowering the line to what is left lets the order through.
    await late.press("Change quantity");
    await late.send("4");
    expect(last(await late.press("Place order")).invoice).toMatchObject({ order: "2", amount: 720 });
    expect(await emulator.stockLeft("croissant")).toBe(0);
    const placed = (await emulator.orders()).reduce((n, o) => n + (o.items[0]?.quantity ?? 0), 0);
    expect(placed).toBe(CROISSANT_STOCK);
  });
});
