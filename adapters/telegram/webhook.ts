/**
 * Telegram in the server: the sender the outbox uses for channel "telegram",
 * and the webhook `POST /telegram/:bot/webhook` that turns Bot API updates
 * into turns (see adapters/telegram for the platform's side).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { buttonPayload, isPageData, parseButtonRef, parsePageRef } from "./callback-data.ts";
import { markChosen } from "./pressed.ts";
import { answerShopPress } from "./merchant-chat.ts";
import { orderOfPayload, type PriceLine } from "./render.ts";
import { readUpdate, MalformedUpdateError, type TelegramUpdate } from "./updates.ts";
import { TelegramPoller } from "./polling.ts";
import { TelegramSender, TELEGRAM_CHANNEL, BLOCKED_REASON, envName } from "./sender.ts";
import { escapeHtml } from "./html.ts";
import { imagesIn } from "./photos.ts";
import { paymentAmountProblem } from "../../commerce/index.ts";
import { checkPayable, checkShippable, type InboundEvent, type LoadedBot } from "../../flows/index.ts";
import type { Clock } from "../../jobs/index.ts";
import type { ConversationAddress, Store } from "../../store/index.ts";
import { ConfigError, HttpError } from "../errors.ts";
import { isErasedCustomersOrder } from "../erased-orders.ts";
import type { TurnRunner } from "../channel.ts";
import { merchantVariable, tokenVariable, type TelegramConfig } from "./config.ts";

export interface TelegramSetup {
  readonly sender: TelegramSender;
  /** Ids of the bots that run on Telegram. */
  readonly bots: ReadonlySet<string>;
  /** How updates arrive (see TelegramConfig.mode). */
  readonly mode: "webhook" | "polling";
  /** The webhook's secret token; undefined in polling mode without one. */
  readonly secret: string | undefined;
  /** Bot id → the Telegram chat id of its merchant chat (KIOSK_MERCHANT_<BOT>), for the bots that have one. */
  readonly merchantChats: ReadonlyMap<string, string>;
}

/**
 * The Telegram sender for the bots that have a token. Throws a `ConfigError`
 * for a token that names no loaded bot, or when webhook mode lacks its secret.
 */
