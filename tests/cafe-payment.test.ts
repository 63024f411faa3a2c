import { describe, expect, it } from "vitest";
import { EmulatorError } from "../adapters/emulator/emulator.ts";
import type { PaymentReport } from "../commerce/index.ts";
import { CROISSANT_STOCK, conversationOf, placeCroissantOrder, textsOf, useHarness } from "./helpers.ts";

const RECEIPT_3_CROISSANTS = "Paid, thank you! Receipt for order #1:\n3 × Croissant — €5.40\nTotal paid: €5.40";

describe("cafe: paying", () => {
  const harness = useHarness();

  it("expires an unpaid order after 15 minutes and releases its stock", async () => {
    const emulator = await harness.open();
    const alice = emulator.customer("alice");
    await placeCroissantOrder(alice, 4);
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK - 4);

    expect(await emulator.advance("PT14M")).toEqual([]);
    expect((await emulator.orders())[0]?.status).toBe("awaiting_payment");
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK - 4);

    const fired = await emulator.advance("PT2M");
    expect(fired.map((e) => [e.userId, e.message.text])).toEqual([
      ["alice", "Order #1 expired unpaid, and its items were released. Type menu to order again."],
    ]);
    expect((await emulator.orders())[0]?.status).toBe("expired");
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK);
    const history = await emulator.store.orderHistory("1");
    expect(history.at(-1)).toMatchObject({ from: "awaiting_payment", to: "expired" });
    expect(history.at(-1)?.cause).toMatch(/unpaid/);
    expect(history.at(-1)?.at).toEqual(new Date(emulator.clock.now()));
    expect((await conversationOf(emulator, "alice"))?.stepId).toBeNull();

    // Nothing is left to pay, and the timer does not fire twice.
    const error = await alice.pay("succeed").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmulatorError);
    expect(error).toMatchObject({ code: "no_open_invoice" });
    expect(await emulator.advance("PT1H")).toEqual([]);
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK);
  });

  it("does not let a payment that arrives after expiry revive the order", async () => {
    const emulator = await harness.open();
    const bea = emulator.customer("bea");
    await placeCroissantOrder(bea, 3);
    const [order] = await emulator.orders();
    if (!order) throw new Error("no order");
    const report = emulator.payments.charge(order, "succeed");
    await emulator.advance("PT16M");

    const replies = await emulator.collect(() => emulator.deliver({ key: "payment:late", userId: "bea", input: { kind: "payment", report } }));
    expect(replies.map((e) => e.message.text)).toEqual(["Order #1 was no longer open when your payment arrived; it will be refunded."]);
    expect((await emulator.orders())[0]?.status).toBe("expired");
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK);
  });

  it("keeps the order open after a declined payment, and a retry pays it", async () => {
    const emulator = await harness.open();
    const carl = emulator.customer("carl");
    await placeCroissantOrder(carl, 3);

    const declined = await carl.pay("decline");
    expect(textsOf(declined)).toEqual(["Your payment was declined (card_declined). You can try again with the invoice."]);
    expect((await emulator.orders())[0]?.status).toBe("awaiting_payment");
    expect((await conversationOf(emulator, "carl"))?.stepId).toBe("pay");

    const paid = await carl.pay("succeed");
    expect(textsOf(paid)).toEqual([RECEIPT_3_CROISSANTS, "Enjoy! Send anything to order again."]);
    expect((await emulator.orders())[0]?.status).toBe("paid");
    expect((await emulator.store.orderHistory("1")).map((t) => t.to)).toEqual(["awaiting_payment", "paid"]);
    // Paid orders keep their stock, and no expiry comes later.
    expect(await emulator.advance("PT1H")).toEqual([]);
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK - 3);
    expect((await emulator.orders())[0]?.status).toBe("paid");
  });

  it.each<[string, Partial<PaymentReport>]>([
    ["the wrong amount", { amount: 1 }],
    ["the wrong currency", { currency: "USD" }],
  ])("does not pay the order with a report of %s", async (_what, forged) => {
    const emulator = await harness.open();
    const dora = emulator.customer("dora");
    await placeCroissantOrder(dora, 3);
    const report: PaymentReport = {
      provider: "test",
      reference: "forged-1",
      orderId: "1",
      outcome: "succeeded",
      amount: 540,
      currency: "EUR",
      ...forged,
    };

    const replies = await emulator.collect(() => emulator.deliver({ key: "payment:test:forged-1", userId: "dora", input: { kind: "payment", report } }));
    expect(replies.map((e) => e.message.text)).toEqual([
      "That payment does not match order #1, so it was not accepted. Nothing was charged to the order.",
    ]);
    expect((await emulator.orders())[0]?.status).toBe("awaiting_payment");
    expect(await emulator.store.orderHistory("1")).toHaveLength(1);

    // The real payment still goes through.
    expect(textsOf(await dora.pay("succeed"))[0]).toBe(RECEIPT_3_CROISSANTS);
    expect((await emulator.orders())[0]?.status).toBe("paid");
  });

  it("ignores a payment report for another customer's order", async () => {
    const emulator = await harness.open();
    await placeCroissantOrder(emulator.customer("owner"), 3);
    const [order] = await emulator.orders();
    if (!order) throw new Error("no order");
    const report = emulator.payments.charge(order, "succeed");

    const replies = await emulator.collect(() => emulator.deliver({ key: "payment:stranger", userId: "stranger", input: { kind: "payment", report } }));
    expect(replies.filter((e) => e.message.text?.startsWith("Paid"))).toEqual([]);
    expect((await emulator.orders())[0]?.status).toBe("awaiting_payment");
  });

  it("refuses, in the engine itself, a payment report of an amount no payment can have: the turn fails, nothing is recorded, no refund is owed", async () => {
    const emulator = await harness.open();
    await placeCroissantOrder(emulator.customer("alice"), 1);
    const [order] = await emulator.orders();
    if (!order) throw new Error("no order");
    for (const amount of [-180, 0, 1.8, 100_000_000]) {
      const report: PaymentReport = { provider: "test", reference: `odd_${amount}`, orderId: order.id, outcome: "succeeded", amount, currency: "EUR" };
      const result = await emulator.deliver({ key: `payment:odd:${amount}`, userId: "alice", input: { kind: "payment", report } });
      expect(result.status, String(amount)).toBe("failed");
      expect(result.status === "failed" ? String(result.error) : "").toMatch(/nothing was recorded/);
    }
    expect((await emulator.orders())[0]?.status).toBe("awaiting_payment");
    expect(await emulator.store.listRefunds({ botId: "cafe" })).toEqual([]);
    // The references were not recorded: a real payment under one of them pays the order.
    const real: PaymentReport = { provider: "test", reference: "odd_-180", orderId: order.id, outcome: "succeeded", amount: order.total, currency: "EUR" };
    await emulator.deliver({ key: "payment:real", userId: "alice", input: { kind: "payment", report: real } });
    expect((await emulator.orders())[0]?.status).toBe("paid");
  });
});
