import { z } from "zod";
import type { ShippingAddress } from "../../commerce/index.ts";
import { describeOverLimit, type OverLimit } from "../limits.ts";
import { updateOverLimit } from "./limits.ts";

/**
 * What one Bot API `Update` means to Kiosk. Private chats only: the customer
 * is the chat (whose id equals the user's id there). Everything else is
 * `ignored` and acknowledged, with the callback query to answer if any.
 */
export type TelegramUpdate =
  | { readonly kind: "text"; readonly updateId: number; readonly chatId: string; readonly locale?: string; readonly text: string }
  | {
      readonly kind: "press";
      readonly updateId: number;
      readonly chatId: string;
      readonly locale?: string;
      readonly callbackQueryId: string;
      readonly data: string;
      /** The message whose button was pressed; absent when Telegram no longer has it (older than 48 hours) or did not say. */
      readonly message?: PressedMessage;
    }
  | { readonly kind: "payment"; readonly updateId: number; readonly chatId: string; readonly locale?: string; readonly payment: SuccessfulPayment }
  /**
   * A merchant chat's button (callback data `shop:…`), in whatever chat it
   * was pressed: never a customer's turn. `chatId` is the chat of the
   * message it sits on (undefined when Telegram did not say), `userId` who pressed.
   */
  | { readonly kind: "shop"; readonly updateId: number; readonly chatId?: string; readonly userId: string; readonly callbackQueryId: string; readonly data: string }
  /** A contact card sent in the chat; `own` when it is the sender's own (its `user_id` is theirs), as the share button sends it. */
  | { readonly kind: "contact"; readonly updateId: number; readonly chatId: string; readonly locale?: string; readonly phone: string; readonly own: boolean }
  | { readonly kind: "location"; readonly updateId: number; readonly chatId: string; readonly locale?: string; readonly latitude: number; readonly longitude: number }
  /** A photo, voice note, sticker, document… (`media` names the Message field): Kiosk reads none, and says so. */
  | { readonly kind: "media"; readonly updateId: number; readonly chatId: string; readonly locale?: string; readonly media: MediaField }
  | {
      readonly kind: "pre_checkout";
      readonly updateId: number;
      readonly queryId: string;
      readonly userId: string;
      readonly locale?: string;
      readonly payload: string;
      readonly amount: number;
      readonly currency: string;
      /** For an invoice that asked for shipping: the option chosen and where to. */
      readonly shipping?: ShippingChoice;
    }
  /** Telegram asks which shipping options go to an address, for an invoice of goods that ship. */
  | { readonly kind: "shipping"; readonly updateId: number; readonly queryId: string; readonly userId: string; readonly locale?: string; readonly payload: string; readonly address: ShippingAddress }
  /**
   * The customer blocked the bot (`kicked`) or started it again (`member`) in
   * their private chat, at `date` (Telegram's clock): a later change wins.
   */
  | { readonly kind: "membership"; readonly updateId: number; readonly chatId: string; readonly blocked: boolean; readonly date: Date }
  /**
   * A text in a group or supergroup naming a bot: a command `/start@name`
   * or a mention `@name`. `addressedTo` holds those names, lowercased,
   * without the `@`; the server answers when its own bot is among them.
   */
  | { readonly kind: "group"; readonly updateId: number; readonly chatId: string; readonly messageId: number; readonly locale?: string; readonly addressedTo: readonly string[] }
  /** `overLimit` when a field is over the Bot API's own bounds (see limits.ts): acknowledged, logged as a warning, not run. */
  | { readonly kind: "ignored"; readonly updateId: number; readonly reason: string; readonly callbackQueryId?: string; readonly overLimit?: OverLimit };

/** A bot message as a callback query carries it: what is needed to edit it in place. */
export interface PressedMessage {
  readonly messageId: number;
  /** Its text, or its caption when it is a photo; absent when it has neither. */
  readonly text?: string;
  /** The formatting of `text`, as Telegram reports it (offsets in UTF-16 code units). */
  readonly entities: readonly MessageEntity[];
  readonly photo: boolean;
  /** An invoice: its Pay button is Telegram's own, and it is never edited. */
  readonly invoice: boolean;
  /** Its inline keyboard, to find the label of the button pressed. */
  readonly buttons: ReadonlyArray<{ readonly text: string; readonly callback_data?: string }>;
}

