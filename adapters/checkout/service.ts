/**
 * Hosted checkout on the server: the link an adapter shows for an invoice,
 * the signed webhook that reports payments, and the pages a customer lands
 * on after paying. Loaded only when checkout is configured (it brings the
 * Stripe SDK).
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { CommerceError } from "../../commerce/index.ts";
import { CheckoutProvider } from "../../commerce/checkout/index.ts";
import { ChannelSendError } from "../../core/send-error.ts";
import { customerForLog } from "../../core/index.ts";
import { Poller, type RefundOutcome } from "../../jobs/index.ts";
import type { RefundRow, Store } from "../../store/index.ts";
import type { CheckoutSettings } from "./config.ts";
import { isErasedCustomersOrder } from "../erased-orders.ts";
import { HttpError } from "../errors.ts";
import type { TurnRunner } from "../channel.ts";

/** Where the signed events arrive; register `<public URL>/checkout/webhook` with the provider. */
export const CHECKOUT_WEBHOOK_PATH = "/checkout/webhook";
export const CHECKOUT_SUCCESS_PATH = "/checkout/done";
export const CHECKOUT_CANCEL_PATH = "/checkout/cancelled";

/** What the webhook did with one delivery (the JSON answer, with `received: true`). */
export type CheckoutWebhookOutcome =
  | { readonly status: "handled" | "duplicate"; readonly order: string }
  | { readonly status: "ignored"; readonly reason: string };

export interface CheckoutServiceOptions {
  readonly settings: CheckoutSettings;
  readonly store: Store;
  readonly runtime: TurnRunner;
  /** Ids of the bots this server runs. */
  readonly bots: () => readonly string[];
  /** Wall-clock ms for signature ages; real time unless a test says otherwise. */
  readonly now?: () => number;
  readonly onWarning?: (message: string) => void;
}

/**
 * The hosted checkout of one server: `link(orderId)` for adapters whose
 * channel has no native invoices (Messenger, WhatsApp, Bot Framework render
 * an invoice as a button opening it), `webhook()` for the provider's events.
 */
export class CheckoutService {
  readonly provider: CheckoutProvider;
  readonly #options: CheckoutServiceOptions;
  #closing: Promise<number> | undefined;

  constructor(options: CheckoutServiceOptions) {
    const { settings } = options;
    this.#options = options;
    this.provider = new CheckoutProvider({
      apiKey: settings.apiKey,
      webhookSecret: settings.webhookSecret,
      ...(settings.apiBase === undefined ? {} : { apiBase: settings.apiBase }),
      successUrl: `${settings.publicUrl}${CHECKOUT_SUCCESS_PATH}?order={order}`,
      cancelUrl: `${settings.publicUrl}${CHECKOUT_CANCEL_PATH}?order={order}`,
      sessions: options.store,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  }

  /**
   * Refunds a payment made through the hosted checkout, as the refund runner
   * asks (see jobs/refunds.ts): refunded, or a refusal for good (thrown as a
   * permanent `ChannelSendError`); an outage throws and is retried.
   */
  async refund(refund: RefundRow): Promise<RefundOutcome> {
    const outcome = await this.provider.refund(refund.paymentReference, refund.amount);
    if (outcome.kind === "refunded") return { status: "refunded", note: `refund ${outcome.refundId}` };
    if (outcome.kind === "already_refunded") return { status: "refunded", note: `refunded before (${outcome.reason})` };
    throw new ChannelSendError("rejected", `checkout refund of payment ${refund.paymentReference} refused: ${outcome.reason}`);
  }

  /**
   * The payment link of an order awaiting payment: the same URL every time it
   * is asked for (one Checkout Session per order, kept in the store).
   * Throws `CommerceError` `not_payable` (no such order, or not awaiting
   * payment) or `provider_error` (the API failed; asking again is safe).
   *
   * @example
   * // In an adapter, rendering `message.invoice` on a channel without native payments:
   * const url = await checkout.link(message.invoice.order);
   * await sendButton({ title: "Pay", url });
   */
  async link(orderId: string): Promise<string> {
    const order = await this.#options.store.transaction((tx) => tx.getOrder(orderId));
    if (!order) throw new CommerceError("not_payable", `there is no order ${orderId}`, { orderId });
    return this.provider.createLink(order);
  }

  /**
   * Expires at the provider the sessions of orders that expired or were
   * cancelled, so the customer cannot pay a closed order; returns how many
   * were closed. It runs outside any turn, from what the store keeps: a
   * session stays "to close" (closed_at null) until the provider expired it
   * or refused for good (the session was complete or expired already), so a
   * failed call or a crash is retried on the next sweep, with the same
   * Idempotency-Key. Sessions of paid orders are closed without a call.
   * One sweep at a time: a second caller gets the running one.
   */
  closeSessions(limit = 50): Promise<number> {
    this.#closing ??= this.#closeSessions(limit).finally(() => {
      this.#closing = undefined;
    });
    return this.#closing;
  }

