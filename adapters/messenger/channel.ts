import type { Channel } from "../channel.ts";
import { resolveMetaConfig, type MetaConfig } from "../graph/config.ts";
import { createMessenger, registerMessengerWebhook } from "./webhook.ts";

/**
 * Messenger (Graph API Send API) for the bots with a Page token
 * (KIOSK_MESSENGER_<BOT>_PAGE_TOKEN, with KIOSK_META_APP_SECRET and
 * KIOSK_META_VERIFY_TOKEN): the signed webhook /messenger/:bot/webhook and
 * sends inside the 24-hour window; invoices open the hosted checkout.
 */
export const messengerChannel: Channel<MetaConfig> = {
  name: "messenger",
  fileKeys: ["meta"],
  settings: ({ env, file, fileName, problems }) => resolveMetaConfig({ env, problems, file: file.meta, fileName }),
  isReal: (settings) => Object.keys(settings.messenger).length > 0,
  open(settings, context) {
    if (!messengerChannel.isReal(settings)) return {};
    const { bots, store, clock } = context;
    const messenger = createMessenger({ config: settings, bots, store, clock, checkout: context.paymentLinks });
    return {
      senders: [messenger.sender],
      routes: (app, turns) => registerMessengerWebhook(app, { messenger, runtime: turns, store, clock, bots }),
    };
  },
};