export function createTelegram(options: {
  readonly config: TelegramConfig;
  readonly bots: readonly LoadedBot[];
  readonly store: Store;
  /** Told what the operator should know but that stops nothing (a product photo Telegram refused). */
  readonly onWarning?: (message: string) => void;
}): TelegramSetup {
  const { config, bots, store } = options;
  const byEnvName = new Map(bots.map((b) => [envName(b.id), b.id] as const));
  const tokens = new Map<string, string>();
  const problems: string[] = [];
  for (const [name, { token, from }] of Object.entries(config.tokens)) {
    const botId = byEnvName.get(name);
    if (botId === undefined) problems.push(`${from} names no loaded bot; loaded bots take ${bots.map((b) => tokenVariable(b.id)).join(", ")}`);
    else tokens.set(botId, token);
  }
  const merchantChats = new Map<string, string>();
  for (const [name, { chatId, from }] of Object.entries(config.merchantChats)) {
    const botId = byEnvName.get(name);
    if (botId === undefined || !tokens.has(botId)) problems.push(`${from} names no loaded bot on Telegram; loaded bots take ${bots.map((b) => merchantVariable(b.id)).join(", ")}`);
    else merchantChats.set(botId, chatId);
  }
  if (config.mode === "webhook" && config.secret === undefined) {
    problems.push("KIOSK_TELEGRAM_SECRET must be set to the secret_token you pass to setWebhook (1–256 characters of A–Z, a–z, 0–9, _ and -), or set KIOSK_TELEGRAM_MODE=polling");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const sender = new TelegramSender({
    tokens,
    apiRoot: config.apiRoot,
    ...(config.providerToken === undefined ? {} : { providerToken: config.providerToken }),
    invoiceLines: (botId, orderId) => invoiceLines(store, botId, orderId),
    pacing: config.pacing,
    imageFile: imagesIn(new Map(bots.flatMap((b) => (b.folder === undefined ? [] : [[b.id, b.folder] as const])))),
    onPhotoRejected: (botId, image, reason) => options.onWarning?.(`telegram: bot ${botId}: Telegram refused the photo ${image} (${reason}); the card was sent as text`),
    onForbidden: async (botId, userId, reason) => void (await store.setUnreachable({ botId, channel: TELEGRAM_CHANNEL, userId }, reason, new Date())),
  });
  return { sender, bots: new Set(tokens.keys()), mode: config.mode, secret: config.secret, merchantChats };
}

/** One price line per order line: "2 × Croissant", or "1 × Latte (M, oat milk)". */
async function invoiceLines(store: Store, botId: string, orderId: string): Promise<PriceLine[] | undefined> {
  const order = await store.transaction((tx) => tx.getOrder(orderId));
  if (!order || order.botId !== botId) return undefined;
  return order.items.map((item) => ({
    label: `${item.quantity} × ${item.name}${item.optionLabels.length > 0 ? ` (${item.optionLabels.join(", ")})` : ""}`,
    amount: item.lineTotal,
  }));
}

/** Compares in constant time whatever the lengths (both sides are hashed first). */
function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export interface TelegramWebhookOptions {
  readonly telegram: TelegramSetup;
  readonly runtime: TurnRunner;
  readonly store: Store;
  readonly clock: Clock;
  readonly bots: readonly LoadedBot[];
}

/**
 * `POST /telegram/:bot/webhook`. 401 without the right
 * X-Telegram-Bot-Api-Secret-Token, 404 for a bot not on Telegram, 400 for a
 * body that is not an update. Otherwise the update's turn is committed
 * (sends go on in the background) and the answer is an empty 200; an update
 * seen before (same update_id) changes nothing. A `pre_checkout_query` is
 * answered inside the request. A payment whose turn failed answers 500, so
 * Telegram delivers it again.
 */
export function registerTelegramWebhook(app: FastifyInstance, options: TelegramWebhookOptions): void {
  const { telegram, runtime, store, clock } = options;
  const bots = new Map(options.bots.map((b) => [b.id, b] as const));

  const secret = telegram.secret;
  if (secret === undefined) throw new ConfigError(["the Telegram webhook needs KIOSK_TELEGRAM_SECRET"]);
  app.post<{ Params: { bot: string } }>("/telegram/:bot/webhook", async (request, reply) => {
    if (!secretMatches(request.headers["x-telegram-bot-api-secret-token"], secret)) {
      return reply.status(401).send({ error: { code: "unauthorized", message: "missing or wrong X-Telegram-Bot-Api-Secret-Token header" } });
    }
    const bot = bots.get(request.params.bot);
    if (!bot || !telegram.bots.has(bot.id)) throw new HttpError(404, "not_found", `no bot '${request.params.bot}' runs on Telegram here`);
    let update: TelegramUpdate;
    try {
      update = readUpdate(request.body);
    } catch (error) {
      if (error instanceof MalformedUpdateError) throw new HttpError(400, "invalid_request", error.message);
      throw error;
    }
    const status = await handleUpdate({ bot, update, telegram, runtime, store, clock, log: request.log });
    return reply.status(status).send();
  });
}

/**
 * Long polling, for when no webhook is configured: one `getUpdates` loop per
 * Telegram bot, each update handled as the webhook handles it (a body that is
 * not an update is logged and skipped; a payment whose turn failed is offered
 * again). Stop it with `close()` before the runtime closes.
 */
export function startTelegramPolling(options: TelegramWebhookOptions & { readonly log: FastifyBaseLogger }): { close(): Promise<void> } {
  const { telegram, runtime, store, clock, log } = options;
  const pollers = options.bots
    .filter((bot) => telegram.bots.has(bot.id))
    .map(
      (bot) =>
        new TelegramPoller({
          api: telegram.sender.api(bot.id),
          handle: async (body) => {
            let update: TelegramUpdate;
            try {
              update = readUpdate(body);
            } catch (error) {
              if (!(error instanceof MalformedUpdateError)) throw error;
              log.warn(`telegram: bot ${bot.id}: skipped ${error.message}`);
              return true;
            }
            return (await handleUpdate({ bot, update, telegram, runtime, store, clock, log })) < 500;
          },
          onError: (error, context) => log.warn({ err: error }, `${context} (bot ${bot.id})`),
        }),
    );
  for (const poller of pollers) poller.start();
  return { close: async () => void (await Promise.all(pollers.map((p) => p.close()))) };
}

async function handleUpdate(context: {
  bot: LoadedBot;
  update: TelegramUpdate;
  telegram: TelegramSetup;
  runtime: TurnRunner;
  store: Store;
  clock: Clock;
  log: FastifyBaseLogger;
}): Promise<number> {
  const { bot, update, telegram, runtime, store, clock, log } = context;
  const api = telegram.sender.api(bot.id);
  const key = `telegram:${bot.id}:${update.updateId}`;
  const answerButton = (id: string) => {
    // Always answered, so the button stops spinning; not awaited: the turn does not wait on it.
    api.answerCallbackQuery(id).catch((error: unknown) => log.warn({ err: error }, `telegram: answerCallbackQuery for bot ${bot.id} failed`));
  };
  const address = (userId: string): ConversationAddress => ({ botId: bot.id, channel: TELEGRAM_CHANNEL, userId });
  const locale = (u: { readonly locale?: string }) => (u.locale === undefined ? {} : { locale: u.locale });

  switch (update.kind) {
    case "membership": {
      // By Telegram's date, so a replayed or late older update cannot undo a newer one.
      const applied = await store.setUnreachable(address(update.chatId), update.blocked ? BLOCKED_REASON : null, update.date);
      log.info(`telegram: chat ${update.chatId} ${update.blocked ? "blocked" : "started"} bot ${bot.id}${applied ? "" : " (older than the last change: ignored)"}`);
      return 200;
    }
    case "group": {
      const username = await telegram.sender.username(bot.id);
      if (!update.addressedTo.includes(username.toLowerCase())) {
        log.debug(`telegram: update ${update.updateId} for bot ${bot.id} ignored: a group message for another bot`);
        return 200;
      }
      const seen = await store.transaction((tx) => tx.markEventSeen(key, clock.now()));
      if (!seen) return 200;
      // Not a customer's conversation: one invitation, sent at once, then ordering goes on in private.
      try {
        // In the language of whoever asked: the group has none of its own.
        const texts = bot.textsFor(update.locale ?? bot.locale);
        await api.sendMessage(update.chatId, escapeHtml(texts.groupInvitation(bot.name)), {
          parse_mode: "HTML",
          reply_parameters: { message_id: update.messageId, allow_sending_without_reply: true },
          reply_markup: { inline_keyboard: [[{ text: texts.openPrivateChat(bot.name), url: `https://t.me/${username}?start=group` }]] },
        });
      } catch (error) {
        // Marked seen already: a redelivery would not answer either. The customer can ask again.
        log.warn({ err: error }, `telegram: bot ${bot.id}: the invitation to group ${update.chatId} was not sent`);
      }
      return 200;
    }
    case "ignored":
      if (update.callbackQueryId !== undefined) answerButton(update.callbackQueryId);
      // Over the Bot API's own limits: acknowledged so Telegram does not deliver it again, but no turn runs.
      if (update.overLimit) log.warn(`telegram: update ${update.updateId} for bot ${bot.id} not run: ${update.reason}; acknowledged`);
      else log.debug(`telegram: update ${update.updateId} for bot ${bot.id} ignored: ${update.reason}`);
      return 200;
    case "text": {
      await runtime.handle({ key, ...address(update.chatId), ...locale(update), input: { kind: "text", text: update.text } }, { dispatch: "background" });
      return 200;
    }
    case "contact": {
      await runtime.handle({ key, ...address(update.chatId), ...locale(update), input: { kind: "contact", phone: update.phone, own: update.own } }, { dispatch: "background" });
      return 200;
    }
    case "location": {
      const input = { kind: "location" as const, latitude: update.latitude, longitude: update.longitude };
      await runtime.handle({ key, ...address(update.chatId), ...locale(update), input }, { dispatch: "background" });
      return 200;
    }
    case "media": {
      // Not silence: the customer is told what the bot reads, and asked again.
      await runtime.handle({ key, ...address(update.chatId), ...locale(update), input: { kind: "unsupported", what: "media" } }, { dispatch: "background" });
      return 200;
    }
    case "shop": {
      // A merchant chat's button: never a customer's turn, whoever pressed it.
      const { answer, applied } = await answerShopPress({ bot, merchantChat: telegram.merchantChats.get(bot.id), press: update, turns: runtime, store });
      log.info(`telegram: bot ${bot.id}: merchant button ${update.data} pressed by telegram:${update.userId} in chat ${update.chatId ?? "?"}: ${applied ? "applied" : answer}`);
      try {
        await api.answerCallbackQuery(update.callbackQueryId, { text: answer });
      } catch (error) {
        log.warn({ err: error }, `telegram: answerCallbackQuery for bot ${bot.id} failed`);
      }
      return 200;
    }
    case "press": {
      answerButton(update.callbackQueryId);
      if (isPageData(update.data)) {
        await turnPage(telegram, store, address(update.chatId), update, log);
        return 200;
      }
      const payload = await pressedPayload(store, address(update.chatId), update.data);
      const result = await runtime.handle({ key, ...address(update.chatId), ...locale(update), input: { kind: "postback", payload } }, { dispatch: "background" });
      const pressed = update.message;
      // Only a choice the flow took is marked chosen: a button it refused stays pressable, unmarked.
      if (result.status === "handled" && result.accepted && pressed) {
        // After the turn is committed, not awaited: cosmetic, so a failure is only logged.
        markChosen(api, update.chatId, pressed, update.data).catch((error: unknown) =>
          log.warn({ err: error }, `telegram: bot ${bot.id}: the buttons of message ${pressed.messageId} in chat ${update.chatId} were not taken off`),
        );
      }
      return 200;
    }
    case "payment": {
      const { payment } = update;
      const badAmount = paymentAmountProblem(payment.amount);
      if (badAmount !== undefined) {
        // Signed with the webhook secret, yet no payment Telegram makes: refused, nothing recorded (no refund of money never taken).
        log.warn(`telegram: bot ${bot.id}: refused successful_payment of update ${update.updateId}: total_amount ${badAmount}; nothing recorded`);
        throw new HttpError(400, "invalid_request", `successful_payment.total_amount ${badAmount}; nothing was recorded`);
      }
      const orderId = orderOfPayload(payment.payload);
      if (orderId === undefined) {
        log.error(`telegram: bot ${bot.id}: a successful payment ${payment.chargeId} carries payload '${payment.payload}', which names no order; refund it by hand`);
        return 200;
      }
      // The customer may have been erased between the pre-checkout and this payment: it counts, under the order's pseudonym.
      const order = await store.transaction((tx) => tx.getOrder(orderId));
      const payer = order && isErasedCustomersOrder(order, bot.id, TELEGRAM_CHANNEL) ? order.userId : update.chatId;
      const event: InboundEvent = {
        key,
        ...address(payer),
        ...locale(update),
        input: {
          kind: "payment",
          report: {
            provider: "telegram",
            reference: payment.chargeId,
            ...(payment.providerChargeId === undefined ? {} : { providerReference: payment.providerChargeId }),
            orderId,
            outcome: "succeeded",
            amount: payment.amount,
            currency: payment.currency,
            ...(payment.shipping === undefined ? {} : { shipping: payment.shipping }),
          },
        },
      };
      const result = await runtime.handle(event, { dispatch: "background" });
      return result.status === "failed" ? 500 : 200;
    }
    case "shipping": {
      // Answered inside the request, like pre_checkout: the payment form waits on it.
      const orderId = orderOfPayload(update.payload);
      const answer = await store.transaction((tx) => checkShippable(tx, { bot, address: address(update.userId), orderId, countryCode: update.address.countryCode, now: clock.now(), ...locale(update) }));
      if (!answer.ok) log.info(`telegram: bot ${bot.id}: shipping for ${orderId === undefined ? "an invoice naming no order" : `order '${orderId}'`} to ${update.address.countryCode} declined (${answer.reason})`);
      try {
        if (answer.ok) {
          const options = answer.options.map((o) => ({ id: o.id, title: o.label, prices: [{ label: o.label, amount: o.price }] }));
          await api.answerShippingQuery(update.queryId, true, { shipping_options: options });
        } else {
          await api.answerShippingQuery(update.queryId, false, { error_message: answer.message });
        }
      } catch (error) {
        log.error({ err: error }, `telegram: answerShippingQuery for bot ${bot.id} failed; the customer's payment form shows an error`);
      }
      return 200;
    }
    case "pre_checkout": {
      const badAmount = paymentAmountProblem(update.amount);
      // checkPayable declines it (no order is owed such an amount); the warning says why.
      if (badAmount !== undefined) log.warn(`telegram: bot ${bot.id}: pre_checkout_query of update ${update.updateId} with total_amount ${badAmount}: declined`);
      const orderId = orderOfPayload(update.payload);
      const answer = await store.transaction((tx) =>
        checkPayable(tx, {
          bot,
          address: address(update.userId),
          orderId,
          amount: update.amount,
          currency: update.currency,
          now: clock.now(),
          ...locale(update),
          ...(update.shipping === undefined ? {} : { shipping: { optionId: update.shipping.optionId, countryCode: update.shipping.address.countryCode } }),
        }),
      );
      if (!answer.ok) log.info(`telegram: bot ${bot.id}: pre-checkout for ${orderId === undefined ? "an invoice naming no order" : `order '${orderId}'`} declined (${answer.reason})`);
      try {
        if (answer.ok) await api.answerPreCheckoutQuery(update.queryId, true);
        else await api.answerPreCheckoutQuery(update.queryId, false, { error_message: answer.message });
      } catch (error) {
        log.error({ err: error }, `telegram: answerPreCheckoutQuery for bot ${bot.id} failed; Telegram cancels the payment after 10 s`);
      }
      return 200;
    }
  }
}

/**
 * A carousel's page button: shows that card in the same message (see
 * renderPage), running no turn. The page names a message of this
 * customer's own outbox; the `k/n` counter does nothing.
 */
async function turnPage(telegram: TelegramSetup, store: Store, address: ConversationAddress, update: Extract<TelegramUpdate, { kind: "press" }>, log: FastifyBaseLogger): Promise<void> {
  const page = parsePageRef(update.data);
  const message = update.message;
  if (!page || !message) return;
  const [row] = await store.conversationOutbox(address, { afterId: page.outboxId - 1, limit: 1 });
  if (row?.id !== page.outboxId) return;
  try {
    await telegram.sender.showPage({ botId: address.botId, chatId: address.userId, messageId: message.messageId, photo: message.photo }, row, page.index);
  } catch (error) {
    log.warn({ err: error }, `telegram: bot ${address.botId}: card ${page.index + 1} of message ${message.messageId} in chat ${address.userId} was not shown`);
  }
}

/** A button's payload: the data itself, or the button a long payload's reference points at in this customer's outbox. */
async function pressedPayload(store: Store, address: ConversationAddress, data: string): Promise<string> {
  const ref = parseButtonRef(data);
  if (!ref) return data;
  const [row] = await store.conversationOutbox(address, { afterId: ref.outboxId - 1, limit: 1 });
  return (row?.id === ref.outboxId ? buttonPayload(row.message, ref) : undefined) ?? data;
}
