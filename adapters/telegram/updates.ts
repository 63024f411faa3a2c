import { z } from "zod";

/**
 * What one Bot API `Update` means to Kiosk. Private chats only: the customer
 * is the chat (whose id equals the user's id there). Everything else is
 * `ignored` and acknowledged, with the callback query to answer if any.
 */
export type TelegramUpdate =
  | { readonly kind: "text"; readonly updateId: number; readonly chatId: string; readonly locale?: string; readonly text: string }
  | { readonly kind: "press"; readonly updateId: number; readonly chatId: string; readonly locale?: string; readonly callbackQueryId: string; readonly data: string }
  | { readonly kind: "payment"; readonly updateId: number; readonly chatId: string; readonly locale?: string; readonly payment: SuccessfulPayment }
  | {
      readonly kind: "pre_checkout";
      readonly updateId: number;
      readonly queryId: string;
      readonly userId: string;
      readonly locale?: string;
      readonly payload: string;
      readonly amount: number;
      readonly currency: string;
    }
  | { readonly kind: "ignored"; readonly updateId: number; readonly reason: string; readonly callbackQueryId?: string };

export interface SuccessfulPayment {
  readonly chargeId: string;
  readonly providerChargeId?: string;
  readonly payload: string;
  readonly amount: number;
  readonly currency: string;
}

/** A body that is not a Bot API update (or a known update type with broken fields). */
export class MalformedUpdateError extends Error {
  override readonly name = "MalformedUpdateError";
  readonly code = "malformed_update";
}

// Only the fields Kiosk reads are checked; Telegram adds fields over time.
const user = z.looseObject({ id: z.number().int(), is_bot: z.boolean().optional(), language_code: z.string().optional() });
const chat = z.looseObject({ id: z.number().int(), type: z.string() });
const successfulPayment = z.looseObject({
  currency: z.string(),
  total_amount: z.number().int(),
  invoice_payload: z.string(),
  telegram_payment_charge_id: z.string().min(1),
  provider_payment_charge_id: z.string().optional(),
});
const message = z.looseObject({
  message_id: z.number().int(),
  chat,
  from: user.optional(),
  text: z.string().optional(),
  successful_payment: successfulPayment.optional(),
});
const callbackQuery = z.looseObject({
  id: z.string(),
  from: user,
  message: z.looseObject({ chat }).optional(),
  data: z.string().optional(),
});
const preCheckoutQuery = z.looseObject({
  id: z.string(),
  from: user,
  currency: z.string(),
  total_amount: z.number().int(),
  invoice_payload: z.string(),
});
const update = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: message.optional(),
  callback_query: callbackQuery.optional(),
  pre_checkout_query: preCheckoutQuery.optional(),
});

/** "/start@cafe_bot hello" → "/start hello": a command addressed to this bot by name. */
function withoutBotName(text: string): string {
  return text.replace(/^(\/[A-Za-z0-9_]+)@[A-Za-z0-9_]+/, "$1");
}

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
  if (u.message) {
    const m = u.message;
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
        },
      };
    }
    if (m.text !== undefined) return { kind: "text", updateId, chatId, ...localeOf(m.from), text: withoutBotName(m.text) };
    return { kind: "ignored", updateId, reason: "a message without text" };
  }
  if (u.callback_query) {
    const q = u.callback_query;
    const chatType = q.message?.chat.type ?? "private";
    if (chatType !== "private") return { kind: "ignored", updateId, reason: `button in a ${chatType} chat`, callbackQueryId: q.id };
    if (q.data === undefined) return { kind: "ignored", updateId, reason: "a button without callback data", callbackQueryId: q.id };
    return { kind: "press", updateId, chatId: String(q.message?.chat.id ?? q.from.id), ...localeOf(q.from), callbackQueryId: q.id, data: q.data };
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
    };
  }
  const type = Object.keys(u).find((k) => k !== "update_id") ?? "empty";
  return { kind: "ignored", updateId, reason: `update type '${type}' is not handled` };
}
