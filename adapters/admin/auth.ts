import type { FastifyReply, FastifyRequest } from "fastify";
import { apiKeyHash, type ApiKeyRow, type ApiKeyScope, type ApiKeyStore } from "../../store/index.ts";

const BEARER = /^Bearer[ \t]+([A-Za-z0-9_-]{1,256})[ \t]*$/;

/** The key each authenticated request came with. */
const keys = new WeakMap<FastifyRequest, ApiKeyRow>();

/** The key that authenticated `request` (set by `adminAuth`'s hook). */
export function keyOf(request: FastifyRequest): ApiKeyRow {
  const key = keys.get(request);
  if (key === undefined) throw new Error("admin API: a route ran without its key; register it with adminAuth");
  return key;
}

async function deny(reply: FastifyReply, status: 401 | 403, message: string): Promise<FastifyReply> {
  if (status === 401) void reply.header("www-authenticate", 'Bearer realm="kiosk-admin"');
  await reply.status(status).send({ error: { code: status === 401 ? "unauthorized" : "forbidden", message } });
  return reply;
}

/**
 * An onRequest hook for one admin route: `Authorization: Bearer <key>` must
 * name a key that is not revoked (else 401), of the path's bot and, for a
 * route that changes data, of scope `write` (else 403). Runs before the body
 * is read; a refused request changes nothing. The key is looked up by its
 * SHA-256 hash (see store/api-keys.ts), never compared or logged as text.
 */
export function adminAuth(store: ApiKeyStore, scope: ApiKeyScope): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (request, reply) => {
    const header = request.headers.authorization;
    const given = typeof header === "string" ? BEARER.exec(header)?.[1] : undefined;
    if (given === undefined) {
      return deny(reply, 401, "send the key as Authorization: Bearer <key>; create one with kiosk keys create --bot <id> --scope read|write");
    }
    const key = await store.apiKeyByHash(apiKeyHash(given));
    if (key === undefined || key.revokedAt !== null) {
      return deny(reply, 401, "this key is unknown or revoked; see kiosk keys list, or create another with kiosk keys create");
    }
    const bot = (request.params as { bot?: unknown } | undefined)?.bot;
    if (bot !== key.botId) return deny(reply, 403, `this key is for bot '${key.botId}', not '${String(bot)}'`);
    if (scope === "write" && key.scope !== "write") return deny(reply, 403, "this route changes data and needs a key of scope write; this key is read only");
    keys.set(request, key);
    return undefined;
  };
}
