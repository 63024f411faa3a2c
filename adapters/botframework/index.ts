export { BotFrameworkSender, BOTFRAMEWORK_CHANNEL, createCloudAdapter, toSendError } from "./sender.ts";
export type { BotFrameworkCredentials, BotFrameworkSenderOptions } from "./sender.ts";
export { readActivity, payloadOf, customerId, MalformedActivityError } from "./activities.ts";
export type { BotFrameworkActivity, ActivityInput } from "./activities.ts";
export { renderActivity, buttonAction, formatMoney } from "./render.ts";
export type { PaymentLink } from "./render.ts";
