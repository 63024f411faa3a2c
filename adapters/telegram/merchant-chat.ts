/**
 * The merchant chat on Telegram: a chat (a group of staff, or one person)
 * per bot, KIOSK_MERCHANT_<BOT>=telegram:<chat id>, that hears of every
 * merchant event (store/ports/events.ts) as a message from the bot, with
 * buttons on new orders (Preparing / Ready / Cancel and refund) and new
 * bookings (Cancel / No-show). A press in that chat runs the shop's action
 * (runShopAction), recorded as `telegram:<user id>`; a press anywhere else
 * changes nothing.
 */
import type { FastifyBaseLogger } from "fastify";
import type { InlineKeyboardButton } from "grammy/types";
import { MAX_CALLBACK_DATA } from "./callback-data.ts";
import { escapeHtml } from "./html.ts";
import { toSendError, type TelegramSender } from "./sender.ts";
import { grammySignal } from "./signal.ts";
import { SHOP_PREFIX } from "./updates.ts";
import { ChannelSendError } from "../../core/send-error.ts";
import { BOOKING_STATUSES, formatMoney, ORDER_STATUSES } from "../../commerce/index.ts";
import { englishTexts, frenchTexts, runShopAction, type LoadedBot, type MerchantAction, type Texts, type TurnHandler } from "../../flows/index.ts";
import type { EventData, EventValue, MerchantEvent, Store } from "../../store/index.ts";

/** What the merchant chat reads, in English and French (the bot's default locale; English otherwise). */
interface ChatTexts {
  newOrder(order: string, items: string, total: string, channel: string): string;
  orderStatus(order: string, status: string, by: string): string;
  orderCancelled(order: string, by: string, reason: string | undefined): string;
  orderRefunded(order: string, amount: string): string;
  newBooking(booking: string, service: string, when: string, channel: string): string;
  bookingCancelled(booking: string, by: string, refund: string | undefined): string;
  bookingRescheduled(booking: string, when: string): string;
  handoff(customer: string, channel: string): string;
  status(status: string): string;
  buttons: { preparing: string; ready: string; cancelOrder: string; cancelBooking: string; noShow: string };
  answers: { done: string; alreadyDone: string; notAllowed: string; unknown: string; failed: string; notFound(what: string): string; cannot(what: string, status: string): string };
  order(id: string): string;
  booking(id: string): string;
}

const EN: ChatTexts = {
  newOrder: (order, items, total, channel) => `New order #${order} — ${items} — ${total} (${channel})`,
  orderStatus: (order, status, by) => `Order #${order} is ${status} (${by}).`,
  orderCancelled: (order, by, reason) => `Order #${order} was cancelled (${by})${reason === undefined ? "" : `: ${reason}`}.`,
  orderRefunded: (order, amount) => `Refund owed for order #${order}: ${amount}.`,
  newBooking: (booking, service, when, channel) => `New booking #${booking} — ${service} — ${when} (${channel})`,
  bookingCancelled: (booking, by, refund) => `Booking #${booking} was cancelled (${by})${refund === undefined ? "" : `; ${refund} refund owed`}.`,
  bookingRescheduled: (booking, when) => `Booking #${booking} moved to ${when}.`,
  handoff: (customer, channel) => `A customer asks for a person: ${customer} (${channel}).`,
  status: (status) => statusIn(englishTexts, status),
  buttons: { preparing: "Preparing", ready: "Ready", cancelOrder: "Cancel and refund", cancelBooking: "Cancel", noShow: "No-show" },
  answers: {
    done: "Done",
    alreadyDone: "Already done",
    notAllowed: "Not allowed here",
    unknown: "Unknown button",
    failed: "Something went wrong; try again",
    notFound: (what) => `Can't: no ${what}`,
    cannot: (what, status) => `Can't: ${what} is ${status}`,
  },
  order: (id) => `order #${id}`,
  booking: (id) => `booking #${id}`,
};

