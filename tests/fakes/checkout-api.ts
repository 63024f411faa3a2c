/**
 * A fake of the hosted checkout API (Stripe's) on 127.0.0.1, real HTTP, for
 * tests: it records every call with its headers, answers
 * `POST /v1/checkout/sessions` the way the API does (form-encoded params in,
 * a `checkout.session` out, the same session again for a repeated
 * Idempotency-Key) and `POST /v1/checkout/sessions/:id/expire` (an open
 * session expires, any other is refused with 400), and signs and delivers webhook events the way the
 * provider does (`Stripe-Signature: t=…,v1=…` over `t.payload`).
 */
import type { CheckoutSettings } from "../../adapters/checkout/config.ts";
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import { loopbackUrl, startFake } from "./loopback.ts";
import Stripe from "stripe";

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly idempotencyKey: string | undefined;
  /** The form-encoded params, decoded into objects and arrays (`line_items[0][quantity]` → `line_items[0].quantity`). */
  readonly params: Record<string, unknown>;
}

/** The fields of a `checkout.session` this fake fills in; enough for Kiosk and the SDK. */
export interface FakeSession {
  readonly id: string;
  readonly object: "checkout.session";
  readonly mode: string;
  readonly status: "open" | "complete" | "expired";
  readonly payment_status: "unpaid" | "paid";
  readonly amount_subtotal: number;
  readonly amount_total: number;
  readonly currency: string;
  readonly client_reference_id: string | null;
  readonly metadata: Record<string, string>;
  readonly payment_intent: string | null;
  readonly success_url: string | null;
  readonly cancel_url: string | null;
  readonly url: string | null;
  readonly created: number;
  readonly expires_at: number;
  readonly livemode: false;
}

export interface DeliverOptions {
  /** Sign with this secret instead of the endpoint's. */
  readonly secret?: string;
  /** The signature's time in Unix seconds; now by default. */
  readonly timestamp?: number;
  /** Send no Stripe-Signature header at all. */
  readonly unsigned?: boolean;
  /** Changes the body after it was signed (e.g. re-serialized), as a proxy might. */
  readonly alter?: (raw: string) => string;
}

export interface Delivery {
  readonly status: number;
  readonly body: unknown;
  /** The exact bytes sent, for replaying. */
  readonly raw: string;
  readonly signature: string | undefined;
}

type Node = Record<string, unknown>;

/** Decodes `a[b][0][c]=x` pairs into nested objects, then objects keyed 0..n-1 into arrays. */
export function decodeForm(body: string): Record<string, unknown> {
  const root: Node = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((part) => part !== "");
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next === "object" && next !== null) node = next as Node;
      else {
        const created: Node = {};
        node[part] = created;
        node = created;
      }
    });
  }
  const arrays = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null) return value;
    const entries = Object.entries(value as Node).map(([k, v]) => [k, arrays(v)] as const);
    const isList = entries.length > 0 && entries.every(([k], i) => k === String(i));
    return isList ? entries.map(([, v]) => v) : Object.fromEntries(entries);
  };
  return arrays(root) as Record<string, unknown>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

function asList(value: unknown): Node[] {
  return Array.isArray(value) ? value.filter((v): v is Node => typeof v === "object" && v !== null) : [];
}

function stripeError(status: number, type: string, message: string, code?: string) {
  return { status, body: { error: { type, message, ...(code ? { code } : {}) } } };
}

export class FakeCheckoutApi {
  readonly calls: RecordedCall[] = [];
  readonly sessions = new Map<string, FakeSession>();
  /** PaymentIntent id → what it took and what was refunded of it. */
  readonly #intents = new Map<string, { amount: number; refunded: number }>();
  /** Refunds made (`POST /v1/refunds`), in order. */
  readonly refunds: Array<{ id: string; payment_intent: string; amount: number }> = [];
  /** Idempotency-Key → the params it was first used with and the answer given. */
  readonly #idempotent = new Map<string, { params: string; status: number; body: unknown }>();

  private constructor(
    private readonly server: Server,
    readonly apiKey: string,
    readonly webhookSecret: string,
  ) {}

  /** `http://127.0.0.1:<port>`: give it to Kiosk as KIOSK_CHECKOUT_API_BASE. */
  /** The hosted checkout's settings that point Kiosk at this fake (see adapters/checkout/config.ts). */
  settings(publicUrl = "https://shop.example"): CheckoutSettings {
    return { apiKey: this.apiKey, webhookSecret: this.webhookSecret, apiBase: this.url, publicUrl };
  }

  get url(): string {
    return loopbackUrl(this.server);
  }

