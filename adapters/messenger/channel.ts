import type { Channel } from "../channel.ts";
import { graphChannel } from "../graph/channel.ts";
import { byBot } from "../graph/setup.ts";
import { messengerSettings, pageTokenVariable, type MessengerConfig } from "./config.ts";
import { MESSENGER_CHANNEL, MessengerSender } from "./sender.ts";
import { messengerWebhook } from "./webhook.ts";

/**
 * Messenger (Graph API Send API) for the bots with a Page token
 * (KIOSK_MESSENGER_<BOT>_PAGE_TOKEN, with KIOSK_META_APP_SECRET and
 * KIOSK_META_VERIFY_TOKEN): the signed webhook /messenger/:bot/webhook and
 * sends inside the 24-hour window; invoices open the hosted checkout.
 */
export const messengerChannel: Channel<MessengerConfig> = graphChannel({
  name: MESSENGER_CHANNEL,
  bots: messengerSettings,
  open(settings, { bots }, shared) {
    const pages = byBot(settings.messenger, bots, (name) => settings.messenger[name]?.from ?? `KIOSK_MESSENGER_${name}_PAGE_TOKEN`, pageTokenVariable);
    const pageTokens = new Map([...pages].map(([bot, page]) => [bot, page.token] as const));
    return { sender: new MessengerSender({ ...shared, pageTokens }), webhook: messengerWebhook(pageTokens) };
  },
});
