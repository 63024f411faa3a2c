import Stripe from "stripe";
import { CommerceError } from "../errors.ts";
import { paymentAmountProblem } from "../money.ts";
import type { Order } from "../order.ts";
import type { PaymentProvider, PaymentReport } from "../payment.ts";

/** Seconds a `Stripe-Signature` timestamp may be old: Stripe's own default. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

import { checkEvent, type CheckedEvent, type CheckoutSessionObject } from "./events.ts";
import { CHECKOUT_PROVIDER } from "./provider-id.ts";

export { CHECKOUT_PROVIDER };

/** The checkout session kept for an order; asking for its link again returns it. */
export interface KeptCheckoutSession {
  readonly orderId: string;
  readonly provider: string;
  readonly sessionId: string;
  readonly url: string;
  readonly createdAt: Date;
}

/** Where sessions are kept (the store implements it). */
export interface CheckoutSessionStore {
  checkoutSession(orderId: string): Promise<KeptCheckoutSession | undefined>;
  /** Keeps a session; when one is kept already for the order, returns that one. */
  saveCheckoutSession(session: KeptCheckoutSession): Promise<KeptCheckoutSession>;
}

export interface CheckoutProviderOptions {
  /** The secret API key (`sk_…` or a restricted `rk_…`). */
  readonly apiKey: string;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  readonly webhookSecret: string;
  /** Where the API is: `https://api.stripe.com` by default; tests point it at a local fake. */
  readonly apiBase?: string;
  /** Where the customer lands after paying / giving up; `{order}` is replaced by the order id. */
  readonly successUrl: string;
  readonly cancelUrl: string;
  readonly sessions: CheckoutSessionStore;
  /** Per API call, in ms (default 20 s). */
  readonly timeoutMs?: number;
  /** Retries of a failed API call, each with the same Idempotency-Key (default 2). */
  readonly maxNetworkRetries?: number;
  /** Wall-clock ms for the signature's age; `Date.now` unless a test says otherwise. */
  readonly now?: () => number;
}

/** Metadata keys Kiosk puts on every session: the order and the conversation that pays it. */
export interface CheckoutMetadata {
  readonly kiosk_order: string;
  readonly kiosk_bot: string;
  readonly kiosk_channel: string;
  readonly kiosk_user: string;
}

/**
 * What a verified webhook event means for Kiosk: a payment report for an
 * order (with the conversation the session was created for), or nothing to do.
 */
export type CheckoutEventMeaning =
  | { readonly kind: "payment"; readonly eventId: string; readonly report: PaymentReport; readonly metadata: CheckoutMetadata }
  | { readonly kind: "ignored"; readonly eventId: string; readonly reason: string };

/** The API's host, port and protocol from a base URL such as `http://127.0.0.1:4242`. */
export function apiTarget(apiBase: string): { host: string; port: number; protocol: "http" | "https" } {
  const url = new URL(apiBase);
  const protocol = url.protocol === "http:" ? "http" : "https";
  const port = url.port === "" ? (protocol === "http" ? 80 : 443) : Number(url.port);
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port, protocol };
}

/** The key that makes creating an order's session safe to retry: one order, one session. */
export function checkoutIdempotencyKey(orderId: string): string {
  return `kiosk-checkout-${orderId}`;
}

/** The key that makes expiring a session safe to retry. */
export function expireIdempotencyKey(sessionId: string): string {
  return `kiosk-checkout-expire-${sessionId}`;
}

/** What asking the provider to expire a session did: expired it, or refused for good (e.g. it is complete or expired already). */
export type ExpireOutcome = { readonly kind: "expired" } | { readonly kind: "refused"; readonly reason: string };

/** The Idempotency-Key of a payment's refund: asking again (after a crash or a timeout) never refunds twice. */
export function refundIdempotencyKey(paymentReference: string): string {
  return `kiosk-refund-${paymentReference}`;
}

