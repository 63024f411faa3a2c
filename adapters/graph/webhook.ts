/**
 * The webhook Messenger and WhatsApp share on the server: `GET
 * /<channel>/:bot/webhook` answers Meta's verification handshake, `POST`
 * checks X-Hub-Signature-256, finds the bot, reads the body's events in the
 * channel's way and runs each customer message as its own turn.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from "fastify";
import { handshakeChallenge, signatureMatches, type HandshakeQuery } from "./signature.ts";
import type { GraphWebhookSecrets } from "./setup.ts";
import type { LoadedBot, TurnInput } from "../../flows/index.ts";
import type { Clock } from "../../jobs/index.ts";
import type { Store } from "../../store/index.ts";
import type { TurnRunner } from "../channel.ts";
import { HttpError } from "../errors.ts";
import type { OverLimit } from "../limits.ts";

/** An event acknowledged without a turn (a receipt, an echo); `overLimit` when a field is over the platform's bounds, which is logged as a warning. */
export interface IgnoredEvent {
  readonly kind: "ignored";
  readonly reason: string;
  readonly overLimit?: OverLimit;
}

/** A customer's message as a turn: its platform id (the turn's dedupe key is `<channel>:<bot>:<id>`), who wrote, and what they did. */
export interface GraphTurn {
  readonly id: string;
  readonly userId: string;
  readonly input: TurnInput;
}

/** What the bot an event came to is on the channel. */
export interface GraphWebhookBot<Account> {
  readonly bot: LoadedBot;
  /** The channel's own settings of the bot: a Page token, a phone number. */
  readonly account: Account;
  readonly log: FastifyBaseLogger;
}

/**
 * What a channel's webhook does its own way: which bots it serves, how its
 * bodies read, what an event becomes. `Event` is every kind of event the
 * channel reads but `ignored`.
 */
export interface GraphWebhook<Account, Event extends { readonly kind: string }> {
  /** The platform's name in answers, e.g. "Messenger". */
  readonly platform: string;
  /** Bot id → its account on the channel: the bots that run on it. */
  readonly accounts: ReadonlyMap<string, Account>;
  /** What an event the bounds refuse is called in the warning, e.g. "an event". */
  readonly unit: string;
  /** The body's events in order; throws `malformed` for a body that is not this channel's webhook. */
  read(body: unknown): ReadonlyArray<IgnoredEvent | Event>;
  /** What `read` throws for a body that is not one (answered 400). */
  readonly malformed: abstract new (...args: never[]) => Error;
  /** The turn an event runs; undefined when the channel dealt with it itself (a delivery status) or leaves it. */
  turn(event: Event, to: GraphWebhookBot<Account>): GraphTurn | undefined | Promise<GraphTurn | undefined>;
  /** The answer's content type and body; by default Meta's documented `EVENT_RECEIVED` as text, and the reason as text when a turn failed. */
  answer?(failed: boolean): { readonly type?: string; readonly body: unknown };
}

/** What the webhook runs with: the channel's name (its path and outbox channel), the app's secrets, and the server's runtime, store, clock and bots. */
export interface GraphWebhookContext {
  readonly channel: string;
  readonly secrets: GraphWebhookSecrets;
  readonly runtime: TurnRunner;
  readonly store: Store;
  readonly clock: Clock;
  readonly bots: readonly LoadedBot[];
}

/**
 * `GET <path>`: Meta's verification request. The right verify token with
 * `hub.mode=subscribe` gets `hub.challenge` back as text/plain; anything else 403.
 */
export function registerVerification(app: FastifyInstance, path: string, verifyToken: string, isBot: (bot: string) => boolean): void {
  app.get<{ Params: { bot: string }; Querystring: HandshakeQuery }>(path, async (request, reply) => {
    const challenge = isBot(request.params.bot) ? handshakeChallenge(request.query, verifyToken) : undefined;
    if (challenge === undefined) return reply.status(403).type("text/plain; charset=utf-8").send("verification failed: hub.mode must be subscribe and hub.verify_token must match KIOSK_META_VERIFY_TOKEN");
    return reply.status(200).type("text/plain; charset=utf-8").send(challenge);
  });
}

