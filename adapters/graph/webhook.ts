/**
 * What Messenger and WhatsApp share on the server: Meta's verification
 * handshake, the X-Hub-Signature-256 check, the bots' Graph API clients
 * built from KIOSK_* settings, and the checkout link an invoice opens.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { envName, type GraphEndpoint } from "./api.ts";
import { handshakeChallenge, signatureMatches, type HandshakeQuery } from "./signature.ts";
import { CommerceError } from "../../commerce/index.ts";
import type { LoadedBot } from "../../flows/index.ts";
import type { PaymentLinks } from "../channel.ts";
import { ConfigError } from "../errors.ts";
import { HttpError } from "../errors.ts";
import type { MetaConfig } from "./config.ts";

/** The settings every Graph webhook needs, checked. */
export interface GraphWebhookSecrets {
  readonly appSecret: string;
  readonly verifyToken: string;
}

export function graphEndpoint(config: MetaConfig): GraphEndpoint {
  return { base: config.apiBase, version: config.apiVersion };
}

/** The app secret and verify token; a `ConfigError` naming what to set when one is missing. */
export function webhookSecrets(config: MetaConfig): GraphWebhookSecrets {
  const problems: string[] = [];
  if (config.appSecret === undefined) problems.push("KIOSK_META_APP_SECRET (or 'meta.appSecret' in kiosk.config.ts) must be set to the App Secret (App settings → Basic) that signs webhooks");
  if (config.verifyToken === undefined) problems.push("KIOSK_META_VERIFY_TOKEN (or 'meta.verifyToken' in kiosk.config.ts) must be set to the Verify Token you type in the app's Webhooks settings");
  if (problems.length > 0 || config.appSecret === undefined || config.verifyToken === undefined) throw new ConfigError(problems);
  return { appSecret: config.appSecret, verifyToken: config.verifyToken };
}

/** Maps settings keyed by KIOSK_ spelling (CAFE) to loaded bot ids; a `ConfigError` for one naming no loaded bot. */
export function byBot<T>(entries: Readonly<Record<string, T>>, bots: readonly LoadedBot[], variable: (name: string) => string, example: (botId: string) => string): Map<string, T> {
  const ids = new Map(bots.map((b) => [envName(b.id), b.id] as const));
  const out = new Map<string, T>();
  const problems: string[] = [];
  for (const [name, value] of Object.entries(entries)) {
    const id = ids.get(name);
    if (id === undefined) problems.push(`${variable(name)} names no loaded bot; loaded bots take ${bots.map((b) => example(b.id)).join(", ")}`);
    else out.set(id, value);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
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

/**
 * An order's hosted checkout link for a channel without native payments:
 * undefined when checkout is off or the order can no longer be paid (the
 * invoice is then shown as text); throws when the provider failed (the
 * outbox retries).
 */
export function checkoutLinks(checkout: () => PaymentLinks | undefined): (orderId: string) => Promise<string | undefined> {
  return async (orderId) => {
    const service = checkout();
    if (!service) return undefined;
    try {
      return await service.link(orderId);
    } catch (error) {
      if (error instanceof CommerceError && error.code === "not_payable") return undefined;
      throw error;
    }
  };
}

