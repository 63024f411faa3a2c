/**
 * Bot Framework in the server: the sender the outbox uses for channel
 * "botframework", and `POST /api/messages` (plus `/api/messages/:bot`), the
 * messaging endpoint of an Azure Bot resource or of the Bot Framework
 * Emulator (see adapters/botframework for the platform's side).
 */
import { randomUUID } from "node:crypto";
import type { Activity, ConversationReference } from "botbuilder";
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
// Not the folder's index: sender.ts brings botbuilder, loaded on first use (see BotFrameworkSetup.load).
import { BOTFRAMEWORK_CHANNEL, MalformedActivityError, readActivity, type BotFrameworkActivity } from "./activities.ts";
import type { PaymentLink } from "./render.ts";
import type { BotFrameworkSender, createCloudAdapter } from "./sender.ts";
import { ChannelSendError, type ChannelSender } from "../../core/index.ts";
import { CommerceError } from "../../commerce/index.ts";
import type { LoadedBot, TurnResult } from "../../flows/index.ts";
import type { Clock } from "../../jobs/index.ts";
import type { Store } from "../../store/index.ts";
import type { BotFrameworkConfig } from "./config.ts";
import type { PaymentLinks } from "../channel.ts";
import { ConfigError } from "../errors.ts";
import { isLoopback } from "../loopback.ts";
import { HttpError } from "../errors.ts";
import type { ServerModeKind } from "../channel.ts";
import type { TurnRunner } from "../channel.ts";

export const BOTFRAMEWORK_PATH = "/api/messages";

/** botbuilder's side of the channel, made on first use. */
export interface BotFrameworkRuntime {
  readonly sender: BotFrameworkSender;
  readonly adapter: ReturnType<typeof createCloudAdapter>["adapter"];
  readonly auth: ReturnType<typeof createCloudAdapter>["auth"];
}

export interface BotFrameworkSetup {
  /** The outbox's sender for channel "botframework"; it loads botbuilder on its first send. */
  readonly sender: ChannelSender;
  /** False without an app id: every request is accepted (the Emulator on localhost). */
  readonly authenticated: boolean;
  /** The bot that answers on /api/messages. */
  readonly defaultBot: string;
  /** Imports botbuilder (about a second) and makes the adapter, once; a server that never sees the channel never pays for it. */
  load(): Promise<BotFrameworkRuntime>;
}

/** A kept reference, checked just enough to send with. */
function asReference(value: unknown): ConversationReference | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const r = value as Partial<ConversationReference>;
  return typeof r.serviceUrl === "string" && typeof r.conversation?.id === "string" ? (r as ConversationReference) : undefined;
}

/**
 * The Bot Framework channel for every loaded bot, on one app registration.
 * Throws a `ConfigError` when KIOSK_BOTFRAMEWORK_BOT names no loaded bot.
 * `checkout()` is read at send time: invoices become a link to it.
 */
export function createBotFramework(options: {
  readonly config: BotFrameworkConfig | undefined;
  readonly bots: readonly LoadedBot[];
  readonly store: Store;
  readonly checkout: () => PaymentLinks | undefined;
}): BotFrameworkSetup {
  const { config, bots, store } = options;
  const first = bots[0];
  if (!first) throw new ConfigError(["the Bot Framework channel needs a loaded bot"]);
  const defaultBot = config?.bot ?? first.id;
  if (!bots.some((b) => b.id === defaultBot)) {
    throw new ConfigError([`KIOSK_BOTFRAMEWORK_BOT names '${defaultBot}', which is not a loaded bot; loaded bots: ${bots.map((b) => b.id).join(", ")}`]);
  }
  let loading: Promise<BotFrameworkRuntime> | undefined;
  const load = () => {
    if (loading) return loading;
    loading = (async () => {
      const { BotFrameworkSender, createCloudAdapter } = await import("./sender.ts");
      const { adapter, auth } = createCloudAdapter({
        ...(config?.appId === undefined ? {} : { appId: config.appId }),
        ...(config?.appPassword === undefined ? {} : { appPassword: config.appPassword }),
        ...(config?.tenantId === undefined ? {} : { tenantId: config.tenantId }),
        appType: config?.appType ?? "MultiTenant",
        ...(config?.openIdMetadataUrl === undefined ? {} : { openIdMetadataUrl: config.openIdMetadataUrl }),
        ...(config?.loginUrl === undefined ? {} : { loginUrl: config.loginUrl }),
      });
      const target = { adapter, appId: config?.appId ?? "" };
      const sender = new BotFrameworkSender({
        adapters: new Map(bots.map((b) => [b.id, target] as const)),
        reference: async (botId, customerId) => asReference(await store.botFrameworkReference(botId, customerId)),
        paymentLink: (botId, orderId) => paymentLink(options.checkout(), orderId),
      });
      return { sender, adapter, auth };
    })();
    // A failed import is tried again on the next use rather than remembered.
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  };
  const sender: ChannelSender = { channel: BOTFRAMEWORK_CHANNEL, send: async (envelope) => (await load()).sender.send(envelope) };
  return { sender, load, authenticated: config?.appId !== undefined, defaultBot };
}

