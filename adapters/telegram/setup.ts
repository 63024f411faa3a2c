import type { FastifyBaseLogger } from "fastify";
import type { TelegramSetup } from "./webhook.ts";

/** The update types the webhook handles; Telegram then sends no others (and keeps sending these). */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "pre_checkout_query", "shipping_query", "my_chat_member"] as const;

/** Where Telegram posts a bot's updates, under the server's public URL. */
export function webhookUrl(publicUrl: string, botId: string): string {
  return `${publicUrl}/telegram/${encodeURIComponent(botId)}/webhook`;
}

/**
 * Tells Telegram where to post each bot's updates (`setWebhook` with the
 * secret token and the update types Kiosk reads), so a webhook-mode server
 * needs no manual step. Telegram only posts to https; without a public https
 * URL the log says what to do instead. A failure is logged and the server
 * keeps running: the webhook may already be set, and Telegram keeps updates
 * for 24 hours.
 */
export async function setTelegramWebhooks(options: { readonly telegram: TelegramSetup; readonly publicUrl: string | undefined; readonly log: FastifyBaseLogger }): Promise<void> {
  const { telegram, publicUrl, log } = options;
  const secret = telegram.secret;
  if (telegram.mode !== "webhook" || secret === undefined) return;
  if (publicUrl === undefined || !publicUrl.startsWith("https://")) {
    log.warn(
      `telegram: webhook mode without a public https URL (KIOSK_PUBLIC_URL${publicUrl === undefined ? " is not set" : ` is ${publicUrl}`}): ` +
        "Telegram is not told where to post updates; set KIOSK_PUBLIC_URL to the https address this server is reached at, or call setWebhook yourself",
    );
    return;
  }
  await Promise.all(
    [...telegram.bots].map(async (botId) => {
      const url = webhookUrl(publicUrl, botId);
      try {
        await telegram.sender.api(botId).setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
        log.info(`telegram: bot ${botId} webhook set to ${url}`);
      } catch (error) {
        log.error({ err: error }, `telegram: setWebhook for bot ${botId} to ${url} failed; updates arrive only once it is set`);
      }
    }),
  );
}
