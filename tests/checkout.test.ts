/**
 * Hosted checkout end to end: a real server (cafe bot, SQLite file) whose
 * checkout API is a local fake; orders placed by Bot Framework customers
 * (Web Chat activities posted to /api/messages, replies at a fake connector),
 * paid through signed webhook events the fake delivers. Hosted checkout is a
 * real channel: the server runs in production mode, its emulator off, and
 * Bot Framework is served only with an app id, so the customers' activities
 * carry a channel token the fake connector signs, and the replies a token
 * from the fake's Microsoft login endpoint.
 */
import { describe, expect, it } from "vitest";
import { CheckoutProvider, type KeptCheckoutSession } from "../commerce/checkout/index.ts";
import { CheckoutService } from "../adapters/checkout/service.ts";
import { startTestServer, type TestServer } from "./test-server.ts";
import { ERASED_REASON } from "../store/index.ts";
import { FakeConnector } from "./fakes/botframework-connector.ts";
import { FakeCheckoutApi, type FakeSession } from "./fakes/checkout-api.ts";
import { useHarness, type Harness } from "./helpers.ts";
import { captureLog, type CapturedLog } from "./log-capture.ts";

interface Setup {
  readonly server: TestServer;
  readonly fake: FakeCheckoutApi;
  readonly checkout: CheckoutService;
  readonly webhook: string;
}

/** Each server's fake connector, where its Bot Framework customers' replies arrive, and the app id it authenticates. */
const connectors = new WeakMap<TestServer, { readonly connector: FakeConnector; readonly appId: string }>();

async function setup(harness: Harness, log?: CapturedLog): Promise<Setup> {
  const fake = await FakeCheckoutApi.start();
  harness.defer(() => fake.close());
  const connector = await FakeConnector.start();
  harness.defer(() => connector.close());
  const registration = await connector.appRegistration();
  const server = await startTestServer(
    harness,
    {
      publicUrl: "https://shop.example",
      channels: { checkout: fake.settings(), botframework: registration },
    },
    undefined,
    log === undefined ? {} : { logger: log.logger },
  );
  connectors.set(server, { connector, appId: registration.appId });
  if (!(server.checkout instanceof CheckoutService)) throw new Error("checkout is configured but the server has none");
  return { server, fake, checkout: server.checkout, webhook: `${server.url}/checkout/webhook` };
}

/** The id Kiosk keeps for a Web Chat customer whose conversation id is their name. */
const userOf = (customer: string) => `webchat:${customer}`;

function botFrameworkOf(server: TestServer): { readonly connector: FakeConnector; readonly appId: string } {
  const found = connectors.get(server);
  if (!found) throw new Error("the server was not started by setup()");
  return found;
}

function connectorOf(server: TestServer): FakeConnector {
  return botFrameworkOf(server).connector;
}

