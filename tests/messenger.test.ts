/**
 * Messenger end to end: signed webhook batches in the Graph API's real
 * shapes posted to a real server (cafe bot, SQLite file), a fake Graph API
 * recording what Kiosk sends, hosted checkout on a fake checkout API.
 */
import { messengerChannel } from "../adapters/messenger/channel.ts";
import { describe, expect, it } from "vitest";
import { hubSignature } from "../adapters/graph/index.ts";
import { resolveConfig } from "../server/config.ts";
import type { TestServer } from "./test-server.ts";
import { GraphCustomer, postSigned, settle, startGraphServer, type GraphSetup, type SignedPostOptions } from "./graph-harness.ts";
import { useHarness, type Harness } from "./helpers.ts";

const APP_SECRET = "0123456789abcdef0123456789abcdef";
const VERIFY_TOKEN = "kiosk-verify-token";
const PAGE_TOKEN = "EAAGtestPageAccessTokenForKioskTests0001";
const PAGE_ID = "104020202020202";
const HOUR = 3_600_000;

type Button = { type: string; title: string; payload?: string; url?: string };
type Message = {
  text?: string;
  quick_replies?: Array<{ title: string; payload: string }>;
  attachment?: { payload: { template_type: string; text?: string; buttons?: Button[]; elements?: Array<{ title: string; buttons?: Button[] }> } };
};

const setup = (harness: Harness, options: { checkout?: boolean } = {}): Promise<GraphSetup> =>
  startGraphServer(harness, {
    channel: messengerChannel,
    env: { KIOSK_GRAPH_API_VERSION: "v21.0", KIOSK_META_APP_SECRET: APP_SECRET, KIOSK_META_VERIFY_TOKEN: VERIFY_TOKEN, KIOSK_MESSENGER_CAFE_PAGE_TOKEN: PAGE_TOKEN },
    ...options,
  });

let mid = 0;
const event = (psid: string, body: Record<string, unknown>) => ({ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), ...body });
const batch = (...entries: unknown[][]) => ({ object: "page", entry: entries.map((messaging) => ({ id: PAGE_ID, time: Date.now(), messaging })) });
const text = (psid: string, value: string) => event(psid, { message: { mid: `m_in${++mid}`, text: value } });

const post = (server: TestServer, body: unknown, options?: SignedPostOptions) => postSigned(`${server.url}/messenger/cafe/webhook`, APP_SECRET, body, options);

class Customer extends GraphCustomer {
  get psid(): string {
    return this.userId;
  }

  messages(): Message[] {
    return this.calls().map((c) => c.body.message as Message);
  }

  texts(): string[] {
    return this.messages().map((m) => m.text ?? m.attachment?.payload.text ?? `[${m.attachment?.payload.template_type}]`);
  }

  protected override post(body: Record<string, unknown>) {
    return post(this.s.server, batch([event(this.psid, body)]));
  }

  say(value: string): Promise<void> {
    return this.deliver({ message: { mid: `m_in${++mid}`, text: value } });
  }

  /** Presses the newest button or quick reply titled `title`, as Messenger reports it. */
  async press(title: string): Promise<void> {
    for (const m of this.messages().reverse()) {
      const quick = m.quick_replies?.find((q) => q.title === title);
      if (quick) return this.deliver({ message: { mid: `m_in${++mid}`, text: title, quick_reply: { payload: quick.payload } } });
      const buttons = [...(m.attachment?.payload.buttons ?? []), ...(m.attachment?.payload.elements ?? []).flatMap((e) => e.buttons ?? [])];
      const button = buttons.find((b) => b.title === title && b.type === "postback");
      if (button?.payload !== undefined) return this.deliver({ postback: { mid: `m_pb${++mid}`, title, payload: button.payload } });
    }
    throw new Error(`no button '${title}' for ${this.psid}; sent: ${JSON.stringify(this.texts())}`);
  }
}

/** Get Started, then two croissants up to the invoice; returns the order id. */
async function placeOrder(customer: Customer): Promise<string> {
  await customer.deliver({ postback: { mid: `m_pb${++mid}`, title: "Get Started", payload: "GET_STARTED" } });
  await customer.press("Pastries");
  await customer.say("croissant");
  await customer.say("2");
  await customer.press("No");
  await customer.press("Place order");
  const [order] = await customer.s.server.store.listOrders({ botId: "cafe", channel: "messenger", userId: customer.psid });
  if (!order) throw new Error(`no order placed; sent: ${JSON.stringify(customer.texts())}`);
  return order.id;
}

