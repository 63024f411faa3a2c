export { MessengerSender, MESSENGER_CHANNEL, MESSAGE_TAGS } from "./sender.ts";
export type { MessengerSenderOptions, Delivery } from "./sender.ts";
export { readBatch, MalformedBatchError, GET_STARTED_PAYLOADS } from "./events.ts";
export type { MessengerEvent, MessengerInput } from "./events.ts";
export { renderMessenger, LIMITS } from "./render.ts";
export type { MessengerMessage, QuickReply, TemplateButton, TemplatePayload, GenericElement, RenderOptions } from "./render.ts";
export { messengerSettings, pageTokenVariable } from "./config.ts";
export type { MessengerBots, MessengerConfig } from "./config.ts";
