import { Api, GrammyError, HttpError, type Transformer } from "grammy";
import { makeCalls } from "../call-progress.ts";
import { grammySignal, type GrammySignal } from "./signal.ts";
import type { ChannelSender, Envelope } from "../../core/message.ts";
import { ChannelSendError } from "../../core/send-error.ts";
import { Pacer, type PacingRates } from "./pacing.ts";
import { replyMarkupOf } from "./reply-markup.ts";
import { PhotoCache, type ImageFile } from "./photos.ts";
import { STARS } from "../../commerce/index.ts";
import { renderEnvelope, renderPage, type InlineButton, type PriceLine, type TelegramCall } from "./render.ts";

export const TELEGRAM_CHANNEL = "telegram";


export interface TelegramSenderOptions {
  /** Bot id → the bot's token from BotFather. */
  readonly tokens: ReadonlyMap<string, string>;
  /** The Bot API server, without a trailing slash; tests point it at a fake. Default https://api.telegram.org. */
  readonly apiRoot?: string;
  /** The payment provider token for invoices (not needed for Telegram Stars, XTR). */
  readonly providerToken?: string;
  /** Chats sent to at once by the outbox. Default 16. */
  readonly concurrency?: number;
  /** A Bot API call that takes longer fails (and is retried). Default 30 s. */
  readonly timeoutSeconds?: number;
  /** The price lines of an order, one per order line; undefined when unknown. */
  readonly invoiceLines?: (botId: string, orderId: string) => Promise<readonly PriceLine[] | undefined>;
  /**
   * How fast each bot sends, in all chats together and in each chat (see
   * adapters/telegram/pacing.ts); a rate of 0 turns that limit off. Default
   * `DEFAULT_PACING`: 30/s per bot (burst 30), 1/s per chat (burst 3).
   */
  readonly pacing?: Partial<PacingRates>;
  /**
   * Told when Telegram refuses a send with 403 (the customer blocked the bot,
   * or deleted their account), to mark them unreachable: the outbox then
   * records their messages as not delivered instead of sending them.
   */
  readonly onForbidden?: (botId: string, userId: string, reason: string) => Promise<void>;
}

/** Card images for a TelegramSender (see PhotoCache). */
export interface TelegramPhotoOptions {
  /** The file of a card image that is a path in the bot's folder; without it such cards are sent as text. */
  readonly imageFile?: ImageFile;
  /** Told when Telegram refused a card's photo (400) and the card was sent as text instead. */
  readonly onPhotoRejected?: (botId: string, image: string, reason: string) => void;
}

/** The message a customer turned a page of (see `TelegramSender.showPage`). */
export interface PagedMessage {
  readonly botId: string;
  readonly chatId: string;
  readonly messageId: number;
  /** Whether it is a photo (edited with editMessageMedia) rather than text. */
  readonly photo: boolean;
}

/** Why a customer's messages are not sent after they blocked the bot. */
export const BLOCKED_REASON = "customer blocked the bot";

/**
 * Turns a grammY failure into what the outbox needs: 429 waits `retry_after`,
 * 5xx and network failures or timeouts are retried, any other 4xx (a blocked
 * bot, a bad request) is rejected for good.
 */
export function toSendError(error: unknown, what: string): unknown {
  if (error instanceof GrammyError) {
    const message = `telegram ${what}: ${error.error_code} ${error.description}`;
    if (error.error_code === 429) {
      const seconds = error.parameters.retry_after ?? 1;
      return new ChannelSendError("rate_limited", message, { retryAfterMs: seconds * 1000, cause: error });
    }
    if (error.error_code >= 500) return new ChannelSendError("unavailable", message, { cause: error });
    return new ChannelSendError("rejected", message, { cause: error });
  }
  if (error instanceof HttpError) return new ChannelSendError("unavailable", `telegram ${what}: ${error.message}`, { cause: error });
  return error;
}

/** Whether a Bot API method sends a message to a chat: what Telegram's per-bot and per-chat limits count. */
function sendsMessage(method: string): boolean {
  return (method.startsWith("send") && method !== "sendChatAction") || /^(copy|forward)Messages?$/.test(method);
}

