import type { Channel } from "../channel.ts";
import { resolveMetaConfig, type MetaConfig } from "../graph/config.ts";
import { createWhatsApp, registerWhatsAppWebhook } from "./webhook.ts";

/**
 * WhatsApp (Cloud API) for the bots with a phone number ID and token
 * (KIOSK_WHATSAPP_<BOT>_PHONE_NUMBER_ID and _TOKEN, with
 * KIOSK_META_APP_SECRET and KIOSK_META_VERIFY_TOKEN): the signed webhook
 * /whatsapp/:bot/webhook, delivery statuses, catalog orders, templates
 * outside the 24-hour window; invoices open the hosted checkout.
 */
export const whatsappChannel: Channel<MetaConfig> = {
  name: "whatsapp",
  fileKeys: ["meta"],
  settings: ({ env, file, fileName, problems }) => resolveMetaConfig({ env, problems, file: file.meta, fileName }),
  isReal: (settings) => Object.values(settings.whatsapp).some((w) => w.token !== undefined),
  open(settings, context) {
    if (!whatsappChannel.isReal(settings)) return {};
    const { bots, store, clock } = context;
    const whatsapp = createWhatsApp({ config: settings, bots, store, clock, checkout: context.paymentLinks });
    return {
      senders: [whatsapp.sender],
      routes: (app, turns) => registerWhatsAppWebhook(app, { whatsapp, runtime: turns, store, clock, bots }),
    };
  },
};
