import { describe, expect, it } from "vitest";
import { EmulatorError } from "../adapters/emulator/emulator.ts";
import { CROISSANT_STOCK, conversationOf, croissantsInCart, placeCroissantOrder, say, textsOf, useHarness } from "./helpers.ts";

describe("cafe: cancel", () => {
  const harness = useHarness();

  it("empties the cart and orders nothing when cancelled before checkout", async () => {
    const emulator = await harness.open();
    const alice = emulator.customer("alice");
    await croissantsInCart(alice, 3);
    expect((await conversationOf(emulator, "alice"))?.data).toMatchObject({ cart: [{ productId: "croissant", quantity: 3 }] });

    const replies = await alice.send("cancel");
    expect(textsOf(replies)).toEqual(["Cancelled: nothing was ordered. Send any message to start again."]);

    const conversation = await conversationOf(emulator, "alice");
    expect(conversation?.stepId).toBeNull();
    expect(conversation?.data).toMatchObject({ cart: [], slots: {} });
    expect(await emulator.orders()).toEqual([]);
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK);

    // Starting again starts with an empty cart.
    await say(alice, "hello", "croissant", "1");
    expect(textsOf(await alice.send("no"))).toEqual(["Your order:\n1. 1 × Croissant — €1.80\nTotal: €1.80"]);
  });

  it("cancels mid-question (at the quantity step) the same way", async () => {
    const emulator = await harness.open();
    const ben = emulator.customer("ben");
    await say(ben, "/start", "latte");
    expect((await conversationOf(emulator, "ben"))?.stepId).toBe("quantity");
    expect(textsOf(await ben.send("/cancel"))).toEqual(["Cancelled: nothing was ordered. Send any message to start again."]);
    const conversation = await conversationOf(emulator, "ben");
    expect(conversation?.stepId).toBeNull();
    expect(conversation?.data).toMatchObject({ slots: {} });
  });

  it("still cancels the placed order after the customer started over with /start", async () => {
    const emulator = await harness.open();
    const dana = emulator.customer("dana");
    await placeCroissantOrder(dana, 3);
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK - 3);

    await dana.send("/start");
    expect(textsOf(await dana.send("cancel"))).toEqual(["Order #1 is cancelled and nothing was charged. Send any message to start again."]);
    expect((await emulator.orders())[0]?.status).toBe("cancelled");
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK);
  });

  it("cancels a placed order at the pay step: order cancelled, stock released, transition recorded", async () => {
    const emulator = await harness.open();
    const carl = emulator.customer("carl");
    const placed = await placeCroissantOrder(carl, 4);
    expect(placed.at(-1)?.invoice).toMatchObject({ order: "1", amount: 720 });
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK - 4);

    const replies = await carl.send("cancel");
    expect(textsOf(replies)).toEqual(["Order #1 is cancelled and nothing was charged. Send any message to start again."]);

    const [order] = await emulator.orders();
    expect(order?.status).toBe("cancelled");
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK);
    const history = await emulator.store.orderHistory("1");
    expect(history.at(-1)).toMatchObject({ from: "awaiting_payment", to: "cancelled", cause: "customer cancelled in chat" });
    expect((await conversationOf(emulator, "carl"))?.stepId).toBeNull();

    // The expiry timer went with the order: nothing fires later, the stock is not released twice.
    expect(await emulator.advance("PT20M")).toEqual([]);
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK);
    expect(await emulator.store.orderHistory("1")).toHaveLength(2);

    // And there is nothing left to pay.
    await expect(carl.pay("succeed")).rejects.toMatchObject({ name: "EmulatorError", code: "no_open_invoice" });
    await expect(carl.pay("succeed")).rejects.toBeInstanceOf(EmulatorError);
  });
});
