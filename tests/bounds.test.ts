/**
 * Every channel's inbound fields bounded as its platform bounds them, through
 * one real server with Telegram, Messenger, WhatsApp and Bot Framework
 * configured against local fakes: an update over a limit is acknowledged (so
 * the platform does not deliver it again) but runs no turn, and a warning
 * names the field and the sizes, never the text. The emulator's API, which no
 * platform calls, answers 400 instead.
 */
import { beforeEach, describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import { hubSignature } from "../adapters/graph/index.ts";
import type { ConversationAddress } from "../store/index.ts";
import { FakeConnector } from "./fakes/botframework-connector.ts";
import { FakeGraphApi, whatsappWebhook } from "./fakes/graph-api.ts";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness, type Harness } from "./helpers.ts";
import { captureLog, type CapturedLog } from "./log-capture.ts";
import { SECRET, startTelegram, type Telegram } from "./telegram-harness.ts";

const APP_SECRET = "0123456789abcdef0123456789abcdef";
const PAGE_ID = "104020202020202";
const PHONE_NUMBER_ID = "106540352242922";
const TOKEN = "EAAGtestPageAccessTokenForKioskTests0001";

interface Setup {
  readonly telegram: Telegram;
  readonly connector: FakeConnector;
  /** The Authorization header the Bot Framework Service sends with an activity for this server's app id. */
  botFrameworkToken(): Record<string, string>;
  readonly log: CapturedLog;
  /** The warnings about updates not run (the start's own warnings left out). */
  notRun(): string[];
  post(path: string, body: unknown): Promise<{ status: number; text: string }>;
  conversation(address: Omit<ConversationAddress, "botId">): Promise<unknown>;
}

async function setup(harness: Harness, fake: FakeBotApi): Promise<Setup> {
  const graph = await FakeGraphApi.start();
  harness.defer(() => graph.close());
  const connector = await FakeConnector.start();
  harness.defer(() => connector.close());
  // Beside real channels Bot Framework is served only with an app id.
  const registration = await connector.appRegistration();
  const log = captureLog();
  const env = {
    KIOSK_MS_APP_ID: registration.appId,
    KIOSK_MS_APP_PASSWORD: registration.appPassword ?? "",
    KIOSK_BOTFRAMEWORK_OPENID_METADATA_URL: connector.openIdMetadataUrl,
    KIOSK_BOTFRAMEWORK_LOGIN_URL: connector.loginUrl,
    KIOSK_GRAPH_API_BASE: graph.url,
    KIOSK_META_APP_SECRET: APP_SECRET,
    KIOSK_META_VERIFY_TOKEN: "kiosk-bounds-verify-token",
    KIOSK_MESSENGER_CAFE_PAGE_TOKEN: TOKEN,
    KIOSK_WHATSAPP_CAFE_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    KIOSK_WHATSAPP_CAFE_TOKEN: TOKEN,
  };
  const telegram = await startTelegram(harness, fake, [cafe], "webhook", env, { logger: log.logger });
  const server = telegram.server;
  return {
    telegram,
    connector,
    botFrameworkToken: () => ({ authorization: `Bearer ${connector.channelToken({ aud: registration.appId, serviceurl: connector.url })}` }),
    log,
    notRun: () => log.warnings().filter((w) => w.includes(" not run: ")),
    async post(path, body) {
      const raw = JSON.stringify(body);
      const response = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": hubSignature(raw, APP_SECRET) },
        body: raw,
      });
      return { status: response.status, text: await response.text() };
    },
    conversation: (address) => server.store.transaction((tx) => tx.loadConversation({ botId: "cafe", ...address })),
  };
}