/**
 * Makes a bot's message sends wait for their turn (`Pacer`) before they go,
 * whatever calls them (the outbox, a group invitation); answers to buttons
 * and pre-checkout queries are never held. Waiting ends when the call's
 * signal aborts.
 */
function paced(pacer: Pacer, botId: string): Transformer {
  return async (prev, method, payload, signal) => {
    if (sendsMessage(method)) {
      const chat = (payload as { chat_id?: unknown } | undefined)?.chat_id;
      await pacer.wait(botId, String(chat), signal as AbortSignal | undefined);
    }
    return prev(method, payload, signal);
  };
}

/**
 * The Telegram channel's sending half: renders outbox messages with grammY's
 * `Api`, one per bot token. One outbox message may take several calls (text,
 * cards, invoice); when a later one fails, the retry starts after the calls
 * already made (kept on the outbox row), so nothing is shown twice.
 */
export class TelegramSender implements ChannelSender {
  readonly channel = TELEGRAM_CHANNEL;
  /** Chats sent to at once: each is a separate HTTP call, and Telegram's limits are per chat and per bot. */
  readonly concurrency: number;
  /** Whether sends wait for pacing (see `TelegramSenderOptions.pacing`). */
  readonly paced: boolean;
  readonly #options: TelegramSenderOptions;
  readonly #apis = new Map<string, Api>();
  /** Bot id → its username from getMe, asked once (again after a failure). */
  readonly #usernames = new Map<string, Promise<string>>();
  readonly #photos: PhotoCache;
  readonly #onPhotoRejected: TelegramPhotoOptions["onPhotoRejected"];

  constructor(options: TelegramSenderOptions & TelegramPhotoOptions) {
    this.#options = options;
    this.concurrency = options.concurrency ?? 16;
    this.#photos = new PhotoCache(options.imageFile ?? (() => undefined));
    this.#onPhotoRejected = options.onPhotoRejected;
    const pacer = new Pacer(options.pacing ?? {});
    this.paced = pacer.enabled;
    for (const [botId, token] of options.tokens) {
      const api = new Api(token, { apiRoot: options.apiRoot ?? "https://api.telegram.org", timeoutSeconds: options.timeoutSeconds ?? 30 });
      if (pacer.enabled) api.config.use(paced(pacer, botId));
      this.#apis.set(botId, api);
    }
  }

  /** The bot's Bot API client; throws for a bot without a Telegram token. */
  api(botId: string): Api {
    const api = this.#apis.get(botId);
    if (!api) throw new ChannelSendError("rejected", `bot '${botId}' has no Telegram token; set KIOSK_TELEGRAM_${envName(botId)}_TOKEN`);
    return api;
  }

