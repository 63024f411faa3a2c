/**
 * WhatsApp's side of the Graph webhook (`/whatsapp/:bot/webhook`, see
 * graph/webhook.ts): changes for another phone number than the bot's are
 * ignored; each message is its own turn, deduplicated by its wamid; an
 * `order` puts its items (re-priced from the bot's catalog) in the cart; a
 * status is recorded against the outbox message it is about (a failure,
 * e.g. 131047 outside the window, as its last error).
 */
import type { FastifyBaseLogger } from "fastify";
import { maskMessageIds, maskPhone } from "../../core/index.ts";
import { MalformedWebhookError, readWebhook, type WhatsAppEvent } from "./events.ts";
import { WHATSAPP_CHANNEL, type WhatsAppNumber } from "./sender.ts";
import type { CatalogOrderItem, LoadedBot } from "../../flows/index.ts";
import type { Clock } from "../../jobs/index.ts";
import type { Store } from "../../store/index.ts";
import type { GraphWebhook } from "../graph/webhook.ts";

/** A change that is not ignored: a message, an order or a status. */
type WhatsAppChange = Exclude<WhatsAppEvent, { readonly kind: "ignored" }>;

/**
 * A catalog order's items as the engine takes them: product and quantity
 * only. Each line's price is checked against the bot's catalog and any
 * difference logged; the cart is priced from the catalog whatever it said.
 */
function orderItems(bot: LoadedBot, event: Extract<WhatsAppEvent, { kind: "order" }>, log: FastifyBaseLogger): CatalogOrderItem[] {
  const catalog = bot.catalog;
  const items: CatalogOrderItem[] = [];
  for (const item of event.items) {
    const product = catalog?.findProduct(item.productRetailerId);
    if (!catalog || !product) {
      log.warn(`whatsapp: bot ${bot.id}: order ${maskMessageIds(event.id)} names product '${item.productRetailerId}', which is not in the catalog; left out`);
      continue;
    }
    let unit: number | undefined;
    try {
      unit = catalog.unitPrice(product.id, {});
    } catch {
      unit = undefined;
    }
    if (unit !== item.itemPrice || item.currency !== catalog.currency) {
      log.warn(
        `whatsapp: bot ${bot.id}: order ${maskMessageIds(event.id)}: '${product.id}' came at ${String(item.itemPrice)} ${item.currency} (minor units), the catalog says ${String(unit)} ${catalog.currency}; re-priced from the catalog`,
      );
    }
    items.push({ productId: product.id, quantity: item.quantity });
  }
  return items;
}

/** The webhook of the bots with a number (bot id → its number); statuses are recorded in `store`. */
export function whatsappWebhook(numbers: ReadonlyMap<string, WhatsAppNumber>, store: Store, clock: Clock): GraphWebhook<WhatsAppNumber, WhatsAppChange> {
  return {
    platform: "WhatsApp",
    accounts: numbers,
    unit: "a message",
    read: readWebhook,
    malformed: MalformedWebhookError,
    async turn(event, { bot, account: number, log }) {
      if (event.phoneNumberId !== number.phoneNumberId) {
        log.warn(`whatsapp: bot ${bot.id}: a ${event.kind} for phone number ID ${event.phoneNumberId}, not the bot's ${number.phoneNumberId}; ignored`);
        return undefined;
      }
      if (event.kind === "status") {
        const error = event.errors.map((e) => `WhatsApp ${event.status}: ${e.code === undefined ? "" : `#${e.code} `}${e.title}${e.details === undefined ? "" : ` (${e.details})`}`).join("; ");
        const outboxId = await store.recordDeliveryStatus({ channel: WHATSAPP_CHANNEL, platformId: event.id, status: event.status, error: error === "" ? null : error, at: clock.now() });
        if (error !== "") log.warn(`whatsapp: bot ${bot.id}: message ${maskMessageIds(event.id)} (outbox ${String(outboxId)}) to ${event.recipientId === undefined ? "?" : maskPhone(event.recipientId)}: ${error}`);
        return undefined;
      }
      const input = event.kind === "order" ? { kind: "catalog_order" as const, items: orderItems(bot, event, log) } : event.input;
      return { id: event.id, userId: event.userId, input };
    },
    answer: (failed) => ({ body: failed ? { error: { code: "internal", message: "a turn failed; deliver again" } } : { received: true } }),
  };
}
