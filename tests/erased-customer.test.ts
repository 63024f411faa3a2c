/**
 * A customer erased while their order awaits payment at the hosted
 * checkout: the payment that arrives afterwards still pays the order (kept
 * under a pseudonym for the books), and nothing is sent to anyone.
 */
import { describe, expect, it } from "vitest";
import { CheckoutService } from "../server/checkout.ts";
import { startTestServer } from "../server/test-server.ts";
import { ERASED_REASON } from "../store/index.ts";
import { FakeCheckoutApi } from "./fakes/checkout-api.ts";
import { useHarness } from "./helpers.ts";

describe("a checkout payment for an erased customer's order", () => {
  const harness = useHarness();

  it("pays the pseudonymised order and sends nothing", async () => {
    const fake = await FakeCheckoutApi.start();
    harness.defer(() => fake.close());
    const server = await startTestServer(harness, { checkoutApiKey: fake.apiKey, checkoutWebhookSecret: fake.webhookSecret, checkoutApiBase: fake.url, publicUrl: "https://shop.example" });
    if (!(server.checkout instanceof CheckoutService)) throw new Error("checkout is configured but the server has none");
    const say = async (body: unknown) => {
      const res = await server.request("POST", "/api/emulator/bots/cafe/customers/alice/events", body);
      expect(res.status, res.text).toBe(200);
      return (res.body as { messages: Array<{ invoice?: { order: string } }> }).messages;
    };
    for (const step of [{ text: "/start" }, { press: "Pastries" }, { text: "croissant" }, { text: "2" }, { press: "No" }]) await say(step);
    const orderId = (await say({ press: "Place order" })).at(-1)?.invoice?.order;
    if (orderId === undefined) throw new Error("no invoice");
    const url = await server.checkout.link(orderId);
    const session = [...fake.sessions.values()].find((x) => x.url === url);
    if (!session) throw new Error("no session");

    const erased = await server.store.eraseCustomer({ botId: "cafe", channel: "emulator", userId: "alice" }, server.clock.now());
    expect(erased).toMatchObject({ conversations: 1, orders: 1, timers: 1 });

    const res = await fake.deliver(`${server.url}/checkout/webhook`, fake.event("checkout.session.completed", fake.paid(session.id)));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "handled", order: orderId });
    const [order] = await server.store.listOrders({ botId: "cafe" });
    expect(order).toMatchObject({ id: orderId, status: "paid", userId: expect.stringMatching(/^erased:/) });
    const receipts = await server.store.conversationOutbox({ botId: "cafe", channel: "emulator", userId: order?.userId ?? "" });
    expect(receipts.length).toBeGreaterThan(0);
    expect(receipts.every((m) => m.sentAt === null && m.lastError?.includes(ERASED_REASON))).toBe(true);
    expect(await server.store.conversationOutbox({ botId: "cafe", channel: "emulator", userId: "alice" })).toEqual([]);
  });
});
