// Issue 16, part 1: the shop moves a paid order through fulfilment, or
// cancels it with its refund; each change is recorded with who made it, is
// told to the customer in their language on their channel, and is an event
// the shop's systems hear of (store/ports/events.ts).
import { describe, expect, it } from "vitest";
import { runShopAction, type MerchantAction } from "../flows/index.ts";
import type { Emulator } from "../adapters/emulator/emulator.ts";
import { placeCroissantOrder, useHarness } from "./helpers.ts";
import { bookAndPay, onlyBooking, openSalon } from "./salon.ts";

/** A customer who ordered two croissants and paid (then, with `language`, chose another language); the order's id. */
async function paidOrder(emulator: Emulator, name: string, language?: string): Promise<string> {
  const customer = emulator.customer(name);
  await customer.send("/start");
  await placeCroissantOrder(customer, 2);
  await customer.pay("succeed");
  if (language !== undefined) {
    await customer.send("/language");
    await customer.press(language);
  }
  const order = (await emulator.orders()).find((o) => o.userId === name);
  if (order?.status !== "paid") throw new Error(`${name}'s order is not paid`);
  return order.id;
}

const act = (emulator: Emulator, action: MerchantAction, key: string) => runShopAction(emulator.runtime, emulator.store, "cafe", action, key);
const textsTo = (envelopes: readonly { readonly message: { readonly text?: string } }[]) => envelopes.map((e) => e.message.text);

describe("fulfilment: the shop moves a paid order on", () => {
  const harness = useHarness();

  it("preparing then ready: each tells the customer, is recorded with who made it, and is an event", async () => {
    const emulator = await harness.open();
    const id = await paidOrder(emulator, "ana");
    const preparing = await emulator.collect(() => act(emulator, { type: "order.status", orderId: id, to: "preparing", by: "api key 1" }, "a"));
    expect(textsTo(preparing)).toEqual([`We're preparing your order #${id}.`]);
    const ready = await emulator.collect(async () => expect(await act(emulator, { type: "order.status", orderId: id, to: "ready", by: "api key 1" }, "b")).toBe("done"));
    expect(textsTo(ready)).toEqual([`Your order #${id} is ready at the counter.`]);
    expect(ready.map((e) => e.userId)).toEqual(["ana"]);

    const history = await emulator.store.orderHistory(id);
    expect(history.slice(-2).map((t) => [t.from, t.to, t.cause])).toEqual([
      ["paid", "preparing", "preparing by api key 1"],
      ["preparing", "ready", "ready by api key 1"],
    ]);
    const events = await emulator.store.listEvents({ botId: "cafe" });
    expect(events.map((e) => [e.type, (e.data.order as { status: string }).status])).toEqual([
      ["order.paid", "paid"],
      ["order.status", "preparing"],
      ["order.status", "ready"],
    ]);
    expect(events[2]?.data).toMatchObject({ from: "preparing", by: "api key 1", order: { id, total: 360, currency: "EUR", channel: "emulator", customer: "ana", items: [{ product: "croissant", quantity: 2, unitPrice: 180, lineTotal: 360 }] } });
    expect(events.map((e) => e.id)).toEqual(["evt_1", "evt_2", "evt_3"]);
    expect((await emulator.store.listEvents({ botId: "cafe", after: "evt_2" })).map((e) => e.id)).toEqual(["evt_3"]);
  });

  it("refuses what no longer applies, and changes nothing: backwards, delivered for an order that does not ship, another bot's, twice with one key", async () => {
    const emulator = await harness.open();
    const id = await paidOrder(emulator, "ben");
    expect(await act(emulator, { type: "order.status", orderId: id, to: "ready", by: "console" }, "1")).toBe("done");
    const before = await emulator.store.listEvents({ botId: "cafe" });
    const refused = await emulator.collect(async () => {
      expect(await act(emulator, { type: "order.status", orderId: id, to: "preparing", by: "console" }, "2")).toBe("refused");
      expect(await act(emulator, { type: "order.status", orderId: id, to: "delivered", by: "console" }, "3")).toBe("refused");
      expect(await runShopAction(emulator.runtime, emulator.store, "salon", { type: "order.status", orderId: id, to: "collected", by: "console" }, "4")).toBe("not_found");
      expect(await act(emulator, { type: "order.status", orderId: "999", to: "ready", by: "console" }, "5")).toBe("not_found");
      expect(await act(emulator, { type: "order.status", orderId: id, to: "ready", by: "console" }, "1")).toBe("duplicate");
    });
    expect(refused).toEqual([]);
    expect((await emulator.orders()).find((o) => o.id === id)?.status).toBe("ready");
    expect(await emulator.store.listEvents({ botId: "cafe" })).toEqual(before);
    expect(await act(emulator, { type: "order.status", orderId: id, to: "collected", by: "console" }, "6")).toBe("done");
    // Handed over, it is no longer the shop's to cancel.
    expect(await act(emulator, { type: "order.cancel", orderId: id, by: "console" }, "7")).toBe("refused");
    expect(await emulator.store.listRefunds({ botId: "cafe", orderId: id })).toEqual([]);
  });

  it("cancels a paid order with its whole refund, tells the customer in their language, and refunds once", async () => {
    const emulator = await harness.open();
    const id = await paidOrder(emulator, "chloe", "Français");
    const told = await emulator.collect(async () =>
      expect(await act(emulator, { type: "order.cancel", orderId: id, by: "api key 2", reason: "plus de croissants" }, "c1")).toBe("done"),
    );
    expect(textsTo(told)).toEqual([`Désolé, nous avons dû annuler votre commande n° ${id}. 3,60\u00a0€ vous sont remboursés.`]);
    expect(await act(emulator, { type: "order.cancel", orderId: id, by: "api key 2" }, "c2")).toBe("refused");
    const refunds = await emulator.store.listRefunds({ botId: "cafe", orderId: id });
    expect(refunds.map((r) => [r.amount, r.currency, r.reason])).toEqual([[360, "EUR", "cancelled by api key 2: plus de croissants"]]);
    const events = (await emulator.store.listEvents({ botId: "cafe" })).map((e) => [e.type, e.data.by ?? null]);
    expect(events).toEqual([
      ["order.paid", null],
      ["order.cancelled", "api key 2"],
      ["order.refunded", "api key 2"],
    ]);
    expect((await emulator.orders()).find((o) => o.id === id)?.status).toBe("refunded");
  });
});