/** An order's or a booking's status as the customer-facing texts name it, so both sides read alike. */
function statusIn(texts: Texts, status: string): string {
  const order = ORDER_STATUSES.find((s) => s === status);
  if (order !== undefined) return texts.orderStatus(order);
  const booking = BOOKING_STATUSES.find((s) => s === status);
  return booking === undefined ? status : texts.bookingStatus(booking);
}

const FR: ChatTexts = {
  newOrder: (order, items, total, channel) => `Nouvelle commande n° ${order} — ${items} — ${total} (${channel})`,
  orderStatus: (order, status, by) => `Commande n° ${order} : ${status} (${by}).`,
  orderCancelled: (order, by, reason) => `Commande n° ${order} annulée (${by})${reason === undefined ? "" : ` : ${reason}`}.`,
  orderRefunded: (order, amount) => `Remboursement dû pour la commande n° ${order} : ${amount}.`,
  newBooking: (booking, service, when, channel) => `Nouvelle réservation n° ${booking} — ${service} — ${when} (${channel})`,
  bookingCancelled: (booking, by, refund) => `Réservation n° ${booking} annulée (${by})${refund === undefined ? "" : ` ; ${refund} à rembourser`}.`,
  bookingRescheduled: (booking, when) => `Réservation n° ${booking} déplacée au ${when}.`,
  handoff: (customer, channel) => `Un client demande à parler à quelqu'un : ${customer} (${channel}).`,
  status: (status) => statusIn(frenchTexts, status),
  buttons: { preparing: "En préparation", ready: "Prête", cancelOrder: "Annuler et rembourser", cancelBooking: "Annuler", noShow: "Absent" },
  answers: {
    done: "Fait",
    alreadyDone: "Déjà fait",
    notAllowed: "Pas autorisé ici",
    unknown: "Bouton inconnu",
    failed: "Erreur ; réessayez",
    notFound: (what) => `Impossible : pas de ${what}`,
    cannot: (what, status) => `Impossible : ${what} est ${status}`,
  },
  order: (id) => `commande n° ${id}`,
  booking: (id) => `réservation n° ${id}`,
};

function chatTexts(locale: string): ChatTexts {
  return locale.toLowerCase().split(/[-_]/)[0] === "fr" ? FR : EN;
}

/** The store setting holding where a bot's merchant chat has read up to: per chat, so a new chat starts fresh. */
/** How long closing waits for a send in flight before aborting it. */
const CLOSE_GRACE_MS = 5_000;

function cursorSetting(botId: string, chatId: string): string {
  return `telegram_merchant_cursor:${botId}:${chatId}`;
}