/** Waits until the outbox has sent (or given up on) every message. */
async function settle(server: TestServer, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await server.store.pendingOutbox(new Date(server.clock.now().getTime() + 3_600_000), 1);
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the outbox still holds messages after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The customer types `text` (a button's label works as its press on every channel), as the Bot Framework Service posts it from Web Chat, with its token. */
async function event(server: TestServer, customer: string, body: { text: string }): Promise<void> {
  const now = new Date().toISOString();
  const { connector, appId } = botFrameworkOf(server);
  const authorization = `Bearer ${connector.channelToken({ aud: appId, serviceurl: connector.url })}`;
  const activity = {
    type: "message",
    id: `${customer}-${Math.random().toString(36).slice(2)}`,
    timestamp: now,
    channelId: "webchat",
    serviceUrl: connector.url,
    from: { id: `${customer}-user-id`, name: customer, role: "user" },
    conversation: { id: customer },
    recipient: { id: "kiosk-bot-id", name: "Kiosk", role: "bot" },
    locale: "en-US",
    text: body.text,
    textFormat: "plain",
  };
  const res = await server.request("POST", "/api/messages", activity, { authorization });
  expect(res.status, res.text).toBe(200);
  await settle(server);
}

/** Two croissants (2 × €1.80) up to the invoice; returns the order id. */
async function placeOrder(server: TestServer, customer: string): Promise<string> {
  for (const text of ["/start", "Pastries", "croissant", "2", "No", "Place order"]) await event(server, customer, { text });
  const order = (await ordersOf(server, customer)).at(-1);
  if (order?.status !== "awaiting_payment") throw new Error(`no order awaiting payment after placing it: ${JSON.stringify(await texts(server, customer))}`);
  expect(order).toMatchObject({ total: 360, currency: "EUR" });
  return order.id;
}

async function ordersOf(server: TestServer, customer: string) {
  return server.store.listOrders({ botId: "cafe", userId: userOf(customer) });
}

async function texts(server: TestServer, customer: string): Promise<string[]> {
  await settle(server);
  return connectorOf(server)
    .accepted(customer)
    .flatMap((call) => {
      const text = (call.activity as { text?: unknown }).text;
      return typeof text === "string" ? [text] : [];
    });
}

/** Places alice's order and opens its checkout session; returns the session as the API keeps it. */
async function orderWithSession(s: Setup, customer = "alice"): Promise<{ orderId: string; session: FakeSession }> {
  const orderId = await placeOrder(s.server, customer);
  const url = await s.checkout.link(orderId);
  const session = [...s.fake.sessions.values()].find((x) => x.url === url);
  if (!session) throw new Error(`the fake has no session with url ${url}`);
  return { orderId, session };
}

describe("hosted checkout (Stripe's scheme) against a fake API", () => {
  const harness = useHarness();

  it("creates one session per order with the order's lines in minor units, and gives the same link when asked again", async () => {
    const s = await setup(harness);
    const orderId = await placeOrder(s.server, "alice");
    const [first, second] = await Promise.all([s.checkout.link(orderId), s.checkout.link(orderId)]);
    const third = await s.checkout.link(orderId);
    expect(first).toMatch(/\/c\/pay\/cs_test_/);
    expect(second).toBe(first);
    expect(third).toBe(first);

    expect(s.fake.sessionCreates).toHaveLength(1);
    const call = s.fake.sessionCreates[0];
    expect(call?.idempotencyKey).toBe(`kiosk-checkout-${orderId}`);
    expect(call?.headers.authorization).toBe(`Bearer ${s.fake.apiKey}`);
    expect(call?.params).toMatchObject({
      mode: "payment",
      client_reference_id: orderId,
      line_items: [{ quantity: "2", price_data: { currency: "eur", unit_amount: "180", product_data: { name: "Croissant" } } }],
      metadata: { kiosk_order: orderId, kiosk_bot: "cafe", kiosk_channel: "botframework", kiosk_user: userOf("alice") },
      success_url: `https://shop.example/checkout/done?order=${orderId}`,
      cancel_url: `https://shop.example/checkout/cancelled?order=${orderId}`,
    });
    const session = [...s.fake.sessions.values()][0];
    expect(session).toMatchObject({ amount_total: 360, currency: "eur", url: first });

    // A restarted process has no memory of it: the kept session answers, the API is not called again.
    const reopened = new CheckoutService({
      settings: s.fake.settings(),
      store: s.server.store,
      runtime: s.server.runtime,
      bots: () => ["cafe"],
    });
    expect(await reopened.link(orderId)).toBe(first);
    expect(s.fake.sessionCreates).toHaveLength(1);
  });

  it("a paid checkout.session.completed pays the order and sends the receipt; the same event again changes nothing", async () => {
    const s = await setup(harness);
    const { orderId, session } = await orderWithSession(s);
    const raw = s.fake.event("checkout.session.completed", s.fake.paid(session.id));
    const before = await texts(s.server, "alice");

    const delivered = await s.fake.deliver(s.webhook, raw);
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect(delivered.body).toMatchObject({ received: true, status: "handled", order: orderId });
    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["paid"]);
    const after = await texts(s.server, "alice");
    const sent = after.slice(before.length);
    expect(sent[0]).toMatch(new RegExp(`^Paid, thank you! Receipt for order #${orderId}:\\n.*Croissant.*\\nTotal paid: €3\\.60$`));
    const history = await s.server.store.orderHistory(orderId);
    expect(history.at(-1)).toMatchObject({ from: "awaiting_payment", to: "paid", cause: `payment checkout/${s.fake.sessions.get(session.id)?.payment_intent}` });

    const replayed = await s.fake.deliver(s.webhook, raw);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ received: true, status: "duplicate" });
    // The same payment under another event id (the provider's own retry of a new event) is recorded once too.
    const again = await s.fake.deliver(s.webhook, s.fake.event("checkout.session.completed", s.fake.sessions.get(session.id)));
    expect(again.status).toBe(200);
    expect(await texts(s.server, "alice")).toEqual(after);
    expect(await s.server.store.orderHistory(orderId)).toHaveLength(history.length);
  });

  it("refuses a wrong secret, a missing header, a re-serialized body and a stale timestamp with 400, and nothing changes", async () => {
    const s = await setup(harness);
    const { session } = await orderWithSession(s);
    const raw = s.fake.event("checkout.session.completed", s.fake.paid(session.id));
    const before = await texts(s.server, "alice");

    const cases = [
      await s.fake.deliver(s.webhook, raw, { secret: "whsec_someone_else" }),
      await s.fake.deliver(s.webhook, raw, { unsigned: true }),
      await s.fake.deliver(s.webhook, raw, { alter: (body) => JSON.stringify(JSON.parse(body)) }),
      await s.fake.deliver(s.webhook, raw, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    ];
    for (const res of cases) {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: "invalid_signature" } });
    }
    const messages = cases.map((c) => (c.body as { error: { message: string } }).error.message);
    expect(messages[1]).toMatch(/Stripe-Signature header is missing/);
    expect(messages[3]).toMatch(/tolerance/i);

    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["awaiting_payment"]);
    expect(await texts(s.server, "alice")).toEqual(before);

    // The untouched delivery still works afterwards: the refused ones did not burn its event id.
    const good = await s.fake.deliver(s.webhook, raw, { timestamp: Math.floor(Date.now() / 1000) - 200 });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["paid"]);
  });

  it("accepts a header with several v1 signatures when any one matches (a secret being rolled)", async () => {
    const s = await setup(harness);
    const { session } = await orderWithSession(s);
    const raw = s.fake.event("checkout.session.completed", s.fake.paid(session.id));
    const t = Math.floor(Date.now() / 1000);
    const old = s.fake.sign(raw, { secret: "whsec_old", timestamp: t });
    const current = s.fake.sign(raw, { timestamp: t });
    const v1 = (header: string) => header.split(",").find((part) => part.startsWith("v1="));
    const both = `t=${t},${v1(old)},${v1(current)}`;
    const res = await fetch(s.webhook, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": both }, body: raw });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["paid"]);
  });

  it("a failed delayed payment is a decline: the order still awaits payment and the customer is told", async () => {
    const s = await setup(harness);
    const { session } = await orderWithSession(s);
    const failed = { ...s.fake.paid(session.id), payment_status: "unpaid" as const };
    const res = await s.fake.deliver(s.webhook, s.fake.event("checkout.session.async_payment_failed", failed));
    expect(res.status).toBe(200);
    expect((await texts(s.server, "alice")).at(-1)).toBe("Your payment was declined (payment_failed). You can try again with the invoice.");
    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["awaiting_payment"]);
  });

  it("a session whose kept row was lost (a crash after creating it) is not created twice: the Idempotency-Key returns the same one", async () => {
    const s = await setup(harness);
    const orderId = await placeOrder(s.server, "alice");
    const [order] = await ordersOf(s.server, "alice");
    if (!order) throw new Error("no order");
    // Two providers that keep nothing, as two processes that each crashed before saving the session.
    const forgetful = { checkoutSession: async () => undefined, saveCheckoutSession: async (k: KeptCheckoutSession) => k };
    const provider = () =>
      new CheckoutProvider({ apiKey: s.fake.apiKey, webhookSecret: s.fake.webhookSecret, apiBase: s.fake.url, successUrl: "https://shop.example/checkout/done?order={order}", cancelUrl: "https://shop.example/checkout/cancelled?order={order}", sessions: forgetful });
    // The invoice card already made the order's session (its link is the card's button): the same parameters under the same key.
    const shown = await s.checkout.link(orderId);
    const first = await provider().createLink(order);
    const second = await provider().createLink(order);
    expect(first).toBe(shown);
    expect(second).toBe(first);
    expect(s.fake.sessionCreates.map((c) => c.idempotencyKey)).toEqual([`kiosk-checkout-${orderId}`, `kiosk-checkout-${orderId}`, `kiosk-checkout-${orderId}`]);
    expect(s.fake.sessions.size).toBe(1);
  });

  it("a wrong amount or currency in the event does not pay the order, and the customer is told", async () => {
    const s = await setup(harness);
    const { orderId, session } = await orderWithSession(s);
    const mismatch = `That payment does not match order #${orderId}, so it was not accepted. Nothing was charged to the order.`;

    const less = await s.fake.deliver(s.webhook, s.fake.event("checkout.session.completed", s.fake.paid(session.id, { amount_total: 1 })));
    expect(less.status).toBe(200);
    expect((await texts(s.server, "alice")).at(-1)).toBe(mismatch);
    const dollars = await s.fake.deliver(s.webhook, s.fake.event("checkout.session.completed", s.fake.paid(session.id, { currency: "usd" })));
    expect(dollars.status).toBe(200);
    expect((await texts(s.server, "alice")).filter((t) => t === mismatch)).toHaveLength(2);
    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["awaiting_payment"]);
    // What the provider took for neither (1 cent each: the fake keeps the first event's amount on the session) is refunded, each once.
    await s.server.runtime.refunds.runDue();
    await s.server.runtime.refunds.runDue();
    expect(s.fake.refunds.map((r) => r.amount)).toEqual([1, 1]);
    expect(s.fake.calls.filter((c) => c.path === "/v1/refunds").map((c) => c.idempotencyKey)).toEqual(s.fake.refunds.map((r) => `kiosk-refund-${r.payment_intent}`));
    expect((await s.server.store.listRefunds({ botId: "cafe" })).map((r) => [r.amount, r.status])).toEqual([
      [1, "refunded"],
      [1, "refunded"],
    ]);
  });

  it("refunds a payment that completes after its order expired, through the provider's refund API", async () => {
    const s = await setup(harness);
    const { orderId, session } = await orderWithSession(s);
    s.server.clock.advance(16 * 60_000);
    await s.server.runtime.tick();
    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["expired"]);
    const paid = s.fake.paid(session.id);
    const late = await s.fake.deliver(s.webhook, s.fake.event("checkout.session.completed", paid));
    expect(late.status).toBe(200);
    expect((await texts(s.server, "alice")).at(-1)).toBe(`Order #${orderId} was no longer open when your payment arrived; it will be refunded.`);
    await s.server.runtime.refunds.runDue();
    expect(s.fake.refunds).toEqual([{ id: expect.stringMatching(/^re_/), payment_intent: paid.payment_intent, amount: 360 }]);
    expect(await s.server.store.listRefunds({ botId: "cafe" })).toEqual([
      expect.objectContaining({ orderId, provider: "checkout", paymentReference: paid.payment_intent, status: "refunded", lastError: expect.stringMatching(/^refund re_/) }),
    ]);
  });

  it("an event whose metadata names another customer than the order's does not pay it", async () => {
    const s = await setup(harness);
    const alice = await orderWithSession(s, "alice");
    const bob = await orderWithSession(s, "bob");
    expect(bob.orderId).not.toBe(alice.orderId);
    const before = await texts(s.server, "alice");
    // Bob's order, but the session claims alice is paying: Kiosk trusts the order's owner in the store, not the event.
    const claimed = s.fake.paid(bob.session.id, { metadata: { ...bob.session.metadata, kiosk_user: userOf("alice") } });
    const res = await s.fake.deliver(s.webhook, s.fake.event("checkout.session.completed", claimed));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: true, status: "ignored" });
    expect((res.body as { reason: string }).reason).toMatch(/names customer cafe\/botframework\/webchat:alice but order \d+ is cafe\/botframework\/webchat:bob's/);
    expect((await ordersOf(s.server, "bob")).map((o) => o.status)).toEqual(["awaiting_payment"]);
    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["awaiting_payment"]);
    expect(await texts(s.server, "alice")).toEqual(before);
  });

  it("refuses signed events not shaped as their type promises with 400 (data null, a negative or fractional amount, no id), logs a warning, and nothing changes", async () => {
    const log = captureLog();
    const s = await setup(harness, log);
    const { session } = await orderWithSession(s);
    const before = await texts(s.server, "alice");
    const paid = s.fake.paid(session.id);
    const withData = (type: string, data: unknown) => JSON.stringify({ ...(JSON.parse(s.fake.event(type, {})) as object), data });
    const cases: Array<[string, RegExp]> = [
      [withData("checkout.session.completed", null), /data: .*expected object/],
      [withData("checkout.session.expired", {}), /data\.object: .*expected object/],
      [s.fake.event("checkout.session.completed", { ...paid, amount_total: -180 }), /data\.object\.amount_total: .*>=0/],
      [s.fake.event("checkout.session.completed", { ...paid, amount_total: 3.6 }), /data\.object\.amount_total: .*int/],
      [s.fake.event("checkout.session.completed", { ...paid, amount_total: 0 }), /amount_total 0 is not above zero/],
      [s.fake.event("checkout.session.completed", { ...paid, metadata: "alice" }), /data\.object\.metadata/],
      [s.fake.event("payment_intent.succeeded", { id: "pi_1", object: "payment_intent", amount: -1, currency: "eur" }), /data\.object\.amount/],
      [JSON.stringify({ object: "event", type: "checkout.session.completed", data: { object: paid } }), /not a Stripe event \(id: /],
    ];
    for (const [raw, reason] of cases) {
      const res = await s.fake.deliver(s.webhook, raw);
      expect(res.status, raw).toBe(400);
      expect(res.body).toMatchObject({ error: { code: "invalid_request" } });
      expect((res.body as { error: { message: string } }).error.message).toMatch(reason);
    }
    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["awaiting_payment"]);
    expect(await texts(s.server, "alice")).toEqual(before);
    expect(await s.server.store.listRefunds({ botId: "cafe" })).toEqual([]);
    const warnings = log.warnings().filter((w) => w.startsWith("checkout webhook: refused a signed event"));
    expect(warnings).toHaveLength(cases.length);
    // Fields are named, never their values: the customer's id in the metadata stays out of the log.
    expect(warnings.join("\n")).not.toMatch(/alice/);

    // Unknown types stay acknowledged, whatever their data; the good event still pays.
    const unknown = await s.fake.deliver(s.webhook, withData("customer.created", null));
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ received: true, status: "ignored" });
    const good = await s.fake.deliver(s.webhook, s.fake.event("checkout.session.completed", paid));
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["paid"]);
  });

  it("acknowledges expired sessions, unpaid completions and unknown event types without changing anything", async () => {
    const s = await setup(harness);
    const { session } = await orderWithSession(s);
    for (const raw of [
      s.fake.event("checkout.session.expired", { ...session, status: "expired" }),
      s.fake.event("checkout.session.completed", { ...session, status: "complete", payment_status: "unpaid" }),
      s.fake.event("customer.created", { id: "cus_1", object: "customer" }),
    ]) {
      const res = await s.fake.deliver(s.webhook, raw);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ received: true, status: "ignored" });
    }
    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["awaiting_payment"]);
  });

  it("expires the session at the provider when its order is cancelled or expires, once, retrying after an outage; a paid order's is left alone", async () => {
    const s = await setup(harness);
    const cancelled = await orderWithSession(s, "alice");
    const lapsed = await orderWithSession(s, "bob");
    const paid = await orderWithSession(s, "carol");
    await s.fake.deliver(s.webhook, s.fake.event("checkout.session.completed", s.fake.paid(paid.session.id)));
    // Nothing closed yet: no call.
    expect(await s.checkout.closeSessions()).toBe(0);
    expect(s.fake.sessionExpires).toHaveLength(0);

    await event(s.server, "alice", { text: "cancel" });
    s.server.clock.advance(16 * 60_000);
    await s.server.runtime.tick();
    expect((await ordersOf(s.server, "bob")).map((o) => o.status)).toEqual(["expired"]);
    expect((await ordersOf(s.server, "alice")).map((o) => o.status)).toEqual(["cancelled"]);

    // The provider is down (the SDK's own retries included): nothing is marked, the next sweep tries again.
    s.fake.failExpires = 100;
    expect(await s.checkout.closeSessions()).toBe(0);
    const failed = s.fake.sessionExpires.length;
    expect(failed).toBeGreaterThanOrEqual(2);
    s.fake.failExpires = 0;
    expect(await s.checkout.closeSessions()).toBe(2);
    // Every attempt, failed or not, asked for one of the two sessions with that session's own key.
    const pairs = new Set(s.fake.sessionExpires.map((c) => `${c.path} ${String(c.idempotencyKey)}`));
    expect([...pairs].sort()).toEqual([cancelled.session.id, lapsed.session.id].map((id) => `/v1/checkout/sessions/${id}/expire kiosk-checkout-expire-${id}`).sort());
    expect(s.fake.sessionExpires).toHaveLength(failed + 2);
    expect([s.fake.sessions.get(cancelled.session.id)?.status, s.fake.sessions.get(lapsed.session.id)?.status, s.fake.sessions.get(paid.session.id)?.status]).toEqual(["expired", "expired", "complete"]);

    // Done: later sweeps call nothing.
    const calls = s.fake.calls.length;
    expect(await s.checkout.closeSessions()).toBe(0);
    expect(s.fake.calls).toHaveLength(calls);
  });

  it("gives no link for an order that is not awaiting payment, and calls no API for it", async () => {
    const s = await setup(harness);
    const { orderId, session } = await orderWithSession(s);
    await s.fake.deliver(s.webhook, s.fake.event("checkout.session.completed", s.fake.paid(session.id)));
    const creates = s.fake.sessionCreates.length;
    await expect(s.checkout.link(orderId)).rejects.toMatchObject({ code: "not_payable" });
    await expect(s.checkout.link("999")).rejects.toMatchObject({ code: "not_payable" });
    expect(s.fake.sessionCreates).toHaveLength(creates);
  });
});