/** A formatting entity of a message text: passed back to Telegram as it came. */
export interface MessageEntity {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly [field: string]: unknown;
}

export interface SuccessfulPayment {
  readonly chargeId: string;
  readonly providerChargeId?: string;
  readonly payload: string;
  readonly amount: number;
  readonly currency: string;
  readonly shipping?: ShippingChoice;
}

/** The shipping option a customer chose in Telegram's payment form, the address, and the recipient's name if asked. */
export interface ShippingChoice {
  readonly optionId: string;
  readonly address: ShippingAddress;
  readonly name?: string;
}

/**
 * The Message fields of content a customer sends that Kiosk cannot read. A
 * message with none of these and no text, contact or location is a service
 * message (a pin, a shared chat…), which is ignored, not answered.
 */
const MEDIA_FIELDS = ["photo", "video", "animation", "audio", "voice", "video_note", "document", "sticker", "story", "paid_media", "dice", "poll", "game"] as const;
export type MediaField = (typeof MEDIA_FIELDS)[number];

/** A body that is not a Bot API update (or a known update type with broken fields). */
export class MalformedUpdateError extends Error {
  override readonly name = "MalformedUpdateError";
  readonly code = "malformed_update";
}

// Only the fields Kiosk reads are checked; Telegram adds fields over time.
const user = z.looseObject({ id: z.number().int(), is_bot: z.boolean().optional(), language_code: z.string().optional() });
const chat = z.looseObject({ id: z.number().int(), type: z.string() });
const shippingAddress = z.looseObject({
  country_code: z.string().regex(/^[A-Za-z]{2}$/),
  state: z.string().max(256),
  city: z.string().max(256),
  street_line1: z.string().max(256),
  street_line2: z.string().max(256),
  post_code: z.string().max(64),
});
const orderInfo = z.looseObject({ name: z.string().max(256).optional(), shipping_address: shippingAddress.optional() });
// Invoice payloads are 1–128 bytes (sendInvoice); currencies three-letter codes.
const currency = z.string().regex(/^[A-Z]{3}$/, { error: "a three-letter currency code" });
const invoicePayload = z.string().max(128);
const successfulPayment = z.looseObject({
  currency,
  total_amount: z.number().int(),
  invoice_payload: invoicePayload,
  shipping_option_id: z.string().optional(),
  order_info: orderInfo.optional(),
  telegram_payment_charge_id: z.string().min(1),
  provider_payment_charge_id: z.string().optional(),
});
const entity = z.looseObject({ type: z.string(), offset: z.number().int().nonnegative(), length: z.number().int().nonnegative() });
const contact = z.looseObject({ phone_number: z.string().max(64), user_id: z.number().int().optional() });
const location = z.looseObject({ latitude: z.number(), longitude: z.number() });
const message = z.looseObject({
  message_id: z.number().int(),
  chat,
  from: user.optional(),
  text: z.string().optional(),
  entities: z.array(entity).optional(),
  successful_payment: successfulPayment.optional(),
  contact: contact.optional(),
  location: location.optional(),
});
const inlineKeyboard = z.looseObject({ inline_keyboard: z.array(z.array(z.looseObject({ text: z.string(), callback_data: z.string().optional() }))) });
const callbackQuery = z.looseObject({
  id: z.string(),
  from: user,
  message: z
    .looseObject({
      chat,
      message_id: z.number().int().optional(),
      // An inaccessible message (older than 48 hours) has date 0 and nothing else.
      date: z.number().int().optional(),
      text: z.string().optional(),
      entities: z.array(entity).optional(),
      caption: z.string().optional(),
      caption_entities: z.array(entity).optional(),
      photo: z.array(z.unknown()).optional(),
      invoice: z.unknown().optional(),
      reply_markup: inlineKeyboard.optional(),
    })
    .optional(),
  data: z.string().optional(),
});
const preCheckoutQuery = z.looseObject({
  id: z.string(),
  from: user,
  currency,
  total_amount: z.number().int(),
  invoice_payload: invoicePayload,
  shipping_option_id: z.string().optional(),
  order_info: orderInfo.optional(),
});
const shippingQuery = z.looseObject({
  id: z.string(),
  from: user,
  invoice_payload: invoicePayload,
  shipping_address: shippingAddress,
});
const chatMember = z.looseObject({
  chat,
  from: user,
  date: z.number().int().nonnegative(),
  new_chat_member: z.looseObject({ status: z.string() }),
});
const update = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: message.optional(),
  callback_query: callbackQuery.optional(),
  pre_checkout_query: preCheckoutQuery.optional(),
  shipping_query: shippingQuery.optional(),
  my_chat_member: chatMember.optional(),
});