/** An invoice's hosted checkout link; `closed` when the order no longer awaits payment, a retried send when the provider failed. */
async function paymentLink(checkout: PaymentLinks | undefined, orderId: string): Promise<PaymentLink> {
  if (!checkout) return { kind: "unavailable" };
  try {
    return { kind: "link", url: await checkout.link(orderId) };
  } catch (error) {
    if (error instanceof CommerceError && error.code === "not_payable") return { kind: "closed" };
    throw new ChannelSendError("unavailable", `botframework: the checkout link of order ${orderId} could not be made: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export interface BotFrameworkRouteOptions {
  readonly botframework: BotFrameworkSetup;
  readonly runtime: TurnRunner;
  readonly store: Store;
  readonly clock: Clock;
  readonly bots: readonly LoadedBot[];
  /**
   * The server's mode. In production mode (a real channel configured) the
   * endpoint without an app id is off: its only guard, a loopback
   * serviceUrl, is a field the sender writes, so anyone reaching the port
   * would drive the real runtime (orders, stock, bookings).
   */
  readonly mode: ServerModeKind;
}

/** jsonwebtoken's errors, which botbuilder lets through for a token whose signature or dates are wrong. */
const TOKEN_ERRORS = new Set(["JsonWebTokenError", "NotBeforeError", "TokenExpiredError"]);

/** botbuilder refused the token (AuthenticationError's 401, or a bad signature); anything else (keys unreachable) is a 500, retried by the channel. */
function isUnauthorized(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { statusCode, name } = error as { statusCode?: unknown; name?: unknown };
  return statusCode === 401 || statusCode === 403 || (typeof name === "string" && TOKEN_ERRORS.has(name));
}

function loopbackUrl(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === "http:" || protocol === "https:") && isLoopback(hostname);
  } catch {
    return false;
  }
}

/**
 * `POST /api/messages` (the bot KIOSK_BOTFRAMEWORK_BOT, else the first) and
 * `POST /api/messages/:bot`. With an app id every request must carry the
 * Bot Framework's JWT (validated by botbuilder: issuer, audience = app id,
 * signature, service URL claim), else 401. Without one, requests are
 * accepted as the Emulator sends them, but only with a loopback serviceUrl
 * (403 otherwise), so an open endpoint cannot make Kiosk post elsewhere,
 * and only in emulator mode: in production mode both paths answer 404
 * naming KIOSK_MS_APP_ID, before reading the activity.
 * 400 for a body that is not an activity, 404 for an unknown bot. A handled
 * activity's turn is committed before the 200 (sends go on in the
 * background); one seen before (same id) changes nothing; other activity
 * types are acknowledged and ignored.
 */
export function registerBotFramework(app: FastifyInstance, options: BotFrameworkRouteOptions): void {
  const { botframework } = options;
  const bots = new Map(options.bots.map((b) => [b.id, b] as const));

  if (!botframework.authenticated && options.mode === "production") {
    // Registered rather than left out, so whoever points the Bot Framework Emulator here learns why it gets nothing.
    const off = () => {
      throw new HttpError(
        404,
        "not_found",
        "Bot Framework is off: this server has real channels, and without KIOSK_MS_APP_ID /api/messages would be open to anyone. Set KIOSK_MS_APP_ID and KIOSK_MS_APP_PASSWORD (and KIOSK_MS_TENANT_ID) to serve Azure Bot Service, or use the Bot Framework Emulator with a server that has no real channel (npm start)",
      );
    };
    app.post(BOTFRAMEWORK_PATH, off);
    app.post(`${BOTFRAMEWORK_PATH}/:bot`, off);
    return;
  }

  const handle = async (request: FastifyRequest, reply: FastifyReply, botId: string) => {
    const bot = bots.get(botId);
    if (!bot) throw new HttpError(404, "not_found", `no bot '${botId}' runs here; bots: ${[...bots.keys()].join(", ")}`);
    const body = request.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpError(400, "invalid_request", "the body must be a Bot Framework activity (a JSON object)");
    const raw = body as Activity;
    const header = request.headers.authorization ?? "";
    const { auth, adapter } = await botframework.load();
    let authenticated: Awaited<ReturnType<BotFrameworkRuntime["auth"]["authenticateRequest"]>>;
    try {
      authenticated = await auth.authenticateRequest(raw, header);
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      request.log.warn(`botframework: request for bot ${bot.id} refused: ${error instanceof Error ? error.message : String(error)}`);
      return reply.status(401).send({ error: { code: "unauthorized", message: "missing or invalid Bot Framework token in the Authorization header" } });
    }
    let activity: BotFrameworkActivity;
    try {
      activity = readActivity(body);
    } catch (error) {
      if (error instanceof MalformedActivityError) throw new HttpError(400, "invalid_request", error.message);
      throw error;
    }
    if (!botframework.authenticated && !loopbackUrl(raw.serviceUrl)) {
      const message = `without KIOSK_MS_APP_ID only the Bot Framework Emulator on this machine is served (a loopback serviceUrl); got '${raw.serviceUrl}'. Set KIOSK_MS_APP_ID, KIOSK_MS_APP_PASSWORD (and KIOSK_MS_TENANT_ID) to serve Azure Bot Service`;
      return reply.status(403).send({ error: { code: "forbidden", message } });
    }
    let result: TurnResult | undefined;
    await adapter.processActivityDirect(authenticated, raw, async () => {
      result = await handleActivity({ ...options, bot, activity, log: request.log });
    });
    if (activity.kind === "execute") return reply.status(200).send(await executeResponse(options.store, bot, activity, result));
    return reply.status(200).send();
  };

  app.post(BOTFRAMEWORK_PATH, (request, reply) => handle(request, reply, botframework.defaultBot));
  app.post<{ Params: { bot: string } }>(`${BOTFRAMEWORK_PATH}/:bot`, (request, reply) => handle(request, reply, request.params.bot));
}

/** The invoke response Teams shows for an `Action.Execute`: a short message in the customer's language (the replies follow in the chat). */
export interface CardActionInvokeResponse {
  readonly statusCode: 200;
  readonly type: "application/vnd.microsoft.activity.message";
  readonly value: string;
}

async function executeResponse(store: Store, bot: LoadedBot, activity: Exclude<BotFrameworkActivity, { kind: "ignored" }>, result: TurnResult | undefined): Promise<CardActionInvokeResponse> {
  const conversation = await store.transaction((tx) => tx.loadConversation({ botId: bot.id, channel: BOTFRAMEWORK_CHANNEL, userId: activity.customerId }));
  const texts = bot.textsFor(bot.localeFor(conversation?.locale ?? activity.locale));
  // A redelivered invoke was taken the first time.
  const taken = result?.status === "duplicate" || result?.accepted === true;
  const value = taken ? texts.actionReceived : activity.input?.kind === "unsupported" ? texts.notUnderstood : texts.chooseOne;
  return { statusCode: 200, type: "application/vnd.microsoft.activity.message", value };
}

async function handleActivity(context: BotFrameworkRouteOptions & { bot: LoadedBot; activity: BotFrameworkActivity; log: FastifyBaseLogger }): Promise<TurnResult | undefined> {
  const { bot, activity, runtime, store, clock, log } = context;
  if (activity.kind === "ignored") {
    // Over the bounds of activities.ts: acknowledged so the channel does not deliver it again, but no turn runs.
    if (activity.overLimit) log.warn(`botframework: activity ${activity.id ?? "(no id)"} for bot ${bot.id} not run: ${activity.reason}; acknowledged`);
    else log.debug(`botframework: activity ${activity.id ?? "(no id)"} for bot ${bot.id} ignored: ${activity.reason}`);
    return undefined;
  }
  // Kept before the turn, so its replies (sent after it commits) and later proactive messages find it.
  await store.saveBotFrameworkReference(bot.id, activity.customerId, activity.reference, clock.now());
  // Activity ids are unique within a conversation only: the key names the conversation (the customer id holds the channel and conversation).
  const key = `botframework:${bot.id}:${activity.customerId}:${activity.id ?? `no-id:${randomUUID()}`}`;
  const input = activity.kind === "welcome" ? { kind: "postback" as const, payload: "cmd:start" } : activity.input;
  if (!input) return undefined;
  // Replies name the activity they answer (replyToId); a welcome answers no message of the customer's.
  const replyTo = activity.kind === "welcome" ? undefined : activity.id;
  return runtime.handle(
    {
      key,
      botId: bot.id,
      channel: BOTFRAMEWORK_CHANNEL,
      userId: activity.customerId,
      ...(activity.locale ? { locale: activity.locale } : {}),
      ...(replyTo === undefined ? {} : { replyTo }),
      input,
    },
    { dispatch: "background" },
  );
}