describe("fulfilment: the shop acts on a booking", () => {
  const harness = useHarness();
  const shop = (emulator: Emulator, action: MerchantAction, key: string) => runShopAction(emulator.runtime, emulator.store, "salon", action, key);

  it("cancels a confirmed booking with its whole deposit refunded, even past free cancellation, and tells the customer", async () => {
    const emulator = await openSalon(harness);
    const alice = emulator.customer("alice");
    // Tuesday at 10:30: inside the 24 hours where the customer's own cancellation would keep the deposit.
    await bookAndPay(alice, { day: "tuesday", time: "10:30" });
    await emulator.advance("PT12H");
    const booking = await onlyBooking(emulator);
    const told = await emulator.collect(async () => expect(await shop(emulator, { type: "booking.cancel", bookingId: booking.id, by: "api key 4", reason: "Ana is ill" }, "s1")).toBe("done"));
    expect(textsTo(told)).toEqual([`Sorry, we had to cancel booking #${booking.id} (Haircut with Ana, Tuesday 23 March at 10:30). Your deposit of €5.00 is refunded. Type menu to book another time.`]);
    expect(await onlyBooking(emulator)).toMatchObject({ status: "cancelled", depositPaid: 500, depositRefunded: 500 });
    expect((await emulator.store.listRefunds({ botId: "salon" })).map((r) => [r.amount, r.reason])).toEqual([[500, "cancelled by api key 4: Ana is ill"]]);
    expect((await emulator.store.listEvents({ botId: "salon" })).map((e) => [e.type, e.data.by ?? null])).toEqual([
      ["booking.confirmed", null],
      ["booking.cancelled", "api key 4"],
    ]);
    // No reminder is left to come: the reminder 2 h before would have fired by now.
    expect(await emulator.advance("PT12H")).toEqual([]);
    expect(await shop(emulator, { type: "booking.cancel", bookingId: booking.id, by: "api key 4" }, "s2")).toBe("refused");
  });

  it("marks a no-show only once the time has begun, keeping the deposit", async () => {
    const emulator = await openSalon(harness);
    const ben = emulator.customer("ben");
    await bookAndPay(ben, { day: "tuesday", time: "10:30" });
    const booking = await onlyBooking(emulator);
    expect(await shop(emulator, { type: "booking.no_show", bookingId: booking.id, by: "console" }, "n1")).toBe("refused");
    // Tuesday 10:45 in Paris.
    await emulator.advance("PT25H45M");
    const told = await emulator.collect(async () => expect(await shop(emulator, { type: "booking.no_show", bookingId: booking.id, by: "console" }, "n2")).toBe("done"));
    expect(textsTo(told)).toEqual([`We missed you for booking #${booking.id} (Haircut with Ana, Tuesday 23 March at 10:30). The deposit of €5.00 is kept. Type menu to book again.`]);
    expect(await onlyBooking(emulator)).toMatchObject({ status: "no_show", depositPaid: 500, depositRefunded: 0 });
    expect(await emulator.store.listRefunds({ botId: "salon" })).toEqual([]);
  });
});