  static start(options: { apiKey?: string; webhookSecret?: string } = {}): Promise<FakeCheckoutApi> {
    return startFake(
      (server) => new FakeCheckoutApi(server, options.apiKey ?? "sk_test_kiosk_fake", options.webhookSecret ?? "whsec_kiosk_fake"),
      (fake, request, response) => fake.#serve(request, response),
    );
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = this.#answer(request.method ?? "GET", request.url ?? "/", request.headers, Buffer.concat(chunks).toString("utf8"));
    response.writeHead(answer.status, { "content-type": "application/json", "request-id": id("req") });
    response.end(JSON.stringify(answer.body));
  }

  /** How many more expire calls answer 500 (a provider outage), to test retries. */
  failExpires = 0;

  /** Calls that asked to expire a session (`POST /v1/checkout/sessions/:id/expire`). */
  get sessionExpires(): RecordedCall[] {
    return this.calls.filter((c) => c.method === "POST" && /^\/v1\/checkout\/sessions\/[^/]+\/expire$/.test(c.path));
  }

  /** Calls that created sessions. */
  get sessionCreates(): RecordedCall[] {
    return this.calls.filter((c) => c.method === "POST" && c.path === "/v1/checkout/sessions");
  }

  #answer(method: string, url: string, headers: IncomingHttpHeaders, body: string): { status: number; body: unknown } {
    const path = url.split("?")[0] ?? url;
    const key = typeof headers["idempotency-key"] === "string" ? headers["idempotency-key"] : undefined;
    const params = decodeForm(body);
    this.calls.push({ method, path, headers, idempotencyKey: key, params });
    if (headers.authorization !== `Bearer ${this.apiKey}`) return stripeError(401, "invalid_request_error", "Invalid API Key provided.");
    if (method === "POST" && path === "/v1/checkout/sessions") {
      if (key !== undefined) {
        const earlier = this.#idempotent.get(key);
        if (earlier) {
          if (earlier.params !== body) {
            return stripeError(400, "idempotency_error", `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}'.`);
          }
          return { status: earlier.status, body: earlier.body };
        }
      }
      const answer = this.#createSession(params);
      if (key !== undefined) this.#idempotent.set(key, { params: body, ...answer });
      return answer;
    }
    const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    if (method === "POST" && expire?.[1] !== undefined) {
      if (this.failExpires > 0) {
        this.failExpires--;
        return stripeError(500, "api_error", "An unknown error occurred.");
      }
      const earlier = key === undefined ? undefined : this.#idempotent.get(key);
      if (earlier) return { status: earlier.status, body: earlier.body };
      const answer = this.#expireSession(decodeURIComponent(expire[1]));
      if (key !== undefined) this.#idempotent.set(key, { params: body, ...answer });
      return answer;
    }
    if (method === "POST" && path === "/v1/refunds") {
      const earlier = key === undefined ? undefined : this.#idempotent.get(key);
      if (earlier) return { status: earlier.status, body: earlier.body };
      const answer = this.#refund(params);
      if (key !== undefined) this.#idempotent.set(key, { params: body, ...answer });
      return answer;
    }
    const retrieve = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === "GET" && retrieve?.[1] !== undefined) {
      const session = this.sessions.get(decodeURIComponent(retrieve[1]));
      return session ? { status: 200, body: session } : stripeError(404, "invalid_request_error", `No such checkout.session: '${retrieve[1]}'`, "resource_missing");
    }
    return stripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  #createSession(params: Record<string, unknown>): { status: number; body: unknown } {
    const lines = asList(params.line_items);
    if (params.mode !== "payment") return stripeError(400, "invalid_request_error", "Missing required param: mode.", "parameter_missing");
    if (lines.length === 0) return stripeError(400, "invalid_request_error", "Missing required param: line_items.", "parameter_missing");
    let total = 0;
    const currencies = new Set<string>();
    for (const line of lines) {
      const price = (line.price_data ?? {}) as Node;
      const unit = Number(price.unit_amount);
      const quantity = Number(line.quantity);
      if (!Number.isInteger(unit) || unit < 0 || !Number.isInteger(quantity) || quantity < 1) {
        return stripeError(400, "invalid_request_error", "Invalid integer: line_items[].price_data.unit_amount and quantity must be integers.", "parameter_invalid_integer");
      }
      currencies.add(String(price.currency));
      total += unit * quantity;
    }
    const [currency] = currencies;
    if (currencies.size !== 1 || currency === undefined || currency !== currency.toLowerCase()) {
      return stripeError(400, "invalid_request_error", "All line items must use one lowercase currency.");
    }
    const now = Math.floor(Date.now() / 1000);
    const sessionId = `cs_test_${randomBytes(16).toString("hex")}`;
    const session: FakeSession = {
      id: sessionId,
      object: "checkout.session",
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      amount_subtotal: total,
      amount_total: total,
      currency,
      client_reference_id: typeof params.client_reference_id === "string" ? params.client_reference_id : null,
      metadata: Object.fromEntries(Object.entries((params.metadata ?? {}) as Node).map(([k, v]) => [k, String(v)])),
      payment_intent: null,
      success_url: typeof params.success_url === "string" ? params.success_url : null,
      cancel_url: typeof params.cancel_url === "string" ? params.cancel_url : null,
      url: `${this.url}/c/pay/${sessionId}`,
      created: now,
      expires_at: now + 24 * 3600,
      livemode: false,
    };
    this.sessions.set(sessionId, session);
    return { status: 200, body: session };
  }

  /** Expires an open session as the API does; a session that is not open is refused with 400. */
  #expireSession(sessionId: string): { status: number; body: unknown } {
    const session = this.sessions.get(sessionId);
    if (!session) return stripeError(404, "invalid_request_error", `No such checkout.session: '${sessionId}'`, "resource_missing");
    if (session.status !== "open") return stripeError(400, "invalid_request_error", `Only Checkout Sessions with a status in ["open"] can be expired; this one is ${session.status}.`);
    const expired: FakeSession = { ...session, status: "expired", url: null };
    this.sessions.set(sessionId, expired);
    return { status: 200, body: expired };
  }

  /** The session as the customer's payment leaves it: complete, paid, with a PaymentIntent; `changes` override any field. */
  paid(sessionId: string, changes: Partial<FakeSession> = {}): FakeSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`the fake has no session ${sessionId}; it has ${[...this.sessions.keys()].join(", ") || "none"}`);
    const done: FakeSession = { ...session, status: "complete", payment_status: "paid", payment_intent: id("pi"), url: null, ...changes };
    this.sessions.set(sessionId, done);
    if (done.payment_intent !== null) this.#intents.set(done.payment_intent, { amount: done.amount_total, refunded: 0 });
    return done;
  }

  /** A refund of (part of) a PaymentIntent, as the API answers it: never more than it took. */
  #refund(params: Record<string, unknown>): { status: number; body: unknown } {
    const intentId = typeof params.payment_intent === "string" ? params.payment_intent : "";
    const intent = this.#intents.get(intentId);
    if (!intent) return stripeError(404, "invalid_request_error", `No such payment_intent: '${intentId}'`, "resource_missing");
    const amount = params.amount === undefined ? intent.amount - intent.refunded : Number(params.amount);
    if (intent.refunded >= intent.amount) return stripeError(400, "invalid_request_error", `Charge for ${intentId} has already been refunded.`, "charge_already_refunded");
    if (!Number.isInteger(amount) || amount < 1 || intent.refunded + amount > intent.amount) {
      return stripeError(400, "invalid_request_error", `Refund amount (${amount}) is greater than unrefunded amount on charge (${intent.amount - intent.refunded})`, "amount_too_large");
    }
    intent.refunded += amount;
    const refund = { id: id("re"), payment_intent: intentId, amount };
    this.refunds.push(refund);
    return { status: 200, body: { ...refund, object: "refund", currency: "eur", status: "succeeded" } };
  }

  /** A webhook event around `object`, as the provider sends it (pretty-printed JSON). */
  event(type: string, object: unknown, eventId = id("evt")): string {
    const event = {
      id: eventId,
      object: "event",
      api_version: "2025-01-27.acacia",
      created: Math.floor(Date.now() / 1000),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    return JSON.stringify(event, null, 2);
  }

  /** The Stripe-Signature header for `raw`, signed by the SDK's own test helper. */
  sign(raw: string, options: { secret?: string; timestamp?: number } = {}): string {
    return Stripe.webhooks.generateTestHeaderString({
      payload: raw,
      secret: options.secret ?? this.webhookSecret,
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
    });
  }

  /** Signs `raw` and POSTs it to Kiosk's webhook URL, as the provider delivers an event. */
  async deliver(webhookUrl: string, raw: string, options: DeliverOptions = {}): Promise<Delivery> {
    const signature = options.unsigned ? undefined : this.sign(raw, options);
    const sent = options.alter ? options.alter(raw) : raw;
    const response = await fetch(webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        ...(signature === undefined ? {} : { "stripe-signature": signature }),
      },
      body: sent,
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, body, raw: sent, signature };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