function toAddress(a: z.infer<typeof shippingAddress>): ShippingAddress {
  return { countryCode: a.country_code.toUpperCase(), state: a.state, city: a.city, streetLine1: a.street_line1, streetLine2: a.street_line2, postCode: a.post_code };
}

/** The shipping chosen in the payment form, when the invoice asked for it (an option and an address both given). */
function shippingChoice(optionId: string | undefined, info: z.infer<typeof orderInfo> | undefined): { shipping?: ShippingChoice } {
  if (optionId === undefined || info?.shipping_address === undefined) return {};
  return { shipping: { optionId, address: toAddress(info.shipping_address), ...(info.name === undefined ? {} : { name: info.name }) } };
}

/**
 * "/start@cafe_bot" → "/start": a command addressed to this bot by name. A
 * deep link's start parameter stays ("/start table_12"): the engine keeps it
 * in the slot `start_param`.
 */
function withoutBotName(text: string): string {
  return text.replace(/^(\/[A-Za-z0-9_]+)@[A-Za-z0-9_]+/, "$1");
}

/** The bot names a group message addresses: a leading command's `@name`, and every `@name` mention entity. */
function namesAddressed(text: string, entities: ReadonlyArray<{ type: string; offset: number; length: number }>): string[] {
  const names = new Set<string>();
  const command = /^\/[A-Za-z0-9_]+@([A-Za-z0-9_]+)/.exec(text)?.[1];
  if (command !== undefined) names.add(command.toLowerCase());
  for (const e of entities) {
    // Offsets are in UTF-16 code units, as JavaScript strings index.
    if (e.type === "mention") names.add(text.slice(e.offset + 1, e.offset + e.length).toLowerCase());
  }
  return [...names];
}

/** Callback data of a merchant chat's buttons (see merchant-chat.ts). */
export const SHOP_PREFIX = "shop:";

const localeOf = (from: { language_code?: string | undefined } | undefined) => (from?.language_code ? { locale: from.language_code } : {});

/**
 * Reads a webhook body. Throws `MalformedUpdateError` when it is not an
 * update. An `edited_message` is ignored: by the time a customer edits an
 * answer the flow has moved on, and reading the edit as a new answer would
 * answer a question they were not asked.
 */
