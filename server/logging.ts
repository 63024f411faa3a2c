import type { FastifyRequest, FastifyServerOptions } from "fastify";
import { stdSerializers, type LoggerOptions } from "pino";

/**
 * What the server's log may carry: no secret and no personal data.
 *
 * - Request URLs lose their query values: Meta's verification handshake
 *   carries the verify token in `hub.verify_token`, and no route needs a
 *   query value in the log to be understood (`?hub.mode=…&hub.verify_token=…`).
 * - Errors lose grammY's `payload` (the Bot API call's parameters: the
 *   message text, the chat id) and any Telegram bot token or bearer token in
 *   their texts (a failed fetch names `https://api.telegram.org/bot<token>/…`).
 * - Messages (the log line's text) lose tokens the same way, admin API
 *   keys (`kiosk_<bot>_…`) included.
 * Phone numbers are masked where the lines are written (see
 * adapters/log-redaction.ts): a generic rule cannot tell them from ids.
 */

const REDACTED = "…";
/** A Telegram bot token: `<bot id>:<35 characters>`, as it appears in Bot API URLs (`/bot<token>/`). */
const TELEGRAM_TOKEN = /(\d{5,}):[A-Za-z0-9_-]{30,}/g;
/** An Authorization header's value. */
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/** An admin API key (store/api-keys.ts): `kiosk_<bot>_` and 43 base64url characters. */
const ADMIN_KEY = /\bkiosk_[A-Za-z0-9_-]{44,}/g;

/** `text` without tokens. */
export function scrubSecrets(text: string): string {
  return text.replace(TELEGRAM_TOKEN, "$1:<token>").replace(BEARER, "$1 <redacted>").replace(ADMIN_KEY, "kiosk_<redacted>");
}

/** A URL as the log shows it: path as is, each query parameter's name with its value replaced. */
export function redactQuery(url: string): string {
  const at = url.indexOf("?");
  if (at < 0) return url;
  const names = url
    .slice(at + 1)
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => `${pair.split("=")[0] ?? ""}=${REDACTED}`);
  return `${url.slice(0, at)}?${names.join("&")}`;
}

/** Properties of errors that carry a call's parameters (grammY's GrammyError.payload: message text, chat id). */
const DROPPED_ERROR_KEYS = new Set(["payload"]);

function scrubValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (typeof value !== "object" || value === null || depth > 6 || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (DROPPED_ERROR_KEYS.has(key)) continue;
    out[key] = scrubValue(v, depth + 1, seen);
  }
  return out;
}

/** pino's error serializer, then without payloads and tokens (nested errors included). */
export function serializeError(error: unknown): unknown {
  return scrubValue(stdSerializers.err(error as Error), 0, new WeakSet());
}

/** The request as the log shows it: Fastify's usual fields, the URL without query values. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactQuery(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** Pino options that keep every log line (the server's and each request's) free of tokens and query values. */
export const SAFE_LOGGING: Pick<LoggerOptions, "serializers" | "hooks"> = {
  serializers: { req: serializeRequest as (value: unknown) => unknown, err: serializeError },
  hooks: {
    logMethod(args, method) {
      // The line's text (and format arguments): scrubbed like error texts.
      const scrubbed = args.map((arg) => (typeof arg === "string" ? scrubSecrets(arg) : arg)) as Parameters<typeof method>;
      method.apply(this, scrubbed);
    },
  },
};

/** Fastify's logger option with the safe serializers added; false stays false. */
export function safeLogger(logger: FastifyServerOptions["logger"]): FastifyServerOptions["logger"] {
  if (logger === undefined || logger === false) return false;
  const base = logger === true ? {} : (logger as LoggerOptions);
  return { ...base, serializers: { ...base.serializers, ...SAFE_LOGGING.serializers }, hooks: { ...base.hooks, ...SAFE_LOGGING.hooks } };
}