/**
 * Throws 401 unless the request's X-Hub-Signature-256 signs its raw body
 * with the app secret, 400 when there is no JSON body to check.
 */
export function checkSignature(request: FastifyRequest, appSecret: string): void {
  const raw = request.rawBody;
  if (raw === undefined) throw new HttpError(400, "bad_request", "the body must be the webhook's JSON, sent with content-type application/json");
  if (!signatureMatches(raw, request.headers["x-hub-signature-256"], appSecret)) {
    throw new HttpError(401, "invalid_signature", "missing or wrong X-Hub-Signature-256: it must be sha256= and the HMAC-SHA256 of the raw body with the app secret");
  }
}

const isIgnored = <Event extends { readonly kind: string }>(event: IgnoredEvent | Event): event is IgnoredEvent => event.kind === "ignored";

const eventReceived = (failed: boolean) => ({ type: "text/plain; charset=utf-8", body: failed ? "a turn failed; deliver again" : "EVENT_RECEIVED" });

/**
 * `GET /<channel>/:bot/webhook` answers Meta's verification request.
 * `POST` takes a signed webhook: 401 for a wrong or missing
 * X-Hub-Signature-256 (nothing changes), 404 for a bot not on the channel,
 * 400 for a body that is not one. Ignored events are acknowledged and never
 * answered; every other event is what the channel's `turn` makes of it,
 * each turn deduplicated by `<channel>:<bot>:<id>` and recorded as the
 * customer's last message first (so its replies fall inside the 24-hour
 * window). The answer is 200 once every turn committed (the replies go out
 * in the background); 500 when one failed in a way a redelivery could fix.
 */
export function registerGraphWebhook<Account, Event extends { readonly kind: string }>(app: FastifyInstance, webhook: GraphWebhook<Account, Event>, context: GraphWebhookContext): void {
  const { channel, secrets, runtime, store, clock } = context;
  const path = `/${channel}/:bot/webhook`;
  const bots = new Map(context.bots.map((b) => [b.id, b] as const));
  registerVerification(app, path, secrets.verifyToken, (id) => webhook.accounts.has(id) && bots.has(id));

  app.post<{ Params: { bot: string } }>(path, async (request, reply) => {
    checkSignature(request, secrets.appSecret);
    const bot = bots.get(request.params.bot);
    const account = bot ? webhook.accounts.get(bot.id) : undefined;
    if (!bot || account === undefined) throw new HttpError(404, "not_found", `no bot '${request.params.bot}' runs on ${webhook.platform} here`);
    let events: ReadonlyArray<IgnoredEvent | Event>;
    try {
      events = webhook.read(request.body);
    } catch (error) {
      if (error instanceof webhook.malformed) throw new HttpError(400, "invalid_request", error.message);
      throw error;
    }
    let failed = false;
    for (const event of events) {
      if (isIgnored(event)) {
        // Over the platform's own limits: acknowledged so Meta does not deliver it again, but no turn runs.
        if (event.overLimit) request.log.warn(`${channel}: bot ${bot.id}: ${webhook.unit} not run: ${event.reason}; acknowledged`);
        else request.log.debug(`${channel}: bot ${bot.id}: ${event.reason}; acknowledged`);
        continue;
      }
      const turn = await webhook.turn(event, { bot, account, log: request.log });
      if (turn === undefined) continue;
      const address = { botId: bot.id, channel, userId: turn.userId };
      // The customer wrote: the 24-hour window opens again (before the turn, so its replies are responses).
      await store.recordInbound(address, clock.now());
      const result = await runtime.handle({ key: `${channel}:${bot.id}:${turn.id}`, ...address, input: turn.input }, { dispatch: "background" });
      if (result.status === "failed" && result.messages === 0) failed = true;
    }
    const answer = (webhook.answer ?? eventReceived)(failed);
    if (answer.type !== undefined) reply.type(answer.type);
    return reply.status(failed ? 500 : 200).send(answer.body);
  });
}