export function readUpdate(body: unknown): TelegramUpdate {
  const parsed = update.safeParse(body);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "body"}: ${i.message}`).join("; ");
    throw new MalformedUpdateError(`not a Telegram update (${details})`);
  }
  const u = parsed.data;
  const updateId = u.update_id;
  const over = updateOverLimit(u);
  if (over) return { kind: "ignored", updateId, reason: describeOverLimit("Telegram", over), overLimit: over, ...(u.callback_query ? { callbackQueryId: u.callback_query.id } : {}) };
  if (u.message) {
    const m = u.message;
    if (m.chat.type === "group" || m.chat.type === "supergroup") {
      const addressedTo = m.text === undefined || m.from?.is_bot ? [] : namesAddressed(m.text, m.entities ?? []);
      if (addressedTo.length === 0) return { kind: "ignored", updateId, reason: `message in a ${m.chat.type} chat not addressed to a bot` };
      return { kind: "group", updateId, chatId: String(m.chat.id), messageId: m.message_id, ...localeOf(m.from), addressedTo };
    }
    if (m.chat.type !== "private") return { kind: "ignored", updateId, reason: `message in a ${m.chat.type} chat` };
    if (m.from?.is_bot) return { kind: "ignored", updateId, reason: "message from a bot" };
    const chatId = String(m.chat.id);
    if (m.successful_payment) {
      const p = m.successful_payment;
      return {
        kind: "payment",
        updateId,
        chatId,
        ...localeOf(m.from),
        payment: {
          chargeId: p.telegram_payment_charge_id,
          ...(p.provider_payment_charge_id ? { providerChargeId: p.provider_payment_charge_id } : {}),
          payload: p.invoice_payload,
          amount: p.total_amount,
          currency: p.currency,
          ...shippingChoice(p.shipping_option_id, p.order_info),
        },
      };
    }
    if (m.text !== undefined) return { kind: "text", updateId, chatId, ...localeOf(m.from), text: withoutBotName(m.text) };
    if (m.contact) {
      const own = m.contact.user_id !== undefined && m.contact.user_id === m.from?.id;
      return { kind: "contact", updateId, chatId, ...localeOf(m.from), phone: m.contact.phone_number, own };
    }
    // A venue carries its location too; a live location's later positions come as edits, which are ignored.
    if (m.location) return { kind: "location", updateId, chatId, ...localeOf(m.from), latitude: m.location.latitude, longitude: m.location.longitude };
    const media = MEDIA_FIELDS.find((field) => (m as Record<string, unknown>)[field] !== undefined);
    if (media !== undefined) return { kind: "media", updateId, chatId, ...localeOf(m.from), media };
    return { kind: "ignored", updateId, reason: "a message without text" };
  }
  if (u.callback_query) {
    const q = u.callback_query;
    if (q.data?.startsWith(SHOP_PREFIX)) {
      const chatId = q.message === undefined ? {} : { chatId: String(q.message.chat.id) };
      return { kind: "shop", updateId, ...chatId, userId: String(q.from.id), callbackQueryId: q.id, data: q.data };
    }
    const chatType = q.message?.chat.type ?? "private";
    if (chatType !== "private") return { kind: "ignored", updateId, reason: `button in a ${chatType} chat`, callbackQueryId: q.id };
    if (q.data === undefined) return { kind: "ignored", updateId, reason: "a button without callback data", callbackQueryId: q.id };
    const m = q.message;
    const pressed: PressedMessage | undefined =
      m?.message_id === undefined || m.date === 0
        ? undefined
        : {
            messageId: m.message_id,
            ...(m.text ?? m.caption ? { text: m.text ?? m.caption } : {}),
            entities: (m.text === undefined ? m.caption_entities : m.entities) ?? [],
            photo: m.photo !== undefined,
            invoice: m.invoice !== undefined,
            buttons: m.reply_markup?.inline_keyboard.flat() ?? [],
          };
    return { kind: "press", updateId, chatId: String(m?.chat.id ?? q.from.id), ...localeOf(q.from), callbackQueryId: q.id, data: q.data, ...(pressed ? { message: pressed } : {}) };
  }
  if (u.pre_checkout_query) {
    const q = u.pre_checkout_query;
    return {
      kind: "pre_checkout",
      updateId,
      queryId: q.id,
      userId: String(q.from.id),
      ...localeOf(q.from),
      payload: q.invoice_payload,
      amount: q.total_amount,
      currency: q.currency,
      ...shippingChoice(q.shipping_option_id, q.order_info),
    };
  }
  if (u.shipping_query) {
    const q = u.shipping_query;
    return { kind: "shipping", updateId, queryId: q.id, userId: String(q.from.id), ...localeOf(q.from), payload: q.invoice_payload, address: toAddress(q.shipping_address) };
  }
  if (u.my_chat_member) {
    const c = u.my_chat_member;
    const status = c.new_chat_member.status;
    if (c.chat.type === "private" && (status === "kicked" || status === "member")) {
      return { kind: "membership", updateId, chatId: String(c.chat.id), blocked: status === "kicked", date: new Date(c.date * 1000) };
    }
    return { kind: "ignored", updateId, reason: `bot's membership '${status}' in a ${c.chat.type} chat` };
  }
  const type = Object.keys(u).find((k) => k !== "update_id") ?? "empty";
  return { kind: "ignored", updateId, reason: `update type '${type}' is not handled` };
}
