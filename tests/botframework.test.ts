/**
 * Bot Framework end to end: activities shaped as the Bot Framework Emulator
 * and the Bot Framework Service send them, posted to /api/messages of a real
 * server over HTTP; replies captured at a fake connector service that the
 * activities' serviceUrl points at; the SQLite store checked after.
 */
import { globalAgent } from "node:https";
import { describe, expect, it } from "vitest";
import { startBanner } from "../cli/serve.ts";
import cafe from "../bots/cafe/index.ts";
import salon from "../bots/salon/index.ts";
import type { LoadedBot } from "../flows/index.ts";
import type { OffsetClock } from "../jobs/index.ts";
import type { RunningServer } from "../server/serve.ts";
import { startTestServer, type TestOverrides, TEST_CLOCK_START } from "./test-server.ts";
import { FakeCheckoutApi } from "./fakes/checkout-api.ts";
import { useFakeConnector, type ConnectorCall, type FakeConnector } from "./fakes/botframework-connector.ts";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness, type Harness } from "./helpers.ts";
import { startTelegram } from "./telegram-harness.ts";

const BOT_ACCOUNT = { id: "kiosk-bot-id", name: "Kiosk", role: "bot" };

interface CardAction {
  type: string;
  title: string;
  value: unknown;
}
interface Attachment {
  contentType: string;
  content: { title?: string; subtitle?: string; text?: string; buttons?: CardAction[] };
}
interface SentActivity {
  type: string;
  text?: string;
  attachments?: Attachment[];
  attachmentLayout?: string;
  suggestedActions?: { actions: CardAction[] };
  conversation?: { id: string };
  recipient?: { id: string };
}

class BotFramework {
  #activity = 0;
  constructor(
    /** A test server, or any running server whose clock the test moves (a Telegram harness's). */
    readonly server: RunningServer & { readonly clock: OffsetClock },
    readonly fake: FakeConnector,
    /** The server's app id: its customers' activities carry the fake's channel token for it, as the Bot Framework Service sends them. */
    readonly appId?: string,
  ) {}

  /** Web Chat's channel through the Bot Framework Service with an app id; the Bot Framework Emulator's without. */
  get channelId(): string {
    return this.appId === undefined ? "emulator" : "webchat";
  }

  /** The Authorization header the Bot Framework Service would send (none without an app id). */
  authorization(): Record<string, string> {
    return this.appId === undefined ? {} : { authorization: `Bearer ${this.fake.channelToken({ aud: this.appId, serviceurl: this.fake.url })}` };
  }