describe("Messenger webhook", () => {
  const harness = useHarness();

  it("answers Meta's verification request with the challenge, and 403 for a wrong token or mode", async () => {
    const { server } = await setup(harness);
    const get = (query: string) => fetch(`${server.url}/messenger/cafe/webhook?${query}`);
    const ok = await get(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe("1158201444");
    expect((await get("hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444")).status).toBe(403);
    expect((await get(`hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).status).toBe(403);
    expect((await get(`hub.mode=subscribe&hub.challenge=1`)).status).toBe(403);
    expect((await fetch(`${server.url}/messenger/nobot/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).status).toBe(403);
  });

  it("refuses a wrong, missing or re-serialized signature with 401, and nothing changes", async () => {
    const s = await setup(harness);
    const body = batch([text("7001", "hello")]);
    const raw = JSON.stringify(body, null, 2);
    const cases = [
      await post(s.server, body, { raw, signature: hubSignature(raw, "another-app-secret") }),
      await post(s.server, body, { raw, signature: null }),
      await post(s.server, body, { raw: JSON.stringify(JSON.parse(raw)), signature: hubSignature(raw, APP_SECRET) }),
      await post(s.server, body, { raw, signature: "sha1=" + hubSignature(raw, APP_SECRET).slice(7, 47) }),
    ];
    expect(cases.map((c) => c.status)).toEqual([401, 401, 401, 401]);
    expect(JSON.parse(cases[0]?.text ?? "{}")).toMatchObject({ error: { code: "invalid_signature" } });
    await settle(s.server);
    expect(s.graph.calls).toHaveLength(0);
    expect(await s.server.store.lastInbound({ botId: "cafe", channel: "messenger", userId: "7001" })).toBeUndefined();

    // The same bytes, rightly signed, are taken.
    const good = await post(s.server, body, { raw });
    expect(good).toEqual({ status: 200, text: "EVENT_RECEIVED" });
    await settle(s.server);
    expect(s.graph.sent("7001").length).toBeGreaterThan(0);
  });

  it("handles every event of every entry of a batch, each once; echoes, deliveries and reads are never answered", async () => {
    const s = await setup(harness);
    const body = batch(
      [text("8001", "hi"), event("8001", { delivery: { mids: ["m_out1"], watermark: Date.now() } })],
      [text("8002", "bonjour"), event("8002", { read: { watermark: Date.now() } })],
      [event("8003", { message: { mid: "m_echo1", is_echo: true, app_id: 1517776481860111, text: "an echo of the page" } })],
    );
    const res = await post(s.server, body);
    expect(res.status, res.text).toBe(200);
    await settle(s.server);
    const first = (psid: string) => s.graph.sent(psid).map((c) => c.body.message as Message);
    expect(first("8001")[0]?.text).toMatch(/Welcome to Café Lumière/);
    expect(first("8002").length).toBeGreaterThan(0);
    expect(first("8003")).toEqual([]);
    expect(await s.server.store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: "messenger", userId: "8003" }))).toBeUndefined();
    // Replies inside the window are responses, with "typing…" first.
    expect(s.graph.sent("8001")[0]?.body).toMatchObject({ recipient: { id: "8001" }, messaging_type: "RESPONSE" });
    expect(s.graph.calls.find((c) => c.body.sender_action === "typing_on")?.token).toBe(PAGE_TOKEN);
    expect(s.graph.calls.every((c) => c.version === "v21.0" && c.node === "me" && c.token === PAGE_TOKEN)).toBe(true);

    // Meta redelivers the same batch: nothing is answered twice.
    const count = s.graph.calls.length;
    expect((await post(s.server, body)).status).toBe(200);
    await settle(s.server);
    expect(s.graph.calls).toHaveLength(count);
  });

  it("answers a sticker with a short reply and asks the step again (issue 13, part 5)", async () => {
    const s = await setup(harness);
    const lou = new Customer(s, "8100");
    await lou.say("hi");
    const prompt = lou.texts().at(-1);
    // The thumbs-up button sends this sticker (Messenger's documented attachment of type image with a sticker_id).
    await lou.deliver({ message: { mid: `m_in${++mid}`, sticker_id: 369239263222822, attachments: [{ type: "image", payload: { url: "https://scontent.xx.fbcdn.net/v/t39.1997-6/39178562_1505197616293642_n.png", sticker_id: 369239263222822 } }] } });
    expect(lou.texts().slice(-2)).toEqual(["Sorry, I can only read text and buttons here. Please type your answer or tap a button.", prompt]);
  });

  it("takes a cafe order and its payment through the hosted checkout; the receipt arrives in Messenger", async () => {
    const s = await setup(harness);
    const alice = new Customer(s, "9001");
    const orderId = await placeOrder(alice);
    const invoice = alice.messages().at(-1);
    const pay = invoice?.attachment?.payload;
    expect(pay?.template_type).toBe("button");
    expect(pay?.text).toMatch(new RegExp(`^Order #${orderId} is placed: €3\\.60`));
    expect(pay?.buttons).toEqual([{ type: "web_url", title: "Pay €3.60", url: expect.stringMatching(/\/c\/pay\/cs_test_/) }]);
    const session = [...s.checkout.sessions.values()].find((x) => x.url === pay?.buttons?.[0]?.url);
    if (!session) throw new Error("the button does not open the order's checkout session");
    expect(session.metadata).toMatchObject({ kiosk_order: orderId, kiosk_channel: "messenger", kiosk_user: "9001" });

    // The cart's four choices came as quick replies; "Anything else?" as a button template.
    const cart = alice.messages().find((m) => m.quick_replies?.some((q) => q.title === "Place order"));
    expect(cart?.quick_replies?.map((q) => q.title)).toEqual(["Place order", "Change quantity", "Remove item", "Add more"]);

    const delivered = await s.checkout.deliver(`${s.server.url}/checkout/webhook`, s.checkout.event("checkout.session.completed", s.checkout.paid(session.id)));
    expect(delivered.status).toBe(200);
    await settle(s.server);
    expect((await s.server.store.listOrders({ botId: "cafe", userId: "9001" })).map((o) => o.status)).toEqual(["paid"]);
    expect(alice.texts().at(-2)).toMatch(new RegExp(`^Paid, thank you! Receipt for order #${orderId}:\\n.*Croissant.*\\nTotal paid: €3\\.60$`));
    expect(alice.calls().at(-1)?.body.messaging_type).toBe("RESPONSE");
  });

  it("words the pay button in the customer's language (the conversation's locale), with the amount as French writes it", async () => {
    const s = await setup(harness);
    const chloe = new Customer(s, "9051");
    await chloe.deliver({ postback: { mid: `m_pb${++mid}`, title: "Get Started", payload: "GET_STARTED" } });
    await chloe.say("/language");
    await chloe.press("Français");
    await chloe.press("Viennoiseries");
    await chloe.say("croissant");
    await chloe.say("2");
    await chloe.press("Non");
    await chloe.press("Commander");
    const pay = chloe.messages().at(-1)?.attachment?.payload;
    expect(pay?.buttons).toEqual([{ type: "web_url", title: expect.stringMatching(/^Payer 3,60\s€$/), url: expect.stringMatching(/\/c\/pay\/cs_test_/) }]);
  });

  it("shows an invoice as text when hosted checkout is not configured", async () => {
    const s = await setup(harness, { checkout: false });
    const bob = new Customer(s, "9101");
    const orderId = await placeOrder(bob);
    expect(bob.messages().at(-1)).toEqual({ text: `Café Lumière order #${orderId} — €3.60` });
  });

  it("after 24 h sends an order update with POST_PURCHASE_UPDATE and a booking reminder with CONFIRMED_EVENT_UPDATE; anything else is not sent and recorded", async () => {
    const s = await setup(harness);
    const carol = new Customer(s, "9201");
    const orderId = await placeOrder(carol);
    const before = carol.calls().length;

    // The order's 15-minute payment window is long over when the server next looks: 25 h later.
    s.server.clock.advance(25 * HOUR);
    await s.server.runtime.tick();
    await settle(s.server);
    expect((await s.server.store.listOrders({ botId: "cafe", userId: "9201" })).map((o) => o.status)).toEqual(["expired"]);
    const late = carol.calls().slice(before);
    expect(late.map((c) => [c.body.messaging_type, c.body.tag, (c.body.message as Message).text])).toEqual([
      ["MESSAGE_TAG", "POST_PURCHASE_UPDATE", `Order #${orderId} expired unpaid, and its items were released. Type menu to order again.`],
    ]);
    expect(s.graph.calls.slice(-1)[0]?.body.sender_action).toBeUndefined();

    // A booking reminder (its buttons act on a booking) goes out with the event tag; a plain message does not go out.
    const address = { botId: "cafe", channel: "messenger", userId: "9201" };
    const [reminder, promo] = await s.server.store.transaction((tx) =>
      tx.enqueue(
        address,
        [
          { text: "Reminder: haircut with Lila, tomorrow at 10:30.", buttons: [{ label: "Reschedule", payload: "booking:reschedule:7" }, { label: "Cancel booking", payload: "booking:cancel:7" }] },
          { text: "New this week: pistachio croissants!" },
        ],
        s.server.clock.now(),
      ),
    );
    await s.server.runtime.tick();
    await settle(s.server);
    const sent = carol.calls().slice(before + 1);
    expect(sent.map((c) => [c.body.messaging_type, c.body.tag])).toEqual([["MESSAGE_TAG", "CONFIRMED_EVENT_UPDATE"]]);
    expect((sent[0]?.body.message as Message).attachment?.payload.buttons?.map((b) => b.title)).toEqual(["Reschedule", "Cancel booking"]);
    const rows = await s.server.store.conversationOutbox(address, { newest: true, limit: 5 });
    expect(rows.find((r) => r.id === reminder)?.sentAt).not.toBeNull();
    const refused = rows.find((r) => r.id === promo);
    expect(refused).toMatchObject({ sentAt: null, nextAttemptAt: null });
    expect(refused?.lastError).toMatch(/over 24 h ago, and the message is neither a booking nor an order update/);

    // The customer writes again: the window is open, replies are responses.
    await carol.say("menu");
    expect(carol.calls().at(-1)?.body.messaging_type).toBe("RESPONSE");
  });
});

