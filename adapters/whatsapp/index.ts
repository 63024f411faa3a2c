export { WhatsAppSender, WHATSAPP_CHANNEL } from "./sender.ts";
export type { WhatsAppSenderOptions, WhatsAppNumber, WhatsAppTemplateRef } from "./sender.ts";
export { readWebhook, toMinorUnits, MalformedWebhookError } from "./events.ts";
export type { WhatsAppEvent, WhatsAppInput, WhatsAppOrderItem } from "./events.ts";
export { renderWhatsApp, templateMessage, templateParameter, LIMITS } from "./render.ts";
export type { WhatsAppMessage, Interactive, Row, RenderOptions } from "./render.ts";
export { whatsappSettings, whatsappVariable } from "./config.ts";
export type { WhatsAppBots, WhatsAppBotConfig, WhatsAppConfig, WhatsAppTemplate } from "./config.ts";