describe("inbound bounds on every channel", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));
  let s: Setup;
  beforeEach(async () => {
    s = await setup(harness, fake);
  });

  it("Telegram: a 900,000-character text, 66-byte callback data, a 36-character language code are acknowledged and run no turn; 4096 emoji do", async () => {
    const bob = s.telegram.chat("cafe", 4200001);
    const secret = "croissant ".repeat(90_000);
    const start = bob.messageUpdate({ text: "/start" });
    for (const update of [
      bob.messageUpdate({ text: secret }),
      bob.messageUpdate({ text: "x".repeat(4097) }),
      { update_id: s.telegram.nextUpdateId(), callback_query: { id: "cq-long", from: bob.from, chat_instance: "1", data: "é".repeat(33) } },
      { ...start, message: { ...start.message, from: { ...bob.from, language_code: "x".repeat(36) } } },
    ]) {
      const res = await s.telegram.post("cafe", update);
      expect(res.status, res.text).toBe(200);
    }
    await s.telegram.settle();
    expect(await s.conversation({ channel: "telegram", userId: "4200001" })).toBeUndefined();
    expect(bob.texts()).toEqual([]);
    // The pressed button still stops spinning.
    expect(fake.accepted("answerCallbackQuery").map((c) => c.params.callback_query_id)).toEqual(["cq-long"]);
    const warnings = s.notRun();
    expect(warnings).toEqual([
      expect.stringMatching(/^telegram: update \d+ for bot cafe not run: message\.text is 900000 characters, over Telegram's limit of 4096; acknowledged$/),
      expect.stringMatching(/not run: message\.text is 4097 characters, over Telegram's limit of 4096/),
      expect.stringMatching(/not run: callback_query\.data is 66 bytes, over Telegram's limit of 64/),
      expect.stringMatching(/not run: from\.language_code is 36 characters, over Telegram's limit of 35/),
    ]);
    expect(warnings.join("\n")).not.toContain("croissant");

    // 4096 emoji are 8192 UTF-16 units but 4096 characters, as Telegram counts: a turn runs.
    await bob.send("🥐".repeat(4096));
    expect(await s.conversation({ channel: "telegram", userId: "4200001" })).toBeDefined();
    expect(bob.texts().length).toBeGreaterThan(0);
  });

  it("Telegram: an invoice payload over 128 bytes or a currency that is no code is a malformed update: 400", async () => {
    const bob = s.telegram.chat("cafe", 4200002);
    const long = await s.telegram.post("cafe", bob.successfulPayment(`order:${"1".repeat(130)}`, 180, "tgLong"));
    expect(long.status).toBe(400);
    expect(long.text).toMatch(/invoice_payload/);
    const currency = await s.telegram.post("cafe", bob.successfulPayment("order:1", 180, "tgCur", undefined, "euros"));
    expect(currency.status).toBe(400);
    expect(currency.text).toMatch(/currency/);
  });

  it("Messenger: text over 2000 characters and payloads over 1000 are acknowledged and run no turn", async () => {
    const event = (psid: string, body: Record<string, unknown>) => ({ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), ...body });
    const batch = (...messaging: unknown[]) => ({ object: "page", entry: [{ id: PAGE_ID, time: Date.now(), messaging }] });
    const res = await s.post(
      "/messenger/cafe/webhook",
      batch(
        event("psid-long-1", { message: { mid: "m_long_1", text: "x".repeat(2001) } }),
        event("psid-long-2", { postback: { mid: "m_long_2", title: "Go", payload: "p".repeat(1001) } }),
        event("psid-long-3", { message: { mid: "m_long_3", text: "hi", quick_reply: { payload: "q".repeat(1001) } } }),
      ),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe("EVENT_RECEIVED");
    for (const userId of ["psid-long-1", "psid-long-2", "psid-long-3"]) expect(await s.conversation({ channel: "messenger", userId })).toBeUndefined();
    expect(s.notRun()).toEqual([
      "messenger: bot cafe: an event not run: message.text is 2001 characters, over Messenger's limit of 2000; acknowledged",
      "messenger: bot cafe: an event not run: postback.payload is 1001 characters, over Messenger's limit of 1000; acknowledged",
      "messenger: bot cafe: an event not run: message.quick_reply.payload is 1001 characters, over Messenger's limit of 1000; acknowledged",
    ]);
    // At the limit, a turn runs.
    expect((await s.post("/messenger/cafe/webhook", batch(event("psid-long-1", { message: { mid: "m_ok", text: "x".repeat(2000) } })))).status).toBe(200);
    expect(await s.conversation({ channel: "messenger", userId: "psid-long-1" })).toBeDefined();
  });

  it("WhatsApp: a text body over 4096 characters, a reply button id over 256, a list row id over 200 are acknowledged and run no turn", async () => {
    const messages = (from: string, ...list: Array<Record<string, unknown>>) =>
      whatsappWebhook(PHONE_NUMBER_ID, {
        contacts: [{ profile: { name: "Kerry Fisher" }, wa_id: from }],
        messages: list.map((m, i) => ({ from, id: `wamid.bounds${from}${i}`, timestamp: String(Math.floor(Date.now() / 1000)), ...m })),
      });
    const from = "16505551234";
    const res = await s.post(
      "/whatsapp/cafe/webhook",
      messages(
        from,
        { type: "text", text: { body: "x".repeat(4097) } },
        { type: "interactive", interactive: { type: "button_reply", button_reply: { id: "b".repeat(257), title: "Go" } } },
        { type: "interactive", interactive: { type: "list_reply", list_reply: { id: "r".repeat(201), title: "Latte" } } },
      ),
    );
    expect(res.status, res.text).toBe(200);
    expect(await s.conversation({ channel: "whatsapp", userId: from })).toBeUndefined();
    const warnings = s.notRun();
    expect(warnings).toEqual([
      "whatsapp: bot cafe: a message not run: text.body is 4097 characters, over WhatsApp's limit of 4096; acknowledged",
      "whatsapp: bot cafe: a message not run: interactive.button_reply.id is 257 characters, over WhatsApp's limit of 256; acknowledged",
      "whatsapp: bot cafe: a message not run: interactive.list_reply.id is 201 characters, over WhatsApp's limit of 200; acknowledged",
    ]);
    expect(warnings.join("\n")).not.toContain(from);
  });

  it("Bot Framework: text over 28,000 characters and a submitted payload over 1,000 are acknowledged and run no turn", async () => {
    const activity = (conversation: string, fields: Record<string, unknown>) => ({
      type: "message",
      id: `act-${conversation}`,
      channelId: "webchat",
      serviceUrl: s.connector.url,
      from: { id: `${conversation}-user`, name: "Alice", role: "user" },
      conversation: { id: conversation },
      recipient: { id: "kiosk-bot-id", name: "Kiosk", role: "bot" },
      locale: "en-US",
      ...fields,
    });
    for (const body of [activity("conv-long-text", { text: "x".repeat(28_001) }), activity("conv-long-payload", { value: { payload: "p".repeat(1001) } })]) {
      const res = await fetch(`${s.telegram.server.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json", ...s.botFrameworkToken() }, body: JSON.stringify(body) });
      expect(res.status, await res.text()).toBe(200);
    }
    for (const userId of ["webchat:conv-long-text", "webchat:conv-long-payload"]) expect(await s.conversation({ channel: "botframework", userId })).toBeUndefined();
    expect(s.notRun()).toEqual([
      "botframework: activity act-conv-long-text for bot cafe not run: text is 28001 characters, over Kiosk's Bot Framework's limit of 28000; acknowledged",
      "botframework: activity act-conv-long-payload for bot cafe not run: value.payload is 1001 characters, over Kiosk's Bot Framework's limit of 1000; acknowledged",
    ]);
    expect(s.connector.calls).toHaveLength(0);
  });

  it("every webhook refuses a body that is not application/json with 415, as the README says, and runs nothing", async () => {
    const body = JSON.stringify(s.telegram.chat("cafe", 4200003).messageUpdate({ text: "/start" }));
    for (const path of ["/telegram/cafe/webhook", "/messenger/cafe/webhook", "/whatsapp/cafe/webhook", "/api/messages"]) {
      for (const type of ["text/plain; charset=utf-8", "application/x-www-form-urlencoded"]) {
        const res = await fetch(`${s.telegram.server.url}${path}`, {
          method: "POST",
          headers: { "content-type": type, "x-telegram-bot-api-secret-token": SECRET, "x-hub-signature-256": hubSignature(body, APP_SECRET) },
          body,
        });
        expect(res.status, `${path} ${type}`).toBe(415);
        expect(await res.json()).toMatchObject({ error: { code: "unsupported_media_type", message: expect.stringContaining("application/json") } });
      }
    }
    expect(await s.conversation({ channel: "telegram", userId: "4200003" })).toBeUndefined();
  });
});
