/**
 * Telegram's reply keyboard, used for one thing: a button that shares the
 * customer's contact or location (`OutboundMessage.request`), shown under
 * the input field until a later message removes it (`endsRequest`). Inline
 * buttons are another kind of markup, and a message carries one kind only.
 */
import type { OutboundMessage } from "../../core/message.ts";
import { escapeHtml } from "./html.ts";
import type { TelegramCall } from "./render.ts";

/** The reply markup a text message carries: a share button, or the removal of one. */
export type ReplyMarkup = { readonly share: "contact" | "location"; readonly label: string } | { readonly remove: true };

/** Shown alone when the message that must remove the share button has no text message without inline buttons. */
const DONE_MARK = "✓";

type SendMessage = Extract<TelegramCall, { method: "sendMessage" }>;

const plain = (call: TelegramCall): call is SendMessage => call.method === "sendMessage" && call.keyboard === undefined;

/**
 * Puts a message's share button on its last text message without inline
 * buttons, and the removal of an earlier one on its first; a message with
 * no such text message gets one of its own (the button's label, or ✓).
 */
export function withReplyMarkup(message: OutboundMessage, calls: TelegramCall[]): TelegramCall[] {
  const { request } = message;
  if (request) {
    const reply: ReplyMarkup = { share: request.kind, label: request.label };
    const at = calls.findLastIndex(plain);
    const target = calls[at];
    if (target?.method === "sendMessage") calls[at] = { ...target, reply };
    else calls.push({ method: "sendMessage", text: escapeHtml(request.label), reply });
    return calls;
  }
  if (message.endsRequest) {
    const reply: ReplyMarkup = { remove: true };
    const at = calls.findIndex(plain);
    const target = calls[at];
    if (target?.method === "sendMessage") calls[at] = { ...target, reply };
    else calls.unshift({ method: "sendMessage", text: DONE_MARK, reply });
  }
  return calls;
}

/**
 * The Bot API `reply_markup` of a text message: a one-time, resized
 * ReplyKeyboardMarkup with one KeyboardButton (`request_contact` or
 * `request_location`), or a ReplyKeyboardRemove.
 */
export function replyMarkupOf(reply: ReplyMarkup | undefined) {
  if (reply === undefined) return {};
  if ("remove" in reply) return { reply_markup: { remove_keyboard: true as const } };
  const button = reply.share === "contact" ? { text: reply.label, request_contact: true } : { text: reply.label, request_location: true };
  return { reply_markup: { keyboard: [[button]], one_time_keyboard: true, resize_keyboard: true } };
}
