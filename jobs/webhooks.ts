/**
 * Signed outbound webhooks: each merchant event of a bot with a webhook
 * (store/ports/events.ts) is POSTed to the shop's own system, signed the way
 * Stripe signs its webhooks, at least once, retried with backoff, and given
 * up (kept and listed by `kiosk webhooks`) after `maxAttempts`.
 */
import { createHash, createHmac } from "node:crypto";
import type { MerchantEvent, Store, WebhookDelivery } from "../store/index.ts";
import type { Clock } from "./clock.ts";

/** Where one bot's events go, and the secret they are signed with. */
export interface WebhookEndpoint {
  readonly botId: string;
  /** https (http only to a loopback host). */
  readonly url: string;
  /** The HMAC-SHA256 key; never logged nor written to the store. */
  readonly secret: string;
  /** How long one attempt may take, in ms; default 10 s. */
  readonly timeoutMs?: number;
}

/** The header a receiver verifies: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = "Kiosk-Signature";
export const WEBHOOK_USER_AGENT = "Kiosk-Webhooks/1";
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** Attempts before a delivery is given up. */
export const WEBHOOK_MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 60 * 60_000;
/** How far a retry's wait may stray from the schedule, either way, so receivers that come back are not hit all at once. */
const JITTER = 0.2;
/** Past an attempt's timeout, how long a claimed delivery stays leased (a crash mid-send retries it after). */
const LEASE_MARGIN_MS = 60_000;

/** The JSON body of an event, as sent and signed: `{ id, type, created, bot, data }`. */
export function webhookBody(event: MerchantEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, created: event.created.toISOString(), bot: event.botId, data: event.data });
}

/**
 * The `Kiosk-Signature` value for `body` sent at `t` (unix seconds).
 *
 * @example
 * signWebhook("whsec_…", '{"id":"evt_1",…}', 1767225600) // "t=1767225600,v1=5f0c…"
 */
export function signWebhook(secret: string, body: string, t: number): string {
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

/** The wait before the next attempt after `attempt` failed ones, before jitter: 10 s, 20 s, 40 s, … at most 1 h. */
export function webhookRetryDelayMs(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_MS);
}

/** A short key of a receiver's URL: a new URL starts from the bot's latest event (see `WebhookStore.enqueueWebhookEvents`). */
export function endpointKey(url: string): string {
  return createHash("sha256").update(url).digest("hex").slice(0, 16);
}

export interface WebhookDelivererOptions {
  readonly store: Store;
  /** The server's clock: when a delivery is due and when it is retried. */
  readonly clock: Clock;
  readonly endpoints: readonly WebhookEndpoint[];
  /** Attempts before giving up; default 12. */
  readonly maxAttempts?: number;
  /** The wait after `attempt` failed attempts, before jitter; default `webhookRetryDelayMs`. */
  readonly backoffMs?: (attempt: number) => number;
  /** In [0, 1); default Math.random. */
  readonly random?: () => number;
  /**
   * Wall-clock unix ms for the signature's `t`; default Date.now. Not the
   * server's clock: the emulator's clock may run ahead of real time, and a
   * receiver compares `t` with its own.
   */
  readonly wallClock?: () => number;
  readonly batchSize?: number;
  /** Told about each delivery given up, for the log (the event id, type and last error: no body, no secret). */
  readonly onGaveUp?: (delivery: WebhookDelivery, error: string) => void;
}