/** What asking the provider for a refund did: refunded (its refund id), refunded before, or refused for good. */
export type RefundOutcome = { readonly kind: "refunded"; readonly refundId: string } | { readonly kind: "already_refunded"; readonly reason: string } | { readonly kind: "refused"; readonly reason: string };

function lineName(item: Order["items"][number]): string {
  return item.optionLabels.length > 0 ? `${item.name} (${item.optionLabels.join(", ")})` : item.name;
}

/**
 * The session's parameters for an order: one line item per order line in
 * minor units. They depend on the order alone, so a retried create (same
 * Idempotency-Key) sends the same parameters, as the API requires.
 */
export function sessionParams(order: Order, urls: { successUrl: string; cancelUrl: string }): Stripe.Checkout.SessionCreateParams {
  const lines = order.items.map((item) => {
    // A line whose total is not quantity × unit price (a rounding, a line discount) is sold as one unit of its total.
    const whole = item.unitPrice * item.quantity === item.lineTotal;
    return {
      quantity: whole ? item.quantity : 1,
      price_data: {
        currency: order.currency.toLowerCase(),
        unit_amount: whole ? item.unitPrice : item.lineTotal,
        product_data: { name: whole ? lineName(item) : `${item.quantity} × ${lineName(item)}` },
      },
    };
  });
  const badTotal = paymentAmountProblem(order.total);
  if (badTotal !== undefined) {
    throw new CommerceError("not_payable", `order ${order.id}: its total ${badTotal}; a checkout session cannot charge it`, { orderId: order.id });
  }
  const sum = order.items.reduce((total, item) => total + item.lineTotal, 0);
  if (sum !== order.total) {
    throw new CommerceError("provider_error", `order ${order.id}: its lines add up to ${sum} but its total is ${order.total} ${order.currency}; a checkout session would charge the lines`, {
      orderId: order.id,
    });
  }
  const metadata: CheckoutMetadata = { kiosk_order: order.id, kiosk_bot: order.botId, kiosk_channel: order.channel, kiosk_user: order.userId };
  const fill = (template: string) => template.replaceAll("{order}", encodeURIComponent(order.id));
  return {
    mode: "payment",
    line_items: lines,
    client_reference_id: order.id,
    metadata: { ...metadata },
    payment_intent_data: { metadata: { ...metadata } },
    success_url: fill(urls.successUrl),
    cancel_url: fill(urls.cancelUrl),
  };
}

function metadataOf(session: CheckoutSessionObject): CheckoutMetadata | undefined {
  const m = session.metadata ?? {};
  const { kiosk_order, kiosk_bot, kiosk_channel, kiosk_user } = m;
  if (!kiosk_order || !kiosk_bot || !kiosk_channel || !kiosk_user) return undefined;
  return { kiosk_order, kiosk_bot, kiosk_channel, kiosk_user };
}

function referenceOf(session: CheckoutSessionObject): string {
  const intent = session.payment_intent;
  if (typeof intent === "string" && intent !== "") return intent;
  if (intent && typeof intent === "object") return intent.id;
  return session.id;
}

/**
 * A hosted checkout on Stripe's API and webhook scheme, for channels without
 * native payments: a link per order, and signed webhook events turned into
 * payment reports. The engine then checks the amount and currency against
 * the order and pays it once.
 *
 * @example
 * const checkout = new CheckoutProvider({ apiKey, webhookSecret, successUrl, cancelUrl, sessions: store });
 * const url = await checkout.createLink(order);           // the same url every time for this order
 * const meaning = checkout.readEvent(rawBody, signature); // throws CommerceError("invalid_signature")
 */
export class CheckoutProvider implements PaymentProvider {
  readonly id = CHECKOUT_PROVIDER;
  readonly #stripe: Stripe;
  readonly #options: CheckoutProviderOptions;
  /** Links being created, per order: a double tap waits for the first instead of racing it. */
  readonly #creating = new Map<string, Promise<string>>();