/**
 * A customer erased while their order awaits payment at the hosted
 * checkout: the payment that arrives afterwards still pays the order (kept
 * under a pseudonym for the books), and nothing is sent to anyone.
 */
describe("a checkout payment for an erased customer's order", () => {
  const harness = useHarness();

  it("pays the pseudonymised order and sends nothing", async () => {
    const s = await setup(harness);
    const { orderId, session } = await orderWithSession(s);
    const alice = { botId: "cafe", channel: "botframework", userId: userOf("alice") };
    const erased = await s.server.store.eraseCustomer(alice, s.server.clock.now());
    expect(erased).toMatchObject({ conversations: 1, orders: 1, timers: 1 });

    const res = await s.fake.deliver(s.webhook, s.fake.event("checkout.session.completed", s.fake.paid(session.id)));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "handled", order: orderId });
    const [order] = await s.server.store.listOrders({ botId: "cafe" });
    expect(order).toMatchObject({ id: orderId, status: "paid", userId: expect.stringMatching(/^erased:/) });
    const receipts = await s.server.store.conversationOutbox({ ...alice, userId: order?.userId ?? "" });
    expect(receipts.length).toBeGreaterThan(0);
    expect(receipts.every((m) => m.sentAt === null && m.lastError?.includes(ERASED_REASON))).toBe(true);
    expect(await s.server.store.conversationOutbox(alice)).toEqual([]);
  });
});