  /** The bot's @username (without the @), from `getMe`, asked once per bot. */
  username(botId: string): Promise<string> {
    let name = this.#usernames.get(botId);
    if (!name) {
      name = this.api(botId)
        .getMe()
        .then((me) => me.username);
      name.catch(() => this.#usernames.delete(botId));
      this.#usernames.set(botId, name);
    }
    return name;
  }

  async send(envelope: Envelope, signal?: AbortSignal): Promise<void> {
    const api = this.api(envelope.botId);
    const invoice = envelope.message.invoice;
    const lines = invoice ? await this.#options.invoiceLines?.(envelope.botId, invoice.order) : undefined;
    const calls = renderEnvelope(envelope, lines, envelope.message.locale ?? "en");
    await makeCalls(
      envelope,
      calls,
      (call) => this.#call(api, envelope, call, signal),
      async (error, call) => {
        if (error instanceof GrammyError && error.error_code === 403) await this.#options.onForbidden?.(envelope.botId, envelope.userId, error.description);
        return toSendError(error, `${call.method} to chat ${envelope.userId} (bot ${envelope.botId})`);
      },
    );
  }

  /**
   * Shows card `index` of a message with several cards in the message the
   * customer turned the page of, editing it in place (see `renderPage`):
   * its photo and caption, or its text, with the page's buttons.
   */
  async showPage(target: PagedMessage, envelope: Envelope, index: number): Promise<void> {
    const page = renderPage(envelope, index, envelope.message.locale ?? "en");
    if (!page) return;
    const { botId, chatId, messageId } = target;
    const api = this.api(botId);
    const reply_markup = { inline_keyboard: page.keyboard ?? [] };
    if (target.photo && page.method === "sendPhoto") {
      const media = this.#photos.input(botId, page.photo);
      if (media === undefined) {
        await api.editMessageCaption(chatId, messageId, { caption: page.caption, parse_mode: "HTML", reply_markup });
        return;
      }
      try {
        const edited = await api.editMessageMedia(chatId, messageId, { type: "photo", media, caption: page.caption, parse_mode: "HTML" }, { reply_markup });
        if (edited !== true) this.#photos.remember(botId, page.photo, edited.photo);
      } catch (error) {
        // A file_id Telegram no longer takes: the next send uploads the file again.
        if (isBadRequest(error)) this.#photos.forget(botId, page.photo);
        throw error;
      }
      return;
    }
    await api.editMessageText(chatId, messageId, page.text, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, reply_markup });
  }

  async #call(api: Api, envelope: Envelope, call: TelegramCall, abort: AbortSignal | undefined): Promise<void> {
    const signal = grammySignal(abort);
    const chatId = envelope.userId;
    if (call.method === "sendPhoto" || call.method === "sendMessage") {
      const markup = call.keyboard ? { reply_markup: { inline_keyboard: call.keyboard } } : {};
      if (call.method === "sendPhoto" && (await this.#sendPhoto(api, envelope, call, markup, signal))) return;
      const reply = call.method === "sendMessage" ? replyMarkupOf(call.reply) : {};
      await api.sendMessage(chatId, call.text, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...markup, ...reply }, signal);
      return;
    }
    const stars = call.currency === STARS;
    const providerToken = this.#options.providerToken;
    if (!stars && !providerToken) {
      throw new ChannelSendError("rejected", "cannot send a Telegram invoice: no payment provider token; set KIOSK_TELEGRAM_PROVIDER_TOKEN (from BotFather's Payments menu)");
    }
    const shipping = call.shipping ? { need_name: true, need_shipping_address: true, is_flexible: true } : {};
    await api.sendInvoice(chatId, call.title, call.description, call.payload, call.currency, call.prices, stars ? {} : { provider_token: providerToken, ...shipping }, signal);
  }

  /**
   * Sends a card's photo with its caption; false when it has to go as text
   * instead: its file is unknown, or Telegram refused the photo (400), so
   * the card is not lost. Any other failure is thrown.
   */
  async #sendPhoto(
    api: Api,
    envelope: Envelope,
    call: Extract<TelegramCall, { method: "sendPhoto" }>,
    markup: { reply_markup?: { inline_keyboard: InlineButton[][] } },
    signal: GrammySignal,
  ): Promise<boolean> {
    const { botId } = envelope;
    const photo = this.#photos.input(botId, call.photo);
    if (photo === undefined) return false;
    try {
      const sent = await api.sendPhoto(envelope.userId, photo, { caption: call.caption, parse_mode: "HTML", ...markup }, signal);
      this.#photos.remember(botId, call.photo, sent.photo);
      return true;
    } catch (error) {
      if (!isBadRequest(error)) throw error;
      this.#photos.forget(botId, call.photo);
      this.#onPhotoRejected?.(botId, call.photo, error.description);
      return false;
    }
  }
}

/** Whether Telegram refused a request as malformed: a photo it cannot use, a file_id it does not know. */
function isBadRequest(error: unknown): error is GrammyError {
  return error instanceof GrammyError && error.error_code === 400;
}

/** The part of KIOSK_TELEGRAM_<BOT>_TOKEN that names a bot: its id in capitals, other characters as `_`. */
export function envName(botId: string): string {
  return botId.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}