// --- Reading event data (JSON) without trusting its shape.
function field(data: EventValue | undefined, key: string): EventValue | undefined {
  return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as EventData)[key] : undefined;
}
function str(value: EventValue | undefined): string | undefined {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
}
function num(value: EventValue | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A message for the merchant chat: its HTML text and, for a card, its buttons. */
export interface MerchantMessage {
  readonly text: string;
  readonly keyboard?: InlineKeyboardButton[][];
}

/** A button's callback data, `shop:<order|booking>:<id>:<action>`; undefined when it would be over Telegram's 64 bytes. */
function shopData(kind: "order" | "booking", id: string, action: string): string | undefined {
  const data = `${SHOP_PREFIX}${kind}:${id}:${action}`;
  return Buffer.byteLength(data, "utf8") <= MAX_CALLBACK_DATA ? data : undefined;
}

function keyboard(kind: "order" | "booking", id: string, rows: ReadonlyArray<ReadonlyArray<readonly [string, string]>>): InlineKeyboardButton[][] | undefined {
  const built: InlineKeyboardButton[][] = [];
  for (const row of rows) {
    const buttons: InlineKeyboardButton[] = [];
    for (const [text, action] of row) {
      const data = shopData(kind, id, action);
      if (data === undefined) return undefined;
      buttons.push({ text, callback_data: data });
    }
    built.push(buttons);
  }
  return built;
}

/**
 * What the merchant chat is told of one event, in the bot's default locale;
 * undefined for an event it cannot read (logged by the caller and skipped).
 */
export function merchantMessage(event: MerchantEvent, bot: LoadedBot): MerchantMessage | undefined {
  const t = chatTexts(bot.locale);
  const money = (amount: number | undefined, currency: string | undefined) => (amount === undefined || currency === undefined ? undefined : formatMoney({ amount, currency }, bot.locale));
  const by = str(event.data.by) ?? "?";
  const order = event.data.order;
  const orderId = str(field(order, "id"));
  const booking = event.data.booking;
  const bookingId = str(field(booking, "id"));
  const when = (iso: string | undefined) => {
    if (iso === undefined) return "?";
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    const timeZone = bot.calendar?.timeZone ?? "UTC";
    return new Intl.DateTimeFormat(bot.locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
  };
  const line = (text: string): MerchantMessage => ({ text: escapeHtml(text) });

  switch (event.type) {
    case "order.paid": {
      if (orderId === undefined) return undefined;
      const items = field(order, "items");
      const lines = Array.isArray(items) ? items.map((item: EventValue) => `${num(field(item, "quantity")) ?? "?"} × ${str(field(item, "name")) ?? "?"}`) : [];
      const total = money(num(field(order, "total")), str(field(order, "currency"))) ?? "?";
      const text = escapeHtml(t.newOrder(orderId, lines.join(", "), total, str(field(order, "channel")) ?? "?"));
      const buttons = keyboard("order", orderId, [
        [
          [t.buttons.preparing, "preparing"],
          [t.buttons.ready, "ready"],
        ],
        [[t.buttons.cancelOrder, "cancel"]],
      ]);
      return buttons === undefined ? { text } : { text, keyboard: buttons };
    }
    case "order.status":
      return orderId === undefined ? undefined : line(t.orderStatus(orderId, t.status(str(field(order, "status")) ?? "?"), by));
    case "order.cancelled":
      return orderId === undefined ? undefined : line(t.orderCancelled(orderId, by, str(event.data.reason)));
    case "order.refunded":
      return orderId === undefined ? undefined : line(t.orderRefunded(orderId, money(num(event.data.refund), str(field(order, "currency"))) ?? "?"));
    case "booking.confirmed": {
      if (bookingId === undefined) return undefined;
      const serviceId = str(field(booking, "service"));
      const service = bot.calendar?.services.find((s) => s.id === serviceId)?.name ?? serviceId ?? "?";
      const text = escapeHtml(t.newBooking(bookingId, service, when(str(field(booking, "start"))), str(field(booking, "channel")) ?? "?"));
      const buttons = keyboard("booking", bookingId, [
        [
          [t.buttons.cancelBooking, "cancel"],
          [t.buttons.noShow, "no_show"],
        ],
      ]);
      return buttons === undefined ? { text } : { text, keyboard: buttons };
    }
    case "booking.cancelled": {
      if (bookingId === undefined) return undefined;
      const refund = num(event.data.refund);
      return line(t.bookingCancelled(bookingId, by, refund !== undefined && refund > 0 ? money(refund, str(field(booking, "currency"))) : undefined));
    }
    case "booking.rescheduled":
      return bookingId === undefined ? undefined : line(t.bookingRescheduled(bookingId, when(str(field(booking, "start")))));
    case "handoff.requested":
      return line(t.handoff(str(event.data.customer) ?? "?", str(event.data.channel) ?? "?"));
  }
}

/** A merchant button's meaning: an order's or a booking's id and what to do to it. */
export type ShopPress = { readonly kind: "order"; readonly id: string; readonly action: "preparing" | "ready" | "cancel" } | { readonly kind: "booking"; readonly id: string; readonly action: "cancel" | "no_show" };

const PRESS = /^shop:(order|booking):([^:]{1,40}):(preparing|ready|cancel|no_show)$/;

/** Reads `shop:<order|booking>:<id>:<action>`; undefined for anything else. */
export function parseShopData(data: string): ShopPress | undefined {
  const match = PRESS.exec(data);
  if (!match) return undefined;
  const [, kind, id = "", action] = match;
  if (kind === "order" && (action === "preparing" || action === "ready" || action === "cancel")) return { kind, id, action };
  if (kind === "booking" && (action === "cancel" || action === "no_show")) return { kind, id, action };
  return undefined;
}

function actionOf(press: ShopPress, by: string): MerchantAction {
  if (press.kind === "booking") return press.action === "cancel" ? { type: "booking.cancel", bookingId: press.id, by } : { type: "booking.no_show", bookingId: press.id, by };
  return press.action === "cancel" ? { type: "order.cancel", orderId: press.id, by } : { type: "order.status", orderId: press.id, to: press.action, by };
}

/**
 * A press of a merchant button (`shop:…`): runs the shop's action when it
 * comes from the bot's merchant chat, by `telegram:<user id>`, once per
 * callback query; returns the answer to show the presser. Anything pressed
 * elsewhere is not allowed and changes nothing; an action that no longer
 * applies is answered with why and not applied.
 */
export async function answerShopPress(options: {
  readonly bot: LoadedBot;
  readonly merchantChat: string | undefined;
  readonly press: { readonly chatId?: string; readonly userId: string; readonly callbackQueryId: string; readonly data: string };
  readonly turns: TurnHandler;
  readonly store: Store;
}): Promise<{ readonly answer: string; readonly applied: boolean }> {
  const { bot, merchantChat, press, turns, store } = options;
  const t = chatTexts(bot.locale);
  if (merchantChat === undefined || press.chatId !== merchantChat) return { answer: t.answers.notAllowed, applied: false };
  const shop = parseShopData(press.data);
  if (!shop) return { answer: t.answers.unknown, applied: false };
  const outcome = await runShopAction(turns, store, bot.id, actionOf(shop, `telegram:${press.userId}`), `tg-callback:${press.callbackQueryId}`);
  const what = shop.kind === "order" ? t.order(shop.id) : t.booking(shop.id);
  switch (outcome) {
    case "done":
      return { answer: t.answers.done, applied: true };
    case "duplicate":
      return { answer: t.answers.alreadyDone, applied: false };
    case "not_found":
      return { answer: t.answers.notFound(what), applied: false };
    case "failed":
      return { answer: t.answers.failed, applied: false };
    case "refused": {
      const row = await store.transaction((tx): Promise<{ readonly status: string } | undefined> => (shop.kind === "order" ? tx.getOrder(shop.id) : tx.getBooking(shop.id)));
      const status = row?.status ?? "?";
      // The same button pressed again (a second tap, another member): what it asks is what is.
      const already = shop.kind === "order" ? status === shop.action || (shop.action === "cancel" && status === "refunded") : status === (shop.action === "cancel" ? "cancelled" : "no_show");
      return { answer: already ? t.answers.alreadyDone : t.answers.cannot(what, t.status(status)), applied: false };
    }
  }
}

export interface MerchantChatOptions {
  readonly sender: TelegramSender;
  readonly store: Store;
  readonly bots: readonly LoadedBot[];
  /** Bot id → its merchant chat's Telegram chat id. */
  readonly chats: ReadonlyMap<string, string>;
  readonly log: FastifyBaseLogger;
  /** How often merchant events are read. Default 1000 ms. */
  readonly intervalMs?: number;
}

/**
 * Tells each bot's merchant chat of its merchant events, in order, polling
 * the store. Where a chat has read up to is kept in the store (per bot and
 * chat), so a restart resumes and sends nothing twice except the one event
 * in flight when it stopped; a chat configured for the first time starts at
 * the newest event, not with history. A send Telegram may accept later (429,
 * 5xx, network) is tried again on the next poll; one it refuses (the bot was
 * removed from the group) is logged and skipped.
 */
export class MerchantChatNotifier {
  readonly #o: MerchantChatOptions;
  readonly #bots: ReadonlyMap<string, LoadedBot>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;
  readonly #abort = new AbortController();

  constructor(options: MerchantChatOptions) {
    this.#o = options;
    this.#bots = new Map(options.bots.map((b) => [b.id, b] as const));
  }

  /** Starts polling; idempotent. */
  start(): void {
    if (this.#closed || this.#timer !== undefined || this.#o.chats.size === 0) return;
    const tick = () => {
      this.#running = this.pollOnce()
        .catch((error: unknown) => this.#o.log.warn({ err: error }, "telegram: merchant chat: reading merchant events failed; trying again"))
        .finally(() => {
          this.#running = undefined;
          if (!this.#closed) this.#timer = setTimeout(tick, this.#o.intervalMs ?? 1000);
        });
    };
    this.#timer = setTimeout(tick, 0);
  }

  /** Sends every event not sent yet, bot by bot. */
  async pollOnce(): Promise<void> {
    for (const [botId, chatId] of this.#o.chats) {
      if (this.#closed) return;
      const bot = this.#bots.get(botId);
      if (bot) await this.#pollBot(bot, chatId);
    }
  }

  async #pollBot(bot: LoadedBot, chatId: string): Promise<void> {
    const { store, sender, log } = this.#o;
    const name = cursorSetting(bot.id, chatId);
    let cursor = await store.setting(name);
    if (cursor === undefined) {
      cursor = await this.#newest(bot.id);
      await store.saveSetting(name, cursor);
      log.info(`telegram: merchant chat of bot ${bot.id} starts after ${cursor === "" ? "no event" : cursor}`);
    }
    for (;;) {
      const events = await store.listEvents({ botId: bot.id, ...(cursor === "" ? {} : { after: cursor }), limit: 100 });
      for (const event of events) {
        if (this.#closed) return;
        const message = merchantMessage(event, bot);
        if (message === undefined) log.warn(`telegram: merchant chat of bot ${bot.id}: event ${event.id} (${event.type}) could not be read; skipped`);
        else {
          try {
            const markup = message.keyboard === undefined ? {} : { reply_markup: { inline_keyboard: message.keyboard } };
            await sender.api(bot.id).sendMessage(chatId, message.text, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...markup }, grammySignal(this.#abort.signal));
          } catch (error) {
            const failure = toSendError(error, `sendMessage to merchant chat ${chatId} (bot ${bot.id})`);
            if (failure instanceof ChannelSendError && failure.code === "rejected") {
              log.error({ err: failure }, `telegram: merchant chat of bot ${bot.id}: Telegram refused event ${event.id}; skipped (is the bot still in chat ${chatId}?)`);
            } else throw failure;
          }
        }
        cursor = event.id;
        await store.saveSetting(name, cursor);
      }
      if (events.length < 100) return;
    }
  }

  /** The newest event of a bot, or "" when it has none. */
  async #newest(botId: string): Promise<string> {
    let newest = "";
    for (;;) {
      const page = await this.#o.store.listEvents({ botId, ...(newest === "" ? {} : { after: newest }), limit: 1000 });
      newest = page.at(-1)?.id ?? newest;
      if (page.length < 1000) return newest;
    }
  }

  /**
   * Stops polling and lets a send in flight finish and be recorded, so the
   * next start does not send it again; one still running after
   * `CLOSE_GRACE_MS` is aborted (and may then be sent twice). Safe twice.
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const running = this.#running;
    if (running !== undefined) {
      let grace: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([running.catch(() => undefined), new Promise((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS)))]);
      clearTimeout(grace);
    }
    this.#abort.abort();
    await this.#running;
  }
}
