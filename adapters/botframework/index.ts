/**
 * The Bot Framework channel. `activities.ts` and `render.ts` are plain
 * functions; `sender.ts` loads botbuilder (about a second to import), so the
 * server imports it only when the channel is first used.
 */
export { BotFrameworkSender, createCloudAdapter, toSendError } from "./sender.ts";
export type { BotFrameworkCredentials, BotFrameworkSenderOptions } from "./sender.ts";
export { readActivity, payloadOf, customerId, MalformedActivityError, BOTFRAMEWORK_CHANNEL } from "./activities.ts";
export type { BotFrameworkActivity, ActivityInput } from "./activities.ts";
export { renderActivity, buttonAction, suggestedAction, formatMoney } from "./render.ts";
export type { PaymentLink, RenderOptions } from "./render.ts";
