import type { Channel } from "../channel.ts";
import { resolveTelegramConfig, type TelegramConfig } from "./config.ts";
import { telegramRefunder } from "./refunds.ts";
import { MerchantChatNotifier } from "./merchant-chat.ts";
import { setTelegramWebhooks } from "./setup.ts";
import { createTelegram, registerTelegramWebhook, startTelegramPolling } from "./webhook.ts";

/**
 * Telegram (grammY's Bot API client) for the bots with a token
 * (KIOSK_TELEGRAM_<BOT>_TOKEN or `telegram.tokens` in kiosk.config.ts):
 * updates by webhook (KIOSK_TELEGRAM_SECRET, KIOSK_TELEGRAM_MODE=webhook;
 * setWebhook is called at start when KIOSK_PUBLIC_URL is https) or by
 * polling getUpdates; sends paced per bot and per chat; native invoices
 * and their refunds (Stars and provider payments); a merchant chat per bot
 * (KIOSK_MERCHANT_<BOT>=telegram:<chat id>) told of orders and bookings, with buttons.
 */
export const telegramChannel: Channel<TelegramConfig> = {
  name: "telegram",
  fileKeys: ["telegram"],
  settings: ({ env, file, fileName, problems }) => resolveTelegramConfig({ file: file.telegram, fileName, env, problems }),
  isReal: (settings) => Object.keys(settings.tokens).length > 0,
  open(settings, context) {
    const { bots, store, clock, log } = context;
    if (Object.keys(settings.tokens).length === 0) return {};
    const telegram = createTelegram({ config: settings, bots, store, onWarning: (message) => log.warn(message) });
    let polling: { close(): Promise<void> } | undefined;
    const merchantChat = new MerchantChatNotifier({ sender: telegram.sender, store, bots, chats: telegram.merchantChats, log });
    return {
      senders: [telegram.sender],
      refunders: [telegramRefunder(telegram.sender)],
      routes(app, turns) {
        if (telegram.mode === "webhook") registerTelegramWebhook(app, { telegram, runtime: turns, store, clock, bots });
      },
      async start(turns) {
        await setTelegramWebhooks({ telegram, publicUrl: context.publicUrl, log });
        merchantChat.start();
        if (telegram.mode !== "polling") return;
        log.info("telegram: polling getUpdates (no webhook configured: set KIOSK_TELEGRAM_SECRET and KIOSK_TELEGRAM_MODE=webhook to use one)");
        polling = startTelegramPolling({ telegram, runtime: turns, store, clock, bots, log });
      },
      close: async () => {
        await polling?.close();
        await merchantChat.close();
      },
    };
  },
};
