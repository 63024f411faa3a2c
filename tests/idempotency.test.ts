import { describe, expect, it } from "vitest";
import { conversationOf, placeCroissantOrder, useHarness } from "./helpers.ts";

describe("idempotency", () => {
  const harness = useHarness();

  it("handles the same event once when it is delivered twice", async () => {
    const emulator = await harness.open();
    const alice = emulator.customer("alice");
    await alice.send("/start");
    const event = { key: "emulator:update-42", userId: "alice", input: { kind: "text", text: "croissant" } } as const;

    const first = await emulator.collect(async () => expect(await emulator.deliver(event)).toMatchObject({ status: "handled", messages: 1 }));
    expect(first.map((e) => e.message.text)).toEqual(["How many Croissant? (1–10)"]);
    const after = await conversationOf(emulator, "alice");
    expect(after?.version).toBe(2);

    const second = await emulator.collect(async () => expect(await emulator.deliver(event)).toEqual({ status: "duplicate", messages: 0, accepted: false }));
    expect(second).toEqual([]);
    expect(await conversationOf(emulator, "alice")).toEqual(after);

    // The same key with different content is still the same event.
    const replay = await emulator.deliver({ ...event, input: { kind: "text", text: "latte" } });
    expect(replay.status).toBe("duplicate");
    expect((await conversationOf(emulator, "alice"))?.version).toBe(2);
  });

  it("pays once and sends one receipt when the same payment report arrives twice", async () => {
    const emulator = await harness.open();
    const bob = emulator.customer("bob");
    await placeCroissantOrder(bob, 2);
    const [order] = await emulator.orders();
    if (!order) throw new Error("no order");
    const report = emulator.payments.charge(order, "succeed");
    const payment = { kind: "payment", report } as const;

    const first = await emulator.collect(() => emulator.deliver({ key: `payment:test:${report.reference}`, userId: "bob", input: payment }));
    expect(first.map((e) => e.message.text?.split("\n")[0])).toEqual(["Paid, thank you! Receipt for order #1:", "Enjoy! Send anything to order again."]);

    // The same webhook redelivered: dropped as a duplicate event.
    const again = await emulator.collect(async () => {
      expect((await emulator.deliver({ key: `payment:test:${report.reference}`, userId: "bob", input: payment })).status).toBe("duplicate");
    });
    expect(again).toEqual([]);

    // The same payment under another event id (a provider retry): recorded once, no second receipt.
    const retried = await emulator.collect(() => emulator.deliver({ key: "payment:test:retry-of-the-same", userId: "bob", input: payment }));
    expect(retried).toEqual([]);

    const receipts = bob.inbox.filter((m) => m.text?.startsWith("Paid, thank you!"));
    expect(receipts).toHaveLength(1);
    expect((await emulator.orders())[0]?.status).toBe("paid");
    expect((await emulator.store.orderHistory("1")).filter((t) => t.to === "paid")).toHaveLength(1);
  });
});