/** What one attempt came to: delivered, or why not (a status code, a timeout, a network error: never the body nor the secret). */
type Attempt = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * Delivers merchant events to the bots' webhooks. `runDue()` first gives
 * each new event of a configured bot a pending delivery, then sends every
 * delivery that is due, one at a time, oldest event first. No order is
 * promised (as with Stripe): a failed delivery is retried on its own
 * schedule while later events go out; receivers order by `created` (or the
 * id's number) and dedupe by `id`.
 */
export class WebhookDeliverer {
  readonly #options: WebhookDelivererOptions;
  readonly #endpoints: ReadonlyMap<string, WebhookEndpoint>;
  #running: Promise<number> | undefined;
  #stopped = false;

  constructor(options: WebhookDelivererOptions) {
    this.#options = options;
    this.#endpoints = new Map(options.endpoints.map((e) => [e.botId, e] as const));
  }

  /** Whether any bot has a webhook. */
  get configured(): boolean {
    return this.#endpoints.size > 0;
  }

  /** Starts no more deliveries (a shutdown); the one in flight finishes, the rest stay due for the next start. */
  stop(): void {
    this.#stopped = true;
  }

  /** The run in flight, if any, settled. */
  settled(): Promise<unknown> {
    return this.#running?.catch(() => undefined) ?? Promise.resolve();
  }

  /** Starts a run unless one is in flight (the runtime's tick: it does not wait for receivers). */
  runIfIdle(signal?: AbortSignal): Promise<number> {
    return this.#running ?? this.runDue(signal);
  }

  /** Sends everything due now, after the run in flight if any; returns how many deliveries were made. `signal` cuts the attempt in flight. */
  async runDue(signal?: AbortSignal): Promise<number> {
    const previous = this.#running;
    const run = (async () => {
      await previous?.catch(() => undefined);
      return this.#run(signal);
    })();
    this.#running = run;
    try {
      return await run;
    } finally {
      if (this.#running === run) this.#running = undefined;
    }
  }

  async #run(signal: AbortSignal | undefined): Promise<number> {
    if (this.#stopped || !this.configured) return 0;
    const { store, clock } = this.#options;
    const batch = this.#options.batchSize ?? 50;
    for (const endpoint of this.#endpoints.values()) {
      // Bounded: a backlog is taken in batches, at most 20 a run; the rest on the next tick.
      for (let i = 0; i < 20; i++) if ((await store.enqueueWebhookEvents(endpoint.botId, endpointKey(endpoint.url), clock.now(), batch)) < batch) break;
    }
    const longest = Math.max(...[...this.#endpoints.values()].map((e) => e.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS));
    const bots = [...this.#endpoints.keys()];
    let delivered = 0;
    // One claimed at a time, so its lease (an attempt's timeout and a margin) covers only its own send. Bounded by the batch.
    for (let i = 0; i < batch && !signal?.aborted && !this.#stopped; i++) {
      const now = clock.now();
      const [delivery] = await store.claimWebhookDeliveries(bots, now, new Date(now.getTime() + longest + LEASE_MARGIN_MS), 1);
      if (!delivery) break;
      if (await this.#deliver(delivery, signal)) delivered++;
    }
    return delivered;
  }

  async #deliver(delivery: WebhookDelivery, signal: AbortSignal | undefined): Promise<boolean> {
    const { store, clock } = this.#options;
    const endpoint = this.#endpoints.get(delivery.event.botId);
    if (!endpoint) return false;
    const attempt = await this.#post(endpoint, delivery.event, signal);
    if (attempt.ok) {
      await store.markWebhookDelivered(delivery.event.id, clock.now());
      return true;
    }
    const attempts = delivery.attempts + 1;
    if (attempts >= (this.#options.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS)) {
      await store.giveUpWebhookDelivery(delivery.event.id, attempt.error, clock.now());
      this.#options.onGaveUp?.(delivery, attempt.error);
      return false;
    }
    const base = (this.#options.backoffMs ?? webhookRetryDelayMs)(attempts);
    const jitter = 1 + JITTER * (2 * (this.#options.random ?? Math.random)() - 1);
    await store.retryWebhookDelivery(delivery.event.id, attempt.error, new Date(clock.now().getTime() + Math.round(base * jitter)), clock.now());
    return false;
  }

  async #post(endpoint: WebhookEndpoint, event: MerchantEvent, signal: AbortSignal | undefined): Promise<Attempt> {
    const body = webhookBody(event);
    const t = Math.floor((this.#options.wallClock ?? Date.now)() / 1000);
    const timeoutMs = endpoint.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const host = new URL(endpoint.url).host;
    try {
      const response = await fetch(endpoint.url, {
        method: "POST",
        headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signWebhook(endpoint.secret, body, t), "user-agent": WEBHOOK_USER_AGENT },
        body,
        redirect: "manual",
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      // The answer's body is not read: only the status counts.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true };
      return { ok: false, error: `HTTP ${response.status} from ${host}` };
    } catch (error) {
      if (timeout.aborted) return { ok: false, error: `no answer from ${host} within ${timeoutMs} ms` };
      if (signal?.aborted) return { ok: false, error: `cut at shutdown while sending to ${host}` };
      return { ok: false, error: `could not reach ${host}: ${networkReason(error)}` };
    }
  }
}

/** A network error's reason, as a code (ECONNREFUSED, ENOTFOUND) where Node gives one: never a URL or a header. */
function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined;
  return code ?? (error instanceof Error ? error.name : "unknown error");
}