  constructor(options: CheckoutProviderOptions) {
    this.#options = options;
    this.#stripe = new Stripe(options.apiKey, {
      ...(options.apiBase === undefined ? {} : apiTarget(options.apiBase)),
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: options.timeoutMs ?? 20_000,
      appInfo: { name: "Kiosk" },
    });
  }

  /**
   * The payment link of an order awaiting payment: the kept session's url,
   * else a new Checkout Session created with Idempotency-Key
   * `kiosk-checkout-<order id>` (a retried call never creates a second one).
   * Throws `CommerceError` `not_payable` for an order that does not await
   * payment, `provider_error` when the API fails.
   */
  createLink(order: Order): Promise<string> {
    if (order.status !== "awaiting_payment") {
      return Promise.reject(
        new CommerceError("not_payable", `order ${order.id} is ${order.status}; only an order awaiting payment has a checkout link`, { orderId: order.id, status: order.status }),
      );
    }
    const running = this.#creating.get(order.id);
    if (running) return running;
    const creating = this.#link(order).finally(() => this.#creating.delete(order.id));
    this.#creating.set(order.id, creating);
    return creating;
  }

  async #link(order: Order): Promise<string> {
    const kept = await this.#options.sessions.checkoutSession(order.id);
    if (kept) return kept.url;
    const params = sessionParams(order, this.#options);
    let session: Stripe.Checkout.Session;
    try {
      session = await this.#stripe.checkout.sessions.create(params, { idempotencyKey: checkoutIdempotencyKey(order.id) });
    } catch (error) {
      const detail = error instanceof Stripe.errors.StripeError ? `${error.type}${error.code ? ` ${error.code}` : ""}: ${error.message}` : String(error);
      throw new CommerceError("provider_error", `creating the checkout session of order ${order.id} failed: ${detail}`, { orderId: order.id });
    }
    if (!session.url) throw new CommerceError("provider_error", `the checkout session ${session.id} of order ${order.id} came back without a url`, { orderId: order.id });
    const saved = await this.#options.sessions.saveCheckoutSession({
      orderId: order.id,
      provider: this.id,
      sessionId: session.id,
      url: session.url,
      createdAt: new Date(),
    });
    return saved.url;
  }

  /**
   * Expires an open Checkout Session (`POST /v1/checkout/sessions/:id/expire`,
   * Idempotency-Key `kiosk-checkout-expire-<session id>`), so a customer can
   * no longer pay an order that closed. A refusal the API means for good (a
   * 4xx: the session is complete or expired already, or unknown) is an
   * outcome; a failure worth retrying (network, 429, 5xx) throws
   * `CommerceError("provider_error")`.
   */
  async expireSession(sessionId: string): Promise<ExpireOutcome> {
    try {
      await this.#stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: expireIdempotencyKey(sessionId) });
      return { kind: "expired" };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError) {
        const status = error.statusCode;
        const detail = `${error.type}${error.code ? ` ${error.code}` : ""}: ${error.message}`;
        if (status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 409) return { kind: "refused", reason: detail };
        throw new CommerceError("provider_error", `expiring checkout session ${sessionId} failed: ${detail}`);
      }
      throw new CommerceError("provider_error", `expiring checkout session ${sessionId} failed: ${String(error)}`);
    }
  }

  /**
   * Refunds `amount` of a payment (`POST /v1/refunds` on its PaymentIntent,
   * Idempotency-Key `kiosk-refund-<reference>`). A payment known only by its
   * session (no PaymentIntent) is refused: refund it in the dashboard. A 4xx
   * is an outcome; a failure worth retrying (network, 429, 5xx) throws
   * `CommerceError("provider_error")`.
   */
  async refund(paymentReference: string, amount: number): Promise<RefundOutcome> {
    if (!paymentReference.startsWith("pi_")) return { kind: "refused", reason: `payment ${paymentReference} has no PaymentIntent to refund` };
    try {
      const refund = await this.#stripe.refunds.create({ payment_intent: paymentReference, amount }, { idempotencyKey: refundIdempotencyKey(paymentReference) });
      return { kind: "refunded", refundId: refund.id };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError) {
        const status = error.statusCode;
        const detail = `${error.type}${error.code ? ` ${error.code}` : ""}: ${error.message}`;
        if (error.code === "charge_already_refunded") return { kind: "already_refunded", reason: detail };
        if (status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 409) return { kind: "refused", reason: detail };
        throw new CommerceError("provider_error", `refunding payment ${paymentReference} failed: ${detail}`);
      }
      throw new CommerceError("provider_error", `refunding payment ${paymentReference} failed: ${String(error)}`);
    }
  }

  /**
   * Verifies a webhook delivery over its raw bytes (`Stripe-Signature`: HMAC-SHA256
   * of `t.payload` with the endpoint secret, any `v1` may match, at most 300 s old)
   * and reads what it means. Throws `CommerceError("invalid_signature")` with the
   * reason when the header is missing, malformed, stale or matches no signature.
   */
  readEvent(rawBody: Buffer | string, signature: string | undefined): CheckoutEventMeaning {
    if (signature === undefined || signature.trim() === "") {
      throw new CommerceError("invalid_signature", "the Stripe-Signature header is missing");
    }
    let event: unknown;
    try {
      event = this.#stripe.webhooks.constructEvent(
        rawBody,
        signature,
        this.#options.webhookSecret,
        SIGNATURE_TOLERANCE_SECONDS,
        undefined,
        (this.#options.now ?? Date.now)(),
      );
    } catch (error) {
      // A signed body that is not JSON verified fine: it is malformed, not forged.
      if (error instanceof SyntaxError) throw new CommerceError("malformed_event", `the signed body is not JSON: ${error.message}`);
      const why = error instanceof Error ? error.message.split("\n")[0] ?? error.message : String(error);
      throw new CommerceError("invalid_signature", `the Stripe-Signature header does not verify: ${why}`);
    }
    return this.meaning(checkEvent(event));
  }

  /**
   * What a verified, shape-checked event means: completed (paid) or
   * async-settled sessions are payments; everything else is acknowledged.
   * A session that reports a payment of an amount no payment can have
   * (zero, negative, fractional, over the largest) throws
   * `CommerceError("malformed_event")`.
   */
  meaning(event: CheckedEvent): CheckoutEventMeaning {
    const ignored = (reason: string): CheckoutEventMeaning => ({ kind: "ignored", eventId: event.id, reason });
    if (event.kind === "other") return ignored(`event type ${event.type} is not used`);
    const { session } = event;
    if (event.type === "checkout.session.expired") return ignored(`session ${session.id} expired unpaid`);
    const metadata = metadataOf(session);
    if (!metadata) return ignored(`session ${session.id} was not created by Kiosk (no kiosk_* metadata)`);
    const failed = event.type === "checkout.session.async_payment_failed";
    if (!failed && session.payment_status !== "paid") return ignored(`session ${session.id} is ${session.payment_status}; waiting for the payment to settle`);
    if (session.amount_total === null || session.currency === null) return ignored(`session ${session.id} has no amount or currency`);
    const problem = paymentAmountProblem(session.amount_total);
    if (problem !== undefined) {
      throw new CommerceError("malformed_event", `event ${event.id} (${event.type}): data.object.amount_total ${problem}`, { eventId: event.id, type: event.type });
    }
    const report: PaymentReport = {
      provider: this.id,
      reference: referenceOf(session),
      orderId: metadata.kiosk_order,
      outcome: failed ? "declined" : "succeeded",
      amount: session.amount_total,
      currency: session.currency.toUpperCase(),
      ...(failed ? { reason: "payment_failed" } : {}),
    };
    return { kind: "payment", eventId: event.id, report, metadata };
  }
}