  async post(activity: unknown, options: { path?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string }> {
    const response = await fetch(`${this.server.url}${options.path ?? "/api/messages"}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify(activity),
    });
    return { status: response.status, text: await response.text() };
  }

  nextId(): string {
    return `act${++this.#activity}`;
  }

  customer(name: string, options: { bot?: string; locale?: string } = {}): Customer {
    return new Customer(this, name, options.bot, options.locale ?? "en-US");
  }

  /** Waits until the outbox has sent (or given up on) every message. */
  async settle(timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // By the server's clock, which a test may have started or moved away from the wall clock.
      const pending = await this.server.store.pendingOutbox(new Date(this.server.clock.now().getTime() + 3_600_000), 1);
      if (pending.length === 0) return;
      if (Date.now() > deadline) throw new Error(`the outbox still holds messages after ${timeoutMs} ms: ${JSON.stringify(pending)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

class Customer {
  /** Like the Emulator's ids, with a character that must be URL-encoded in the connector's path. */
  readonly conversationId: string;
  readonly userId: string;
  constructor(
    readonly bf: BotFramework,
    readonly name: string,
    readonly bot: string | undefined,
    readonly locale: string,
  ) {
    this.conversationId = `${name}-conv-0001|livechat`;
    this.userId = `${name}-user-id`;
  }

  /** The customer id Kiosk keeps: channel and conversation. */
  get kioskId(): string {
    return `${this.bf.channelId}:${this.conversationId}`;
  }

  get path(): string {
    return this.bot === undefined ? "/api/messages" : `/api/messages/${this.bot}`;
  }

  activity(fields: Record<string, unknown>, id = this.bf.nextId()): Record<string, unknown> {
    return {
      type: "message",
      id,
      timestamp: new Date().toISOString(),
      localTimestamp: new Date().toISOString(),
      channelId: this.bf.channelId,
      serviceUrl: this.bf.fake.url,
      from: { id: this.userId, name: this.name, role: "user" },
      conversation: { id: this.conversationId },
      recipient: BOT_ACCOUNT,
      locale: this.locale,
      ...fields,
    };
  }

  async expectOk(activity: Record<string, unknown>): Promise<void> {
    const res = await this.bf.post(activity, { path: this.path, headers: this.bf.authorization() });
    expect(res.status, res.text).toBe(200);
    await this.bf.settle();
  }

  async send(text: string, id?: string): Promise<void> {
    await this.expectOk(this.activity({ text, textFormat: "plain" }, id));
  }

  calls(): ConnectorCall[] {
    return this.bf.fake.accepted(this.conversationId);
  }

  replies(): SentActivity[] {
    return this.calls().map((c) => c.activity as unknown as SentActivity);
  }

  texts(): string[] {
    return this.replies().flatMap((a) => (a.text === undefined ? [] : [a.text]));
  }

  /** The newest action (suggested, or a card's button) whose title or payload matches. */
  action(match: string | RegExp): CardAction {
    const payload = (a: CardAction) => (a.value as { payload?: string } | undefined)?.payload ?? "";
    const test = (a: CardAction) => (typeof match === "string" ? a.title === match || payload(a) === match : match.test(payload(a)));
    for (const reply of this.replies().reverse()) {
      const actions = [...(reply.suggestedActions?.actions ?? []), ...(reply.attachments ?? []).flatMap((a) => a.content.buttons ?? [])];
      const found = actions.find(test);
      if (found) return found;
    }
    throw new Error(`no action ${String(match)} for ${this.name}; texts: ${JSON.stringify(this.texts())}`);
  }

  /** Presses a button as Web Chat and the Emulator post a messageBack: its text and value, and the display text in channelData. */
  async press(match: string | RegExp): Promise<void> {
    const action = this.action(match) as CardAction & { text?: string; displayText?: string };
    expect(action.type).toBe("messageBack");
    await this.expectOk(this.activity({ text: action.text, value: action.value, channelData: { messageBack: { displayText: action.displayText } } }));
  }
}

async function orderCroissants(alice: Customer): Promise<void> {
  await alice.send("/start");
  await alice.press("Pastries");
  await alice.send("croissant");
  await alice.send("2");
  await alice.press("No");
  await alice.press("Place order");
}

async function startBotFramework(
  harness: Harness,
  fake: FakeConnector,
  overrides: TestOverrides = {},
  bots: readonly LoadedBot[] = [cafe],
  options: { readonly realTimeStart?: Date } = {},
): Promise<BotFramework> {
  const server = await startTestServer(harness, overrides, bots, options);
  const registration = overrides.channels?.botframework as { readonly appId?: string } | undefined;
  return new BotFramework(server, fake, registration?.appId);
}

describe("Bot Framework: /api/messages", () => {
  const harness = useHarness();
  let fake: FakeConnector;
  useFakeConnector((started) => (fake = started));

  it("takes a cafe order: replies at the connector to the URL-encoded conversation, suggested actions, a carousel of hero cards, an invoice card", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    await orderCroissants(alice);

    const [order] = await bf.server.store.listOrders({ botId: "cafe" });
    expect(order).toMatchObject({ id: "1", channel: "botframework", userId: "emulator:alice-conv-0001|livechat", status: "awaiting_payment", total: 360 });
    // Every reply went to the conversation of the activity's serviceUrl, as a reply to the customer's activity, without a token (auth off).
    const calls = alice.calls();
    expect(calls.length).toBeGreaterThan(5);
    for (const call of calls) {
      expect(call.replyToId).toMatch(/^act\d+$/);
      expect(call).toMatchObject({ conversationId: alice.conversationId, path: `/v3/conversations/alice-conv-0001%7Clivechat/activities/${call.replyToId}`, authorization: undefined });
      expect(call.activity).toMatchObject({ type: "message", replyToId: call.replyToId, recipient: { id: alice.userId }, from: { id: BOT_ACCOUNT.id } });
    }
    expect(alice.texts()[0]).toBe("Welcome to Café Lumière! ☕");
    expect(alice.action("Pastries")).toEqual({ type: "messageBack", title: "Pastries", text: "Pastries", displayText: "Pastries", value: { payload: "category:pastries" } });
    const pastries = alice.replies().find((r) => r.text === "Pastries");
    expect(pastries?.attachmentLayout).toBe("carousel");
    expect(pastries?.attachments?.map((a) => [a.contentType, a.content.title, a.content.text])).toEqual([
      ["application/vnd.microsoft.card.hero", "Croissant", "€1.80"],
      ["application/vnd.microsoft.card.hero", "Pain au chocolat", "€2.10"],
    ]);
    const last = alice.replies().at(-1);
    expect(last?.text).toBe("Order #1 is placed: €3.60. Please pay within 15 minutes to confirm it.");
    // No checkout configured: the invoice says so, with the order number.
    expect(last?.attachments).toEqual([
      {
        contentType: "application/vnd.microsoft.card.hero",
        content: { title: "Café Lumière order #1", subtitle: "€3.60", text: "Payment is not available on this channel. Your order number is 1." },
      },
    ]);
    expect(await bf.server.store.botFrameworkReference("cafe", alice.kioskId)).toMatchObject({ serviceUrl: fake.url, conversation: { id: alice.conversationId }, user: { id: alice.userId } });
  });

  it("welcomes a customer who joins (conversationUpdate), in their locale, and not when only the bot is added", async () => {
    const bf = await startBotFramework(harness, fake, {}, [cafe, salon]);
    const bea = bf.customer("bea", { bot: "salon", locale: "fr-FR" });
    const update = (members: Array<{ id: string; name: string }>) =>
      bea.activity({ type: "conversationUpdate", membersAdded: members, from: { id: bea.userId, name: "bea" } });

    await bea.expectOk(update([{ id: BOT_ACCOUNT.id, name: "Kiosk" }]));
    expect(bea.calls()).toHaveLength(0);
    expect(await bf.server.store.transaction((tx) => tx.loadConversation({ botId: "salon", channel: "botframework", userId: bea.kioskId }))).toBeUndefined();

    await bea.expectOk(update([{ id: bea.userId, name: "bea" }, { id: BOT_ACCOUNT.id, name: "Kiosk" }]));
    expect(bea.texts()[0]).toMatch(/^Bienvenue/);
    expect(bea.action("book").value).toEqual({ payload: "book" });
    // /api/messages without a bot is the first bot (cafe): the salon's customer got nothing from it.
    expect(await bf.server.store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: "botframework", userId: bea.kioskId }))).toBeUndefined();
  });

  it("reads a card button's submit (value) as a postback, also an Adaptive Card Action.Submit's data", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    await alice.send("/start");
    await alice.press("Pastries");
    // The hero card's "Add" button, pressed: { payload: "product:croissant" } comes back in `value`.
    expect(alice.action("Add")).toEqual({ type: "messageBack", title: "Add", text: "Add", displayText: "Add", value: { payload: "product:croissant" } });
    await alice.press("Add");
    expect(alice.texts().at(-1)).toMatch(/^How many/);
    await alice.send("1");
    await alice.press("No");
    // An Adaptive Card submit posts its data (with the card's inputs) as `value`, and may echo text; the payload wins.
    await alice.expectOk(alice.activity({ text: "ignored", value: { payload: "checkout", note: "extra input" } }));
    const [order] = await bf.server.store.listOrders({ botId: "cafe" });
    expect(order).toMatchObject({ status: "awaiting_payment", total: 180 });
  });

  it("on Teams, suggests imBack actions: the label comes back as typed text and picks the choice", async () => {
    const bf = await startBotFramework(harness, fake);
    const bob = bf.customer("bob");
    await bob.expectOk(bob.activity({ text: "/start", channelId: "msteams" }));
    expect(bob.action("Pastries")).toEqual({ type: "imBack", title: "Pastries", value: "Pastries" });
    await bob.expectOk(bob.activity({ text: "Pastries", channelId: "msteams" }));
    const listing = bob.replies().at(-1);
    expect(listing?.text).toBe("Pastries");
    // Card buttons stay messageBack, which Teams supports on cards.
    expect(listing?.attachments?.[0]?.content.buttons?.[0]).toMatchObject({ type: "messageBack", value: { payload: "product:croissant" } });
    expect(await bf.server.store.botFrameworkReference("cafe", `msteams:${bob.conversationId}`)).toMatchObject({ channelId: "msteams" });
  });

  it("handles a replayed activity (same id) once", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    await alice.send("/start", "same-activity-id");
    const after = alice.calls().length;
    expect(after).toBeGreaterThan(0);
    await alice.send("/start", "same-activity-id");
    await alice.send("/start", "same-activity-id");
    expect(alice.calls()).toHaveLength(after);
    // The same id from another channel is another activity.
    const other = alice.activity({ text: "/start", channelId: "webchat" }, "same-activity-id");
    await alice.expectOk(other);
    expect(fake.accepted(alice.conversationId).length).toBeGreaterThan(after);
  });


  it("pays a salon deposit through the hosted checkout link and delivers the receipt and the reminder proactively", async () => {
    const checkout = await FakeCheckoutApi.start();
    harness.defer(() => checkout.close());
    // Hosted checkout makes this production mode, where Bot Framework needs an app id: Bea is a Web Chat customer through the Bot Framework Service.
    const bf = await startBotFramework(
      harness,
      fake,
      {
        publicUrl: "https://shop.example",
        channels: { checkout: checkout.settings(), botframework: await fake.appRegistration() },
      },
      [cafe, salon],
      // Real time starts on a Monday at 06:00 in Paris whatever the hour the tests run at: the first slot (09:00) is 3 h away.
      { realTimeStart: TEST_CLOCK_START },
    );
    const bea = bf.customer("bea", { bot: "salon" });
    await bea.send("/start");
    await bea.press("book");
    await bea.press("service:haircut");
    await bea.press("resource:any");
    await bea.press(/^day:/);
    await bea.press(/^slot:/);
    await bea.send("yes");
    const [held] = await bf.server.store.listBookings({ botId: "salon" });
    expect(held).toMatchObject({ status: "held", channel: "botframework", userId: bea.kioskId });

    // The invoice is a card whose button opens the order's hosted checkout session.
    const invoice = bea.replies().at(-1)?.attachments?.at(-1);
    const pay = invoice?.content.buttons?.[0];
    expect(pay).toMatchObject({ type: "openUrl", title: expect.stringMatching(/^Pay €/) });
    const session = [...checkout.sessions.values()].find((x) => x.url === pay?.value);
    expect(session, `no checkout session has the url ${String(pay?.value)}`).toBeDefined();

    // The provider's webhook pays it: the receipt is sent to the kept conversation, with no activity from Bea.
    const before = bea.calls().length;
    const delivered = await checkout.deliver(`${bf.server.url}/checkout/webhook`, checkout.event("checkout.session.completed", checkout.paid(session?.id ?? "")));
    expect(delivered.status).toBe(200);
    await bf.settle();
    const [confirmed] = await bf.server.store.listBookings({ botId: "salon" });
    expect(confirmed).toMatchObject({ status: "confirmed", depositPaid: held?.deposit });
    expect(bea.texts().slice(before)).toEqual([expect.stringMatching(/^Booked! #1: Haircut with /), "Which mobile number can we reach you on if anything changes?"]);
    // Web Chat has no share button: the number is typed.
    const asked = bea.calls().length;
    await bea.send("+33 6 12 34 56 78");
    expect(bea.texts().slice(asked)).toEqual(["See you soon at Salon Lila!"]);

    // Two hours before the appointment the reminder goes out, proactively, to the same conversation.
    // Hosted checkout is a real channel: this runs in production mode, on real time (the test's), with the emulator off.
    const start = confirmed?.start.getTime() ?? 0;
    bf.server.clock.advance(start - 2 * 3_600_000 - bf.server.clock.now().getTime() + 60_000);
    expect(await bf.server.runtime.tick()).toBeGreaterThanOrEqual(1);
    await bf.settle();
    const reminders = bea.texts().filter((t) => t.startsWith("Reminder: Haircut with "));
    expect(reminders.length).toBeGreaterThanOrEqual(1);
    expect(bea.calls().at(-1)).toMatchObject({ conversationId: bea.conversationId, activity: { recipient: { id: bea.userId } } });
  });

  it("acknowledges activity types it does not handle, group conversations and empty messages, changing nothing", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    for (const activity of [
      alice.activity({ type: "typing" }),
      alice.activity({ type: "messageReaction", reactionsAdded: [{ type: "like" }] }),
      alice.activity({ type: "invoke", name: "signin/verifyState", value: { state: "123456" } }),
      alice.activity({ type: "event", name: "webchat/join" }),
      alice.activity({ type: "conversationUpdate", membersRemoved: [{ id: alice.userId }] }),
      alice.activity({ text: "/start", conversation: { id: "group-1", isGroup: true } }),
      // Teams' copy of a message's text, with no text: nothing the customer sent.
      alice.activity({ attachments: [{ contentType: "text/html", content: "<p></p>" }] }),
    ]) {
      await alice.expectOk(activity);
    }
    expect(fake.calls).toHaveLength(0);
    expect(await bf.server.store.listOrders({})).toHaveLength(0);
    expect(await bf.server.store.botFrameworkReference("cafe", alice.kioskId)).toBeUndefined();
  });

  it("answers 400 for a body that is not an activity, 404 for an unknown bot, and 403 for a non-loopback serviceUrl without an app id", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    expect((await bf.post({ hello: "world" })).status).toBe(400);
    expect((await bf.post([1, 2])).status).toBe(400);
    expect((await bf.post(alice.activity({ text: "hi" }), { path: "/api/messages/nobody" })).status).toBe(404);
    const elsewhere = await bf.post(alice.activity({ text: "hi", serviceUrl: "https://attacker.example/" }));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.text).toContain("KIOSK_MS_APP_ID");
    expect(await bf.server.store.botFrameworkReference("cafe", alice.kioskId)).toBeUndefined();
    expect(fake.calls).toHaveLength(0);
  });

  it("retries a send the connector failed with 500 or 429, and gives up on one refused with 403", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    fake.fail({ times: 1, status: 500 });
    await alice.send("/start");
    expect(fake.calls.map((c) => c.status).slice(0, 2)).toEqual([500, 200]);
    expect(alice.texts()[0]).toBe("Welcome to Café Lumière! ☕");
    const address = { botId: "cafe", channel: "botframework", userId: alice.kioskId };
    // The outbox did the retrying (botbuilder's HTTP pipeline did not retry behind its back).
    const [first] = await bf.server.store.conversationOutbox(address);
    expect(first?.attempts).toBe(2);

    const sent = alice.calls().length;
    fake.fail({ times: 1, status: 429, retryAfter: 1 });
    await alice.send("menu");
    expect(alice.calls().length).toBeGreaterThan(sent);
    expect(fake.calls.filter((c) => c.status === 429)).toHaveLength(1);
    // Both the 500 and the 429 were retried by the outbox: those rows took two attempts.
    expect((await bf.server.store.conversationOutbox(address)).filter((row) => row.attempts === 2)).toHaveLength(2);

    fake.fail({ times: 1, status: 403 });
    const calls = fake.calls.length;
    await alice.send("help");
    const outbox = await bf.server.store.conversationOutbox({ botId: "cafe", channel: "botframework", userId: alice.kioskId }, { newest: true, limit: 5 });
    const refused = outbox.filter((row) => row.lastError?.includes("403"));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ sentAt: null, nextAttemptAt: null });
    expect(fake.calls.slice(calls).filter((c) => c.status === 403)).toHaveLength(1);
  });

  it("with an app id, refuses (401) a request without a token, with a malformed one, or one not issued by the Bot Framework, and stores nothing", async () => {
    const bf = await startBotFramework(harness, fake, {
      channels: { botframework: { appId: "8c3c7a2e-5c1f-4b8e-9a57-3f1d2c4b5a69", appPassword: "not-a-real-secret", appType: "MultiTenant" } },
    });
    const alice = bf.customer("alice");
    const unsigned = (claims: Record<string, unknown>) =>
      [{ alg: "none", typ: "JWT" }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString("base64url")).join(".") + ".";
    const foreign = unsigned({ iss: "https://issuer.example", aud: "8c3c7a2e-5c1f-4b8e-9a57-3f1d2c4b5a69", serviceurl: fake.url, exp: Math.floor(Date.now() / 1000) + 600 });
    const attempts: Array<Record<string, string>> = [{}, { authorization: "Bearer" }, { authorization: "Bearer not-a-jwt" }, { authorization: "Basic YWxpY2U6c2VjcmV0" }, { authorization: `Bearer ${foreign}` }];
    for (const headers of attempts) {
      const res = await bf.post(alice.activity({ text: "/start" }), { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: "unauthorized" } });
    }
    // On /api/messages/:bot too.
    expect((await bf.post(alice.activity({ text: "/start" }), { path: "/api/messages/cafe" })).status).toBe(401);
    expect(await bf.server.store.botFrameworkReference("cafe", alice.kioskId)).toBeUndefined();
    expect(await bf.server.store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: "botframework", userId: alice.kioskId }))).toBeUndefined();
    expect(fake.calls).toHaveLength(0);
  });

  it("with an app id, accepts a token signed by the channel's published key for this app and service URL, and refuses one for another app, URL or key", async () => {
    const appId = "8c3c7a2e-5c1f-4b8e-9a57-3f1d2c4b5a69";
    const bf = await startBotFramework(harness, fake, {
      channels: { botframework: { appId, appPassword: "not-a-real-secret", appType: "MultiTenant", openIdMetadataUrl: fake.openIdMetadataUrl } },
    });
    const alice = bf.customer("alice");
    // Activities that need no reply: a real send would fetch a token from Microsoft's login endpoint.
    const joinOnlyBot = alice.activity({ type: "conversationUpdate", membersAdded: [BOT_ACCOUNT] });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const good = fake.channelToken({ aud: appId, serviceurl: fake.url });
    const accepted = await bf.post(joinOnlyBot, { headers: bearer(good) });
    expect(accepted.status, accepted.text).toBe(200);
    expect((await bf.post(alice.activity({ type: "typing" }), { headers: bearer(good) })).status).toBe(200);
    for (const token of [
      fake.channelToken({ aud: "00000000-0000-0000-0000-000000000001", serviceurl: fake.url }),
      fake.channelToken({ aud: appId, serviceurl: "https://elsewhere.example/" }),
      fake.channelToken({ aud: appId, serviceurl: fake.url }, { otherKey: true }),
      fake.channelToken({ aud: appId, serviceurl: fake.url, exp: Math.floor(Date.now() / 1000) - 3600 }),
    ]) {
      const res = await bf.post(joinOnlyBot, { headers: bearer(token) });
      expect(res.status, res.text).toBe(401);
    }
    expect(fake.calls).toHaveLength(0);
  });

  it("with an app id, sends replies with a Bearer token from the login endpoint (client credentials of the app), requested once and reused", async () => {
    await fake.startLogin();
    // As NODE_EXTRA_CA_CERTS would: MSAL's requests go through the global agent.
    const trusted = globalAgent.options.ca;
    globalAgent.options.ca = fake.loginCertificate;
    try {
      // An app id of its own: botbuilder caches tokens per app id and scope for the whole process.
      const appId = "3e5d0c2a-9b7f-4e61-8d2c-5a4b3c2d1e0f";
      const bf = await startBotFramework(harness, fake, {
        channels: { botframework: { appId, appPassword: "fake-client-secret", appType: "MultiTenant", openIdMetadataUrl: fake.openIdMetadataUrl, loginUrl: fake.loginUrl } },
      });
      const alice = bf.customer("alice");
      const authorization = { authorization: `Bearer ${fake.channelToken({ aud: appId, serviceurl: fake.url })}` };
      const start = await bf.post(alice.activity({ text: "/start", textFormat: "plain" }), { headers: authorization });
      expect(start.status, start.text).toBe(200);
      await bf.settle();
      expect(alice.texts()[0]).toBe("Welcome to Café Lumière! ☕");
      expect(fake.tokenRequests).toEqual([{ grantType: "client_credentials", clientId: appId, clientSecret: "fake-client-secret", scope: "https://api.botframework.com/.default" }]);
      const token = fake.accessToken;
      expect(token).toMatch(/^fake-access-token-/);
      const first = alice.calls().length;
      expect(first).toBeGreaterThan(0);

      const menu = await bf.post(alice.activity({ text: "menu", textFormat: "plain" }), { headers: authorization });
      expect(menu.status, menu.text).toBe(200);
      await bf.settle();
      expect(alice.calls().length).toBeGreaterThan(first);
      // Every send, in both turns, carried the one token; the second turn asked for none.
      expect(new Set(alice.calls().map((c) => c.authorization))).toEqual(new Set([`Bearer ${token}`]));
      expect(fake.tokenRequests).toHaveLength(1);
    } finally {
      globalAgent.options.ca = trusted;
    }
  });
});

/**
 * A server with a real channel is in production mode: its runtime serves
 * real customers, stock and slots. Without KIOSK_MS_APP_ID nothing would
 * guard /api/messages but the activity's serviceUrl, which the sender
 * writes, so there the endpoint is off. (In emulator mode the same activity
 * is served: "takes a cafe order" above; with an app id it is a real,
 * authenticated channel: "pays a salon deposit", and tests/checkout.test.ts.)
 */
describe("Bot Framework beside a real channel, without an app id", () => {
  const harness = useHarness();
  let telegramApi: FakeBotApi;
  useFakeBotApi((started) => (telegramApi = started));
  let fake: FakeConnector;
  useFakeConnector((started) => (fake = started));

  it("answers 404 naming KIOSK_MS_APP_ID to a loopback Web Chat activity on both paths, stores nothing, sends nothing, and the banner says it is off", async () => {
    const telegram = await startTelegram(harness, telegramApi);
    const { server } = telegram;
    expect(server.mode).toMatchObject({ kind: "production", channels: ["telegram"] });
    const bf = new BotFramework(server, fake);
    const mallory = bf.customer("mallory");
    // The whole cafe order, as an open endpoint would have taken it: the last croissants reserved for a stranger.
    for (const text of ["/start", "Pastries", "croissant", "2", "No", "Place order"]) {
      for (const path of ["/api/messages", "/api/messages/cafe"]) {
        const res = await bf.post(mallory.activity({ text, textFormat: "plain" }), { path });
        expect(res.status, `${path} ${text}: ${res.text}`).toBe(404);
        expect(JSON.parse(res.text)).toMatchObject({ error: { code: "not_found", message: expect.stringContaining("KIOSK_MS_APP_ID") } });
      }
    }
    expect(await server.store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: "botframework", userId: mallory.kioskId }))).toBeUndefined();
    expect(await server.store.botFrameworkReference("cafe", mallory.kioskId)).toBeUndefined();
    expect(await server.store.listOrders({ botId: "cafe" })).toEqual([]);
    expect(await server.store.conversationOutbox({ botId: "cafe", channel: "botframework", userId: mallory.kioskId })).toEqual([]);
    expect(await server.store.pendingOutbox(new Date(server.clock.now().getTime() + 86_400_000), 10)).toEqual([]);
    expect(fake.calls).toHaveLength(0);
    expect(startBanner(server, server.config)).toContain("mode: production: real channels telegram on real time; /api/messages off: no KIOSK_MS_APP_ID\n");
  });
});
