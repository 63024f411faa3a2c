/**
 * WhatsApp (Cloud API) in the server: the sender the outbox uses for channel
 * "whatsapp", and `GET/POST /whatsapp/:bot/webhook` (Meta's verification,
 * then signed webhooks: messages become turns, catalog orders are re-priced
 * from the bot's catalog, statuses are recorded against the outbox).
 */
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { maskMessageIds, maskPhone } from "../../core/index.ts";
import { MalformedWebhookError, readWebhook, type WhatsAppEvent } from "./events.ts";
import { WhatsAppSender, WHATSAPP_CHANNEL, type WhatsAppNumber } from "./sender.ts";
import type { CatalogOrderItem, LoadedBot } from "../../flows/index.ts";
import type { Clock } from "../../jobs/index.ts";
import type { Store } from "../../store/index.ts";
import type { PaymentLinks } from "../channel.ts";
import { HttpError } from "../errors.ts";
import { byBot, checkoutLinks, checkSignature, graphEndpoint, registerVerification, webhookSecrets, type GraphWebhookSecrets } from "../graph/webhook.ts";
import { whatsappVariable, type MetaConfig } from "../graph/config.ts";
import type { TurnRunner } from "../channel.ts";

export const WHATSAPP_WEBHOOK_PATH = "/whatsapp/:bot/webhook";

export interface WhatsAppSetup {
  readonly sender: WhatsAppSender;
  /** Bot id → its number. */
  readonly numbers: ReadonlyMap<string, WhatsAppNumber>;
  readonly secrets: GraphWebhookSecrets;
}

/** The WhatsApp sender for the bots with a phone number ID and token; a `ConfigError` naming what to set otherwise. */
export function createWhatsApp(options: {
  readonly config: MetaConfig;
  readonly bots: readonly LoadedBot[];
  readonly store: Store;
  readonly clock: Clock;
  readonly checkout: () => PaymentLinks | undefined;
}): WhatsAppSetup {
  const { config, bots, store, clock } = options;
  const secrets = webhookSecrets(config);
  const configured = byBot(config.whatsapp, bots, (name) => `KIOSK_WHATSAPP_${name}_PHONE_NUMBER_ID`, (id) => whatsappVariable(id, "PHONE_NUMBER_ID"));
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
    numbers,
    endpoint: graphEndpoint(config),
    clock,
    lastInbound: (botId, userId) => store.lastInbound({ botId, channel: WHATSAPP_CHANNEL, userId }),
    checkoutLink: checkoutLinks(options.checkout),
    onAccepted: (envelope, platformId) => store.savePlatformMessage({ channel: WHATSAPP_CHANNEL, platformId, outboxId: envelope.id, at: clock.now() }),
  });
  return { sender, numbers, secrets };
}

export interface WhatsAppWebhookOptions {
  readonly whatsapp: WhatsAppSetup;
  readonly runtime: TurnRunner;
  readonly store: Store;
  readonly clock: Clock;
  readonly bots: readonly LoadedBot[];
}

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

/**
 * `GET /whatsapp/:bot/webhook` answers Meta's verification request.
 * `POST` takes a signed webhook (401 for a wrong or missing
 * X-Hub-Signature-256, nothing changes; 404 for a bot not on WhatsApp; 400
 * for a body that is not one). Changes for another phone number than the
 * bot's are ignored. Each message is its own turn, deduplicated by its wamid;
 * an `order` puts its items (re-priced) in the cart and shows the cart
 * review; a status is recorded against the outbox message it is about (a
 * failure, e.g. 131047 outside the window, as its last error).
 */
export function registerWhatsAppWebhook(app: FastifyInstance, options: WhatsAppWebhookOptions): void {
  const { whatsapp, runtime, store, clock } = options;
  const bots = new Map(options.bots.map((b) => [b.id, b] as const));
  const onWhatsApp = (id: string) => whatsapp.numbers.has(id) && bots.has(id);
  registerVerification(app, WHATSAPP_WEBHOOK_PATH, whatsapp.secrets.verifyToken, onWhatsApp);

  app.post<{ Params: { bot: string } }>(WHATSAPP_WEBHOOK_PATH, async (request, reply) => {
    checkSignature(request, whatsapp.secrets.appSecret);
    const bot = bots.get(request.params.bot);
    const number = bot ? whatsapp.numbers.get(bot.id) : undefined;
    if (!bot || !number) throw new HttpError(404, "not_found", `no bot '${request.params.bot}' runs on WhatsApp here`);
    let events: WhatsAppEvent[];
    try {
      events = readWebhook(request.body);
    } catch (error) {
      if (error instanceof MalformedWebhookError) throw new HttpError(400, "invalid_request", error.message);
      throw error;
    }
    let failed = false;
    for (const event of events) {
      if (event.kind === "ignored") {
        // Over the Cloud API's own limits: acknowledged so Meta does not deliver it again, but no turn runs.
        if (event.overLimit) request.log.warn(`whatsapp: bot ${bot.id}: a message not run: ${event.reason}; acknowledged`);
        else request.log.debug(`whatsapp: bot ${bot.id}: ${event.reason}; acknowledged`);
        continue;
      }
      if (event.phoneNumberId !== number.phoneNumberId) {
        request.log.warn(`whatsapp: bot ${bot.id}: a ${event.kind} for phone number ID ${event.phoneNumberId}, not the bot's ${number.phoneNumberId}; ignored`);
        continue;
      }
      if (event.kind === "status") {
        const error = event.errors.map((e) => `WhatsApp ${event.status}: ${e.code === undefined ? "" : `#${e.code} `}${e.title}${e.details === undefined ? "" : ` (${e.details})`}`).join("; ");
        const outboxId = await store.recordDeliveryStatus({ channel: WHATSAPP_CHANNEL, platformId: event.id, status: event.status, error: error === "" ? null : error, at: clock.now() });
        if (error !== "") request.log.warn(`whatsapp: bot ${bot.id}: message ${maskMessageIds(event.id)} (outbox ${String(outboxId)}) to ${event.recipientId === undefined ? "?" : maskPhone(event.recipientId)}: ${error}`);
        continue;
      }
      const address = { botId: bot.id, channel: WHATSAPP_CHANNEL, userId: event.userId };
      await store.recordInbound(address, clock.now());
      const input = event.kind === "order" ? { kind: "catalog_order" as const, items: orderItems(bot, event, request.log) } : event.input;
      const result = await runtime.handle({ key: `whatsapp:${bot.id}:${event.id}`, ...address, input }, { dispatch: "background" });
      if (result.status === "failed" && result.messages === 0) failed = true;
    }
    return reply.status(failed ? 500 : 200).send(failed ? { error: { code: "internal", message: "a turn failed; deliver again" } } : { received: true });
  });
}