describe("Messenger send errors", () => {
  const harness = useHarness();

  it("retries a send the Graph API failed with 500, and records one it refused (551) without retrying", async () => {
    const s = await setup(harness);
    // typing_on, then the welcome fails once, then everything goes through.
    s.graph.fail({ times: 2, status: 500, code: 2, message: "An unexpected error has occurred. Please retry your request later." });
    const res = await post(s.server, batch([text("9301", "hi")]));
    expect(res.status).toBe(200);
    await settle(s.server);
    expect(s.graph.sent("9301")[0]?.body.message).toMatchObject({ text: expect.stringMatching(/Welcome/) });
    expect(s.graph.calls.filter((c) => c.status === 500).length).toBe(2);

    s.graph.fail({ times: 10, status: 400, code: 551, message: "This person isn't available right now." });
    const calls = s.graph.calls.length;
    expect((await post(s.server, batch([text("9302", "hi")]))).status).toBe(200);
    await settle(s.server);
    const rows = await s.server.store.conversationOutbox({ botId: "cafe", channel: "messenger", userId: "9302" });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.sentAt === null && r.nextAttemptAt === null && r.attempts === 1)).toBe(true);
    expect(rows[0]?.lastError).toMatch(/^messenger send to 9302 \(bot cafe, outbox \d+\): 400 \(#551\) This person isn't available right now\.$/);
    // A typing_on and one send per message, none retried.
    expect(s.graph.calls.length - calls).toBe(2 * rows.length);
  });
});

describe("Messenger settings", () => {
  it("names what to set when the app secret or verify token is missing, or a token is not one", () => {
    expect(() => resolveConfig({ env: { KIOSK_MESSENGER_CAFE_PAGE_TOKEN: PAGE_TOKEN } })).toThrow(/KIOSK_META_APP_SECRET \(or 'meta\.appSecret' in kiosk\.config\.ts\) must be set[\s\S]*KIOSK_META_VERIFY_TOKEN \(or 'meta\.verifyToken' in kiosk\.config\.ts\) must be set/);
    expect(() => resolveConfig({ env: { KIOSK_MESSENGER_CAFE_PAGE_TOKEN: "short", KIOSK_META_APP_SECRET: APP_SECRET, KIOSK_META_VERIFY_TOKEN: VERIFY_TOKEN } })).toThrow(
      /KIOSK_MESSENGER_CAFE_PAGE_TOKEN must be the Page access token/,
    );
    expect(() => resolveConfig({ env: { KIOSK_GRAPH_API_VERSION: "21", KIOSK_META_APP_SECRET: APP_SECRET } })).toThrow(/KIOSK_GRAPH_API_VERSION must be a Graph API version such as v21\.0/);
  });
});