  async #closeSessions(limit: number): Promise<number> {
    const { store, onWarning } = this.#options;
    const now = () => new Date((this.#options.now ?? Date.now)());
    let closed = 0;
    for (const row of await store.checkoutSessionsToClose(limit)) {
      if (row.orderStatus !== "expired" && row.orderStatus !== "cancelled") {
        await store.closeCheckoutSession(row.orderId, now(), `order ${row.orderStatus}: nothing to expire`);
        continue;
      }
      let note: string;
      try {
        const outcome = await this.provider.expireSession(row.sessionId);
        note = outcome.kind === "expired" ? "expired" : `refused: ${outcome.reason}`;
        if (outcome.kind === "refused") onWarning?.(`checkout session ${row.sessionId} of ${row.orderStatus} order ${row.orderId} could not be expired: ${outcome.reason}; not asked again`);
      } catch (error) {
        onWarning?.(`checkout session ${row.sessionId} of ${row.orderStatus} order ${row.orderId}: ${error instanceof Error ? error.message : String(error)}; retried on the next sweep`);
        continue;
      }
      await store.closeCheckoutSession(row.orderId, now(), note);
      closed++;
    }
    return closed;
  }

  /**
   * Handles one webhook delivery: verifies its signature over `rawBody`
   * (throws `CommerceError("invalid_signature")`, nothing changes), then
   * delivers a payment to the conversation of the order it names, once per
   * event id. Events for an unknown order, or whose metadata names another
   * customer than the order's own, are acknowledged and change nothing.
   * A turn that fails throws, so the provider delivers the event again.
   */
  async webhook(rawBody: Buffer, signature: string | undefined): Promise<CheckoutWebhookOutcome> {
    const meaning = this.provider.readEvent(rawBody, signature);
    if (meaning.kind === "ignored") return { status: "ignored", reason: meaning.reason };
    const { report, metadata, eventId } = meaning;
    const ignore = (reason: string): CheckoutWebhookOutcome => {
      this.#options.onWarning?.(`checkout event ${eventId}: ${reason}; acknowledged, nothing changed`);
      return { status: "ignored", reason };
    };
    const order = await this.#options.store.transaction((tx) => tx.getOrder(report.orderId));
    if (!order) return ignore(`there is no order ${report.orderId}`);
    const named = `${metadata.kiosk_bot}/${metadata.kiosk_channel}/${metadata.kiosk_user}`;
    const owner = `${order.botId}/${order.channel}/${order.userId}`;
    const erased = isErasedCustomersOrder(order, metadata.kiosk_bot, metadata.kiosk_channel);
    if (named !== owner && !erased) {
      const shown = `${metadata.kiosk_bot}/${metadata.kiosk_channel}/${customerForLog(metadata.kiosk_channel, metadata.kiosk_user)}`;
      return ignore(`the event names customer ${shown} but order ${order.id} is ${order.botId}/${order.channel}/${customerForLog(order.channel, order.userId)}'s`);
    }
    if (!this.#options.bots().includes(order.botId)) return ignore(`order ${order.id} belongs to bot '${order.botId}', which this server does not run`);
    const result = await this.#options.runtime.handle({
      key: `checkout:${eventId}`,
      botId: order.botId,
      channel: order.channel,
      userId: order.userId,
      input: { kind: "payment", report },
    });
    if (result.status === "failed") {
      throw new Error(`the payment turn of checkout event ${eventId} (order ${order.id}) failed; the provider will deliver it again`, { cause: result.error });
    }
    return { status: result.status, order: order.id };
  }
}

/**
 * Adds the checkout routes: `POST /checkout/webhook` (signed events; 400 with
 * the reason when the signature is missing or wrong, or when a signed event
 * is not shaped as its type promises) and the plain pages a
 * customer lands on after paying or giving up.
 */
export function registerCheckout(app: FastifyInstance, service: CheckoutService, options: { readonly closeIntervalMs?: number; readonly onWarning?: (message: string) => void } = {}): void {
  // Sessions of orders that closed are expired at the provider in the background; closing the app waits for the sweep in flight.
  const sweeper = new Poller(() => service.closeSessions(), options.closeIntervalMs ?? 10_000, (error) => options.onWarning?.(`closing checkout sessions failed: ${String(error)}`));
  sweeper.start();
  app.addHook("onClose", () => sweeper.close());

  app.post(CHECKOUT_WEBHOOK_PATH, async (request) => {
    const raw = request.rawBody;
    if (raw === undefined) throw new HttpError(400, "bad_request", "the body must be the event as JSON, sent with content-type application/json");
    const header = request.headers["stripe-signature"];
    if (Array.isArray(header)) throw new HttpError(400, "invalid_signature", "send one Stripe-Signature header, not several");
    try {
      return { received: true, ...(await service.webhook(raw, header)) };
    } catch (error) {
      if (error instanceof CommerceError && error.code === "invalid_signature") {
        throw new HttpError(400, "invalid_signature", `${error.message}; the signature must cover the raw body exactly as sent, signed with the endpoint's secret`);
      }
      if (error instanceof CommerceError && error.code === "malformed_event") {
        // Signed, so it came from the provider (or its secret leaked): worth a warning. The message names fields, never their values.
        request.log.warn(`checkout webhook: refused a signed event: ${error.message}; nothing changed`);
        throw new HttpError(400, "invalid_request", `${error.message}; nothing changed`);
      }
      throw error;
    }
  });

  const page = (text: string) => async (_request: unknown, reply: FastifyReply) => reply.type("text/plain; charset=utf-8").send(text);
  app.get(CHECKOUT_SUCCESS_PATH, page("Thank you! Your payment is being confirmed: the receipt arrives in the chat. You can close this page."));
  app.get(CHECKOUT_CANCEL_PATH, page("No payment was made. Go back to the chat to pay later or change your order."));
}
