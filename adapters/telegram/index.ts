export { TelegramSender, TELEGRAM_CHANNEL, BLOCKED_REASON, toSendError, envName } from "./sender.ts";
export type { TelegramSenderOptions } from "./sender.ts";
export { readUpdate, MalformedUpdateError } from "./updates.ts";
export type { TelegramUpdate, SuccessfulPayment } from "./updates.ts";
export { renderEnvelope, invoicePayload, orderOfPayload, formatMoney } from "./render.ts";
export type { PriceLine, TelegramCall, InlineButton } from "./render.ts";
export { callbackData, parseButtonRef, buttonPayload, MAX_CALLBACK_DATA } from "./callback-data.ts";
export type { ButtonRef } from "./callback-data.ts";
export { escapeHtml, splitText, MAX_TEXT } from "./html.ts";
