import { ChannelSendError } from "../../core/send-error.ts";

/** Where the Graph API is and which version to call; tests point `base` at a fake. */
export interface GraphEndpoint {
  /** Without a trailing slash. Default https://graph.facebook.com. */
  readonly base: string;
  /** Like v21.0. */
  readonly version: string;
}

export const DEFAULT_GRAPH: GraphEndpoint = { base: "https://graph.facebook.com", version: "v21.0" };

/** The error object of a Graph API answer: `{ error: { message, type, code, error_subcode, error_data, fbtrace_id } }`. */
export interface GraphErrorBody {
  readonly message?: string;
  readonly type?: string;
  readonly code?: number;
  readonly error_subcode?: number;
  readonly is_transient?: boolean;
  readonly error_data?: unknown;
}

/** Graph error codes that mean "too many calls, wait": app/user/page throttling, Messenger's 613, WhatsApp's 130429, 131056, 80007. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80006, 80007, 130429, 131056]);
/** Codes for a temporary failure on Meta's side: unknown error, service unavailable, WhatsApp's 131000/131016. */
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016]);

/**
 * Turns a failed Graph API call into what the outbox needs: a rate limit
 * (HTTP 429 or a throttling code) waits, a 5xx or transient error is
 * retried, anything else (a blocked page, an expired window, a bad
 * parameter) is rejected for good with Meta's code and message.
 */
export function graphSendError(status: number, body: unknown, what: string, retryAfterHeader?: string | null): ChannelSendError {
  const error: GraphErrorBody = typeof body === "object" && body !== null && "error" in body && typeof body.error === "object" && body.error !== null ? (body.error as GraphErrorBody) : {};
  const code = typeof error.code === "number" ? error.code : undefined;
  const detail = `${status}${code === undefined ? "" : ` (#${code}${error.error_subcode === undefined ? "" : `/${error.error_subcode}`})`} ${error.message ?? "no error message"}`;
  const message = `${what}: ${detail}`;
  if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    const seconds = Number(retryAfterHeader);
    return new ChannelSendError("rate_limited", message, { retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000, cause: error });
  }
  if (status >= 500 || error.is_transient === true || (code !== undefined && TRANSIENT_CODES.has(code))) return new ChannelSendError("unavailable", message, { cause: error });
  return new ChannelSendError("rejected", message, { cause: error });
}

/**
 * POSTs JSON to the Graph API and returns the parsed answer; throws a
 * `ChannelSendError` for an error answer, and `unavailable` for a network
 * failure or a timeout.
 */
export async function graphPost(url: string, body: unknown, options: { readonly what: string; readonly headers?: Record<string, string>; readonly signal?: AbortSignal; readonly timeoutMs?: number }): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...options.headers }, body: JSON.stringify(body), signal });
    text = await response.text();
  } catch (error) {
    throw new ChannelSendError("unavailable", `${options.what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw graphSendError(response.status, parsed, options.what, response.headers.get("retry-after"));
  return parsed;
}

/** The part of KIOSK_MESSENGER_<BOT>_… that names a bot: its id in capitals, other characters as `_`. */
export function envName(botId: string): string {
  return botId.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/** Cuts text to `max` characters (code points), ending with "…" when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Money in minor units as the currency writes it, e.g. 320 EUR → "€3.20". */
export { formatMoney } from "../../commerce/index.ts";
