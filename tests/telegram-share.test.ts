/**
 * Telegram's share buttons end to end: an ask phone/location step is sent
 * with a one-time reply keyboard whose one button requests the contact or
 * the location; the shared contact (the customer's own only) or location
 * posted to the webhook as Telegram sends it answers the step; the next
 * message takes the keyboard away.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defineBot, flow } from "../flows/index.ts";
import { resolveConfig } from "../server/config.ts";
import { startServer, type RunningServer } from "../server/serve.ts";
import { FakeBotApi, type BotApiCall } from "./fakes/telegram-bot-api.ts";
import { useHarness } from "./helpers.ts";

const TOKEN = "444555666:AAShareTestTokenOnlyForKioskTests0001";
const SECRET = "kiosk-webhook-secret_02";
const CHAT = 7_340_001;

const florist = defineBot({
  id: "florist",
  name: "Florist",
  locales: ["en", "fr"],
  flows: [
    flow("deliver")
      .askPhone("phone", { prompt: { en: "Your phone number?", fr: "Votre numéro ?" }, slot: "phone" })
      .askLocation("where", { prompt: { en: "Where to?", fr: "Où livrer ?" }, slot: "where" })
      .choice("when", {
        prompt: { en: "When?", fr: "Quand ?" },
        slot: "when",
        choices: [
          { label: { en: "Today", fr: "Aujourd'hui" }, value: "today" },
          { label: { en: "Tomorrow", fr: "Demain" }, value: "tomorrow" },
        ],
      })
      .end("done", { en: "Thanks, we'll call {{ slots.phone }}.", fr: "Merci, nous appellerons le {{ slots.phone }}." })
      .build(),
  ],
});

describe("Telegram share buttons", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  let server: RunningServer;
  let updateId = 900_000;
  beforeEach(async () => {
    fake = await FakeBotApi.start();
    const env = { KIOSK_TELEGRAM_SECRET: SECRET, KIOSK_TELEGRAM_API_ROOT: fake.url, KIOSK_TELEGRAM_FLORIST_TOKEN: TOKEN };
    server = await startServer({ config: { ...resolveConfig({ env }), port: 0, host: "127.0.0.1", db: harness.db }, bots: [florist], logger: false });
    harness.defer(() => server.close());
  });
  afterEach(async () => {
    await fake.close();
  });

  const from = (language: string) => ({ id: CHAT, is_bot: false, first_name: "Alice", language_code: language });

  /** Posts a private message as Telegram sends it and waits until every reply is sent. */
  async function post(message: Record<string, unknown>, language = "en"): Promise<void> {
    updateId += 1;
    const body = { update_id: updateId, message: { message_id: updateId, from: from(language), chat: { id: CHAT, first_name: "Alice", type: "private" }, date: 1_740_000_000, ...message } };
    const response = await fetch(`${server.url}/telegram/florist/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.text()).toBe(200);
    const deadline = Date.now() + 8000;
    while ((await server.store.pendingOutbox(new Date(Date.now() + 3_600_000), 1)).length > 0) {
      if (Date.now() > deadline) throw new Error("the outbox did not drain");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const sent = (): BotApiCall[] => fake.accepted("sendMessage").filter((c) => String(c.params.chat_id) === String(CHAT));
  const shown = () => sent().map((c) => ({ text: c.params.text, reply_markup: c.params.reply_markup }));

  async function slots(): Promise<unknown> {
    const row = await server.store.transaction((tx) => tx.loadConversation({ botId: "florist", channel: "telegram", userId: String(CHAT) }));
    return row?.data;
  }

  it("asks with a contact button, takes the customer's own contact and a location, then removes the keyboard", async () => {
    await post({ text: "/start", entities: [{ offset: 0, length: 6, type: "bot_command" }] });
    expect(shown()).toEqual([
      {
        text: "Your phone number?",
        reply_markup: { keyboard: [[{ text: "Share my phone number", request_contact: true }]], one_time_keyboard: true, resize_keyboard: true },
      },
    ]);

    // Someone else's card (no user_id, or another user's) is refused.
    await post({ contact: { phone_number: "+33699999999", first_name: "Bob", user_id: 42 } });
    await post({ contact: { phone_number: "+33699999999", first_name: "Bob" } });
    expect(shown().slice(1).map((m) => m.text)).toEqual([
      "That is someone else's contact. Please share your own number, or type it.",
      "Your phone number?",
      "That is someone else's contact. Please share your own number, or type it.",
      "Your phone number?",
    ]);

    // The share button sends the customer's own card, often without its +.
    await post({ contact: { phone_number: "33612345678", first_name: "Alice", user_id: CHAT } });
    expect(shown().at(-1)).toEqual({
      text: "Where to?",
      reply_markup: { keyboard: [[{ text: "Share my location", request_location: true }]], one_time_keyboard: true, resize_keyboard: true },
    });

    await post({ location: { latitude: 48.8566, longitude: 2.3522 } });
    // The next question has inline buttons, so the removal goes on a message of its own before it.
    const after = shown().slice(-2);
    expect(after[0]).toEqual({ text: "✓", reply_markup: { remove_keyboard: true } });
    expect(after[1]?.text).toBe("When?");
    expect(after[1]?.reply_markup).toMatchObject({ inline_keyboard: [[{ text: "Today" }, { text: "Tomorrow" }]] });
    expect(await slots()).toMatchObject({ slots: { phone: "+33612345678", where: { latitude: 48.8566, longitude: 2.3522 } } });
  });

  it("takes typed answers in French, re-asking on nonsense, and removes the keyboard with the reply that follows", async () => {
    await post({ text: "bonjour" }, "fr");
    expect(shown()[0]?.reply_markup).toEqual({ keyboard: [[{ text: "Partager mon numéro", request_contact: true }]], one_time_keyboard: true, resize_keyboard: true });
    await post({ text: "pas de numéro" }, "fr");
    const retry = shown().slice(1);
    expect(retry.map((m) => m.text)).toEqual(["Ce n'est pas un numéro de téléphone. Envoyez-le avec son indicatif, par exemple +33 6 12 34 56 78.", "Votre numéro ?"]);
    // The keyboard stays while the question is asked again.
    expect(retry.some((m) => JSON.stringify(m.reply_markup ?? {}).includes("remove_keyboard"))).toBe(false);
    await post({ text: "+33 6 12 34 56 78" }, "fr");
    expect(await slots()).toMatchObject({ slots: { phone: "+33612345678" } });
    await post({ location: { latitude: 123, longitude: 2 } }, "fr");
    expect(shown().at(-2)?.text).toBe("Partagez votre position, ou écrivez une adresse (3 à 200 caractères).");
    // Leaving the question by a command: its answer is a plain text, which takes the keyboard away itself.
    await post({ text: "annuler" }, "fr");
    expect(shown().at(-1)).toEqual({ text: "Annulé : rien n'a été commandé. Envoyez un message pour recommencer.", reply_markup: { remove_keyboard: true } });
  });
});
