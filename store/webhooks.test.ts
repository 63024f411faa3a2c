import { describe, expect, it } from "vitest";
import { useSqliteStore } from "../tests/helpers.ts";
import type { Store } from "./index.ts";

const T = new Date("2027-01-04T10:00:00Z");
const at = (seconds: number) => new Date(T.getTime() + seconds * 1000);

describe("webhook deliveries (SQLite)", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));

  const record = (botId: string, n: number) =>
    store.transaction(async (tx) => {
      for (let i = 0; i < n; i++) await tx.recordEvent({ botId, type: "order.paid", data: { order: { id: String(i) } }, at: T });
    });

  it("a new endpoint starts after the bot's latest event; later events get one pending delivery each, once", async () => {
    await record("cafe", 2);
    expect(await store.enqueueWebhookEvents("cafe", "e1", T, 100)).toBe(0);
    await record("cafe", 2);
    await record("salon", 1);
    expect(await store.enqueueWebhookEvents("cafe", "e1", T, 1)).toBe(1);
    expect(await store.enqueueWebhookEvents("cafe", "e1", T, 100)).toBe(1);
    expect(await store.enqueueWebhookEvents("cafe", "e1", T, 100)).toBe(0);
    const listed = await store.listWebhookDeliveries({});
    expect(listed.map((d) => [d.event.id, d.event.botId, d.status, d.attempts])).toEqual([
      ["evt_3", "cafe", "pending", 0],
      ["evt_4", "cafe", "pending", 0],
    ]);
    // Another endpoint of the same bot has a cursor of its own, from its own start.
    expect(await store.enqueueWebhookEvents("cafe", "e2", T, 100)).toBe(0);
  });

  it("claims due deliveries under a lease, retries, gives up, and a given-up one can be retried by hand", async () => {
    await store.enqueueWebhookEvents("cafe", "e1", T, 100);
    await record("cafe", 2);
    await store.enqueueWebhookEvents("cafe", "e1", T, 100);
    expect(await store.claimWebhookDeliveries(["salon"], T, at(60), 10)).toEqual([]);
    const claimed = await store.claimWebhookDeliveries(["cafe"], T, at(60), 10);
    expect(claimed.map((d) => [d.event.id, d.event.type, d.event.data])).toEqual([
      ["evt_1", "order.paid", { order: { id: "0" } }],
      ["evt_2", "order.paid", { order: { id: "1" } }],
    ]);
    // Leased: not due again before the lease ends.
    expect(await store.claimWebhookDeliveries(["cafe"], at(59), at(120), 10)).toEqual([]);
    await store.markWebhookDelivered("evt_1", at(1));
    await store.retryWebhookDelivery("evt_2", "HTTP 500", at(11), at(1));
    expect((await store.claimWebhookDeliveries(["cafe"], at(10), at(70), 10)).length).toBe(0);
    expect((await store.claimWebhookDeliveries(["cafe"], at(11), at(70), 10)).map((d) => d.event.id)).toEqual(["evt_2"]);
    await store.giveUpWebhookDelivery("evt_2", "timed out after 10000 ms", at(12));
    // A delivered one stays delivered.
    await store.giveUpWebhookDelivery("evt_1", "late", at(12));
    const listed = await store.listWebhookDeliveries({ botId: "cafe" });
    expect(listed.map((d) => [d.event.id, d.status, d.attempts, d.lastError, d.deliveredAt?.toISOString() ?? null])).toEqual([
      ["evt_1", "delivered", 1, null, at(1).toISOString()],
      ["evt_2", "gave_up", 2, "timed out after 10000 ms", null],
    ]);
    expect((await store.listWebhookDeliveries({ status: "gave_up" })).map((d) => d.event.id)).toEqual(["evt_2"]);
    expect(await store.retryGivenUpWebhook("evt_1", at(20))).toBe(false);
    expect(await store.retryGivenUpWebhook("evt_9", at(20))).toBe(false);
    expect(await store.retryGivenUpWebhook("nope", at(20))).toBe(false);
    expect(await store.retryGivenUpWebhook("evt_2", at(20))).toBe(true);
    expect((await store.claimWebhookDeliveries(["cafe"], at(20), at(80), 10)).map((d) => [d.event.id, d.status, d.attempts])).toEqual([["evt_2", "pending", 0]]);
  });
});
