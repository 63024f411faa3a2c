/**
 * A Telegram test harness: a real `kiosk serve` server with Telegram on,
 * a fake Bot API server (tests/fakes/telegram-bot-api.ts), and customers who
 * post real update shapes from the Bot API docs to the webhook over HTTP.
 */
import { expect } from "vitest";
import cafe from "../bots/cafe/index.ts";
import type { LoadedBot } from "../flows/index.ts";
import { OffsetClock } from "../jobs/index.ts";
import { resolveConfig } from "../server/config.ts";
import { startServer, type RunningServer, type StartOptions } from "../server/serve.ts";
import type { FakeBotApi, BotApiCall } from "./fakes/telegram-bot-api.ts";
import { settleOutbox, type Harness } from "./helpers.ts";

export const TOKENS: Record<string, string> = {
  cafe: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
  salon: "987654321:AAFsalonTestTokenOnlyForKioskTests01",
  quiz: "555555555:AAQuizTestTokenOnlyForKioskTests0123",
};
export const SECRET = "kiosk-webhook-secret_01";

/** Telegram's ShippingAddress. */
export interface ShippingAddress {
  country_code: string;
  state: string;
  city: string;
  street_line1: string;
  street_line2: string;
  post_code: string;
}

/** What a pre-checkout query and a successful payment carry for an invoice that asked for shipping. */
export interface ShippingChoice {
  shipping_option_id?: string;
  order_info?: { name?: string; shipping_address?: ShippingAddress };
}

export type Keyboard = Array<Array<{ text: string; callback_data: string }>>;

export class Telegram {
  #updateId = 500_000;
  constructor(
    /** `clock` is the server's real time, that tests move instead of waiting. */
    readonly server: RunningServer & { readonly clock: OffsetClock },
    readonly fake: FakeBotApi,
  ) {}

