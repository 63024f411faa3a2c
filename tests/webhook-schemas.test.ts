// The JSON Schemas of webhook events (docs/webhooks/) are current, and the
// events the engine really records fit them as they are sent.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runShopAction } from "../flows/index.ts";
import { webhookBody } from "../jobs/webhooks.ts";
import { webhookEventSchema, webhookJsonSchema } from "../jobs/webhook-schemas.ts";
import { MERCHANT_EVENT_TYPES, type MerchantEvent } from "../store/index.ts";
import type { Emulator } from "../adapters/emulator/emulator.ts";
import { placeCroissantOrder, useHarness } from "./helpers.ts";
import { bookAndPay, openSalon } from "./salon.ts";

function fits(event: MerchantEvent): { type: string; ok: boolean; issues: string } {
  const result = webhookEventSchema(event.type).safeParse(JSON.parse(webhookBody(event)));
  return { type: event.type, ok: result.success, issues: result.success ? "" : JSON.stringify(result.error.issues) };
}

async function paidOrder(emulator: Emulator, name: string): Promise<string> {
  const customer = emulator.customer(name);
  await placeCroissantOrder(customer, 2);
  await customer.pay("succeed");
  const order = (await emulator.orders()).find((o) => o.userId === name && o.status === "paid");
  if (!order) throw new Error(`${name}'s order is not paid`);
  return order.id;
}

describe("webhook event schemas", () => {
  const harness = useHarness();

  it("the committed docs/webhooks/<type>.schema.json are what jobs/generate-webhook-schemas.ts writes", () => {
    for (const type of MERCHANT_EVENT_TYPES) {
      const committed = readFileSync(new URL(`../docs/webhooks/${type}.schema.json`, import.meta.url), "utf8");
      expect(committed, `${type}: regenerate with npx tsx jobs/generate-webhook-schemas.ts`).toBe(webhookJsonSchema(type));
    }
  });

  it("the cafe's order events, as sent, fit their schemas", async () => {
    const emulator = await harness.open();
    const first = await paidOrder(emulator, "ana");
    expect(await runShopAction(emulator.runtime, emulator.store, "cafe", { type: "order.status", orderId: first, to: "preparing", by: "console" }, "1")).toBe("done");
    const second = await paidOrder(emulator, "ben");
    expect(await runShopAction(emulator.runtime, emulator.store, "cafe", { type: "order.cancel", orderId: second, by: "api key 1", reason: "sold out" }, "2")).toBe("done");
    const events = await emulator.store.listEvents({ botId: "cafe" });
    expect(events.map((e) => e.type)).toEqual(["order.paid", "order.status", "order.paid", "order.cancelled", "order.refunded"]);
    expect(events.map(fits)).toEqual(events.map((e) => ({ type: e.type, ok: true, issues: "" })));
  });

  it("the salon's booking events, as sent, fit their schemas", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    await bookAndPay(alice, { stylist: "ana", day: "friday", time: "10:30" });
    await alice.send("my bookings");
    await alice.press("Reschedule");
    await alice.press("resource:ben");
    await alice.send("saturday");
    await alice.send("11:00");
    await alice.send("yes");
    await alice.send("my bookings");
    await alice.press("booking:cancel:1");
    await alice.press("Yes, cancel");
    const events = await emulator.store.listEvents({ botId: "salon" });
    expect(events.map((e) => e.type)).toEqual(["booking.confirmed", "booking.rescheduled", "booking.cancelled"]);
    expect(events.map(fits)).toEqual(events.map((e) => ({ type: e.type, ok: true, issues: "" })));
    // The schemas can fail: a field they do not know, a float amount.
    const [paid] = events; // booking.confirmed
    if (!paid) throw new Error("no event");
    expect(fits({ ...paid, data: { ...paid.data, extra: 1 } }).ok).toBe(false);
    expect(fits({ ...paid, data: { ...paid.data, booking: { ...(paid.data.booking as object), price: 2.5 } } }).ok).toBe(false);
  });
});
