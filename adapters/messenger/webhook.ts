/**
 * Messenger in the server: the sender the outbox uses for channel
 * "messenger", and `GET/POST /messenger/:bot/webhook` (Meta's verification,
 * then signed batches of messaging events, each its own turn). See
 * adapters/messenger for the platform's side.
 */
import type { FastifyInstance } from "fastify";
import { MalformedBatchError, readBatch, type MessengerEvent } from "./events.ts";
import { MessengerSender, MESSENGER_CHANNEL } from "./sender.ts";
import type { LoadedBot } from "../../flows/index.ts";
import type { Clock } from "../../jobs/index.ts";
import type { Store } from "../../store/index.ts";
import type { PaymentLinks } from "../channel.ts";
import { HttpError } from "../errors.ts";
import { byBot, checkoutLinks, checkSignature, graphEndpoint, registerVerification, webhookSecrets, type GraphWebhookSecrets } from "../graph/webhook.ts";
import { pageTokenVariable, type MetaConfig } from "../graph/config.ts";
import type { TurnRunner } from "../channel.ts";

export const MESSENGER_WEBHOOK_PATH = "/messenger/:bot/webhook";

export interface MessengerSetup {
  readonly sender: MessengerSender;
  /** Ids of the bots that run on Messenger. */
  readonly bots: ReadonlySet<string>;
  readonly secrets: GraphWebhookSecrets;
}

/**
 * The Messenger sender for the bots with a Page token. Throws a `ConfigError`
 * for a token naming no loaded bot, or without the app secret and verify token.
 */
export function createMessenger(options: {
  readonly config: MetaConfig;
  readonly bots: readonly LoadedBot[];
  readonly store: Store;
  readonly clock: Clock;
  /** The hosted checkout, once started (invoices open its link). */
  readonly checkout: () => PaymentLinks | undefined;
}): MessengerSetup {
  const { config, bots, store, clock } = options;
  const secrets = webhookSecrets(config);
  const tokens = byBot(config.messenger, bots, (name) => config.messenger[name]?.from ?? `KIOSK_MESSENGER_${name}_PAGE_TOKEN`, pageTokenVariable);
  const sender = new MessengerSender({
    pageTokens: new Map([...tokens].map(([bot, t]) => [bot, t.token] as const)),
    endpoint: graphEndpoint(config),
    clock,
    lastInbound: (botId, userId) => store.lastInbound({ botId, channel: MESSENGER_CHANNEL, userId }),
    checkoutLink: checkoutLinks(options.checkout),
  });
  return { sender, bots: new Set(tokens.keys()), secrets };
}

export interface MessengerWebhookOptions {
  readonly messenger: MessengerSetup;
  readonly runtime: TurnRunner;
  readonly store: Store;
  readonly clock: Clock;
  readonly bots: readonly LoadedBot[];
}

/**
 * `GET /messenger/:bot/webhook` answers Meta's verification request.
 * `POST` takes a signed batch: 401 for a wrong or missing
 * X-Hub-Signature-256 (nothing changes), 404 for a bot not on Messenger, 400
 * for a body that is not a batch. Every messaging event of every entry is
 * its own turn, deduplicated by its mid; echoes, deliveries and reads are
 * acknowledged and never answered. The answer is 200 `EVENT_RECEIVED` once
 * every turn committed (the replies go out in the background); 500 when one
 * failed in a way a redelivery could fix.
 */
export function registerMessengerWebhook(app: FastifyInstance, options: MessengerWebhookOptions): void {
  const { messenger, runtime, store, clock } = options;
  const bots = new Map(options.bots.map((b) => [b.id, b] as const));
  const onMessenger = (id: string) => messenger.bots.has(id) && bots.has(id);
  registerVerification(app, MESSENGER_WEBHOOK_PATH, messenger.secrets.verifyToken, onMessenger);

  app.post<{ Params: { bot: string } }>(MESSENGER_WEBHOOK_PATH, async (request, reply) => {
    checkSignature(request, messenger.secrets.appSecret);
    const botId = request.params.bot;
    if (!onMessenger(botId)) throw new HttpError(404, "not_found", `no bot '${botId}' runs on Messenger here`);
    let events: MessengerEvent[];
    try {
      events = readBatch(request.body);
    } catch (error) {
      if (error instanceof MalformedBatchError) throw new HttpError(400, "invalid_request", error.message);
      throw error;
    }
    let failed = false;
    for (const event of events) {
      if (event.kind === "ignored") {
        // Over Messenger's own limits: acknowledged so Meta does not deliver it again, but no turn runs.
        if (event.overLimit) request.log.warn(`messenger: bot ${botId}: an event not run: ${event.reason}; acknowledged`);
        else request.log.debug(`messenger: bot ${botId}: ${event.reason}; acknowledged`);
        continue;
      }
      const address = { botId, channel: MESSENGER_CHANNEL, userId: event.userId };
      // The customer wrote: the 24-hour window opens again (before the turn, so its replies are responses).
      await store.recordInbound(address, clock.now());
      const result = await runtime.handle({ key: `messenger:${botId}:${event.id}`, ...address, input: event.input }, { dispatch: "background" });
      if (result.status === "failed" && result.messages === 0) failed = true;
    }
    return reply.status(failed ? 500 : 200).type("text/plain; charset=utf-8").send(failed ? "a turn failed; deliver again" : "EVENT_RECEIVED");
  });
}