  async post(bot: string, update: unknown, headers: Record<string, string> = { "x-telegram-bot-api-secret-token": SECRET }): Promise<{ status: number; text: string }> {
    const response = await fetch(`${this.server.url}/telegram/${bot}/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof update === "string" ? update : JSON.stringify(update),
    });
    return { status: response.status, text: await response.text() };
  }

  nextUpdateId(): number {
    return ++this.#updateId;
  }

  chat(bot: string, id: number, language = "en"): Chat {
    return new Chat(this, bot, id, language);
  }

  /** Waits until the outbox has sent (or given up on) every message. */
  async settle(timeoutMs = 8000): Promise<void> {
    await settleOutbox(this.server, timeoutMs);
  }
}

export class Chat {
  constructor(
    readonly telegram: Telegram,
    readonly bot: string,
    readonly id: number,
    readonly language: string,
  ) {}

  get from() {
    return { id: this.id, is_bot: false, first_name: "Alice", username: `user${this.id}`, language_code: this.language };
  }

  get privateChat() {
    return { id: this.id, first_name: "Alice", username: `user${this.id}`, type: "private" };
  }

  /** Calls Kiosk made to this chat (accepted by the fake), in order. */
  calls(method?: string): BotApiCall[] {
    return this.telegram.fake.accepted(method).filter((c) => c.token === TOKENS[this.bot] && String(c.params.chat_id) === String(this.id));
  }

  texts(): string[] {
    return this.calls("sendMessage").map((c) => String(c.params.text));
  }

  messageUpdate(message: Record<string, unknown>, updateId = this.telegram.nextUpdateId()) {
    return { update_id: updateId, message: { message_id: updateId, from: this.from, chat: this.privateChat, date: Math.floor(Date.now() / 1000), ...message } };
  }

  async send(text: string, updateId?: number): Promise<void> {
    const entities = text.startsWith("/") ? { entities: [{ offset: 0, length: text.split(" ")[0]?.length ?? 0, type: "bot_command" }] } : {};
    await this.expectOk(this.messageUpdate({ text, ...entities }, updateId));
  }

  /** The buttons a message shows now (after any edits). */
  static keys(message: Record<string, unknown> | undefined): Keyboard[number] {
    return ((message?.reply_markup as { inline_keyboard?: Keyboard } | undefined)?.inline_keyboard ?? []).flat();
  }

  /**
   * Presses the newest button on screen whose label or callback_data
   * matches, as Telegram reports it: the callback query carries the message
   * as it is now (its id, text or caption, photo, keyboard).
   */
  async press(match: string | RegExp): Promise<number> {
    const test = (b: { text: string; callback_data: string }) => (typeof match === "string" ? b.text === match || b.callback_data === match : match.test(b.callback_data));
    const message = this.telegram.fake
      .messagesIn(this.id)
      .reverse()
      .find((m) => Chat.keys(m).some(test));
    const button = Chat.keys(message).find(test);
    if (!message || !button) throw new Error(`no button ${String(match)} in chat ${this.id}; texts: ${JSON.stringify(this.texts())}`);
    const updateId = this.telegram.nextUpdateId();
    await this.expectOk({
      update_id: updateId,
      callback_query: { id: `cq${updateId}`, from: this.from, message, chat_instance: "-5468853267389741922", data: button.callback_data },
    });
    return message.message_id;
  }

  async preCheckout(payload: string, amount: number, currency = "EUR", shipping: ShippingChoice = {}): Promise<{ ok: boolean; error_message?: string }> {
    const updateId = this.telegram.nextUpdateId();
    const queryId = `pcq${updateId}`;
    await this.expectOk({ update_id: updateId, pre_checkout_query: { id: queryId, from: this.from, currency, total_amount: amount, invoice_payload: payload, ...shipping } });
    // Answered inside the request: it is recorded by the time the webhook answered.
    const answer = this.telegram.fake.accepted("answerPreCheckoutQuery").find((c) => c.params.pre_checkout_query_id === queryId);
    if (!answer) throw new Error("the pre-checkout query was not answered inside the webhook request");
    return answer.params as { ok: boolean; error_message?: string };
  }

  /** Telegram asks which shipping options go to the address the customer typed in the payment form. */
  async shippingQuery(payload: string, address: ShippingAddress): Promise<{ ok: boolean; shipping_options?: Array<{ id: string; title: string; prices: Array<{ label: string; amount: number }> }>; error_message?: string }> {
    const updateId = this.telegram.nextUpdateId();
    const queryId = `sq${updateId}`;
    await this.expectOk({ update_id: updateId, shipping_query: { id: queryId, from: this.from, invoice_payload: payload, shipping_address: address } });
    const answer = this.telegram.fake.accepted("answerShippingQuery").find((c) => c.params.shipping_query_id === queryId);
    if (!answer) throw new Error("the shipping query was not answered inside the webhook request");
    return answer.params as { ok: boolean; error_message?: string };
  }

  successfulPayment(payload: string, amount: number, chargeId: string, updateId = this.telegram.nextUpdateId(), currency = "EUR", shipping: ShippingChoice = {}) {
    // Stars payments carry no provider charge id.
    const provider = currency === "XTR" ? {} : { provider_payment_charge_id: `ch_${chargeId}` };
    return this.messageUpdate(
      { successful_payment: { currency, total_amount: amount, invoice_payload: payload, telegram_payment_charge_id: chargeId, ...provider, ...shipping } },
      updateId,
    );
  }

  /** The bot's membership in this private chat changed: "kicked" when the customer blocks it, "member" when they start it again. */
  async membership(status: "kicked" | "member"): Promise<void> {
    const bot = { id: 1, is_bot: true, first_name: "Kiosk", username: "kiosk_bot" };
    const old = status === "kicked" ? { status: "member", user: bot } : { status: "kicked", user: bot, until_date: 0 };
    const updated = status === "kicked" ? { status: "kicked", user: bot, until_date: 0 } : { status: "member", user: bot };
    await this.expectOk({
      update_id: this.telegram.nextUpdateId(),
      my_chat_member: { chat: this.privateChat, from: this.from, date: Math.floor(Date.now() / 1000), old_chat_member: old, new_chat_member: updated },
    });
  }

  async expectOk(update: unknown): Promise<void> {
    const res = await this.telegram.post(this.bot, update);
    expect(res.status, res.text).toBe(200);
    await this.telegram.settle();
  }

  lastInvoice(): Record<string, unknown> {
    const invoice = this.calls("sendInvoice").at(-1);
    if (!invoice) throw new Error(`no invoice sent to chat ${this.id}`);
    return invoice.params;
  }
}

export async function startTelegram(
  harness: Harness,
  fake: FakeBotApi,
  bots: readonly LoadedBot[] = [cafe],
  mode: "webhook" | "polling" = "webhook",
  extraEnv: Readonly<Record<string, string>> = {},
  options: { readonly logger?: StartOptions["logger"] } = {},
): Promise<Telegram> {
  const env: Record<string, string> = {
    // Polling: no webhook configured, so no secret.
    ...(mode === "webhook" ? { KIOSK_TELEGRAM_SECRET: SECRET } : {}),
    KIOSK_TELEGRAM_API_ROOT: fake.url,
    KIOSK_TELEGRAM_PROVIDER_TOKEN: "284685063:TEST:NjQ2ZjYxNjQ2ZjY0NjE2ZA",
    // These tests tap through flows faster than Telegram's 1 message a second per chat; pacing has its own (telegram-pacing.test.ts).
    KIOSK_TELEGRAM_RATE_PER_CHAT: "0",
  };
  for (const bot of bots) env[`KIOSK_TELEGRAM_${bot.id.toUpperCase()}_TOKEN`] = TOKENS[bot.id] ?? "";
  Object.assign(env, extraEnv);
  const config = { ...resolveConfig({ env }), port: 0, host: "127.0.0.1", db: harness.db };
  const realTime = new OffsetClock();
  const server = await startServer({ config, bots, logger: options.logger ?? false, realTime });
  harness.defer(() => server.close());
  return new Telegram({ ...server, clock: realTime }, fake);
}

