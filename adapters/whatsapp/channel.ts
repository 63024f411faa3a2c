import type { Channel } from "../channel.ts";
import { graphChannel } from "../graph/channel.ts";
import { byBot } from "../graph/setup.ts";
import { whatsappSettings, whatsappVariable, type WhatsAppConfig } from "./config.ts";
import { WHATSAPP_CHANNEL, WhatsAppSender, type WhatsAppNumber } from "./sender.ts";
import { whatsappWebhook } from "./webhook.ts";

/**
 * WhatsApp (Cloud API) for the bots with a phone number ID and token
 * (KIOSK_WHATSAPP_<BOT>_PHONE_NUMBER_ID and _TOKEN, with
 * KIOSK_META_APP_SECRET and KIOSK_META_VERIFY_TOKEN): the signed webhook
 * /whatsapp/:bot/webhook, delivery statuses, catalog orders, templates
 * outside the 24-hour window; invoices open the hosted checkout.
 */
export const whatsappChannel: Channel<WhatsAppConfig> = graphChannel({
  name: WHATSAPP_CHANNEL,
  bots: whatsappSettings,
  open(settings, { bots, store, clock }, shared) {
    const configured = byBot(settings.whatsapp, bots, (name) => `KIOSK_WHATSAPP_${name}_PHONE_NUMBER_ID`, (id) => whatsappVariable(id, "PHONE_NUMBER_ID"));
    const numbers = new Map<string, WhatsAppNumber>();
    for (const [botId, c] of configured) {
      if (c.phoneNumberId === undefined || c.token === undefined) continue;
      numbers.set(botId, {
        phoneNumberId: c.phoneNumberId,
        token: c.token,
        ...(c.reminderTemplate ? { reminderTemplate: c.reminderTemplate } : {}),
        ...(c.orderTemplate ? { orderTemplate: c.orderTemplate } : {}),
        ...(c.catalogId === undefined ? {} : { catalogId: c.catalogId }),
      });
    }
    const sender = new WhatsAppSender({
      ...shared,
      numbers,
      onAccepted: (envelope, platformId) => store.savePlatformMessage({ channel: WHATSAPP_CHANNEL, platformId, outboxId: envelope.id, at: clock.now() }),
    });
    return { sender, webhook: whatsappWebhook(numbers, store, clock) };
  },
});
