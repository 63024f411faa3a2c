import { paymentAmountProblem, shippingOption, shippingOptionsTo, type Order } from "../commerce/index.ts";
import type { ConversationAddress, TurnTx } from "../store/index.ts";
import type { LoadedBot } from "./bot.ts";
import { localName } from "./locale.ts";
import type { Texts } from "./texts.ts";

/** Why a payment may not go ahead; the customer's message says it in their words. */
export type NotPayableReason = "unknown_order" | "not_awaiting_payment" | "expired" | "amount_mismatch" | "booking_not_held" | "not_shipped_there";

export type Payability =
  | { readonly ok: true; readonly order: Order }
  | { readonly ok: false; readonly reason: NotPayableReason; readonly message: string };

/** A provider's question "may this customer pay this much for this order now?", asked before it charges. */
export interface PayableQuery {
  readonly bot: LoadedBot;
  /** The customer who is about to pay, on the channel the question came from. */
  readonly address: ConversationAddress;
  /** The order the invoice names; undefined when its payload names none (declined as an invoice no longer valid). */
  readonly orderId: string | undefined;
  /** In the currency's minor unit, as the provider will charge it. */
  readonly amount: number;
  readonly currency: string;
  readonly now: Date;
  /** The customer's language as the channel reports it; used when they have no conversation. */
  readonly locale?: string;
  /** The shipping the customer chose, for goods that ship: its price is part of `amount`. */
  readonly shipping?: { readonly optionId: string; readonly countryCode: string };
}

/** Whether any of an order's lines is goods that ship (see Product.ships). */
export function orderShips(bot: LoadedBot, order: Order): boolean {
  return order.items.some((item) => bot.catalog?.findProduct(item.productId)?.ships === true);
}

/**
 * Checks, before a provider charges, that the payment would settle the order:
 * the order exists and is this customer's, still awaits payment and is
 * within its payment window (an expiry timer not yet fired counts as
 * expired), the amount and currency are the order's exactly, and a booking
 * deposit's booking is still held. Writes nothing; the declined message is in
 * the customer's language. Telegram's `pre_checkout_query` asks this; so can
 * any provider with a "may I charge?" step.
 *
 * @example
 * const answer = await store.transaction((tx) => checkPayable(tx, { bot, address, orderId: "7", amount: 640, currency: "EUR", now }));
 * if (!answer.ok) console.log(answer.reason, answer.message);
 */
export async function checkPayable(tx: TurnTx, query: PayableQuery): Promise<Payability> {
  const open = await openOrder(tx, query);
  if (!open.ok) return open;
  const { order, texts } = open;
  const no = (reason: NotPayableReason, message: string): Payability => ({ ok: false, reason, message });
  let due = order.total;
  if (orderShips(query.bot, order) && order.shipping === undefined) {
    const policy = query.bot.shipping;
    const option = policy && query.shipping ? shippingOption(policy, query.shipping.optionId, query.shipping.countryCode) : undefined;
    if (!option) return no("not_shipped_there", texts.notShippedThere);
    due += option.price;
  }
  // An amount no payment can have is refused even if an order's total were the same (a zero or negative total is a catalog error, not a price).
  if (paymentAmountProblem(query.amount) !== undefined || query.amount !== due || query.currency !== order.currency) return no("amount_mismatch", texts.paymentMismatch(order.id));
  return { ok: true, order };
}

/** The shipping options offered for an order, or why none are. */
export type Shippability =
  | { readonly ok: true; readonly order: Order; readonly options: ReadonlyArray<{ readonly id: string; readonly label: string; readonly price: number }> }
  | { readonly ok: false; readonly reason: NotPayableReason; readonly message: string };

/**
 * The shipping options for an order about to be paid, to the customer's
 * country, labelled in their language (Telegram's `shipping_query` asks
 * this): the order must be payable as in `checkPayable`, bar the amount.
 */
export async function checkShippable(tx: TurnTx, query: Omit<PayableQuery, "amount" | "currency" | "shipping"> & { readonly countryCode: string }): Promise<Shippability> {
  const open = await openOrder(tx, query);
  if (!open.ok) return open;
  const { order, texts, locale } = open;
  const options = query.bot.shipping ? shippingOptionsTo(query.bot.shipping, query.countryCode) : [];
  if (!orderShips(query.bot, order) || options.length === 0) return { ok: false, reason: "not_shipped_there", message: texts.notShippedThere };
  return { ok: true, order, options: options.map((o) => ({ id: o.id, label: localName(o.label, o, locale, query.bot.locale), price: o.price })) };
}

type OpenOrder =
  | { readonly ok: true; readonly order: Order; readonly texts: Texts; readonly locale: string }
  | { readonly ok: false; readonly reason: NotPayableReason; readonly message: string };

/** The order, when it is this customer's, awaits payment inside its window and, for a deposit, its booking is still held. */
async function openOrder(tx: TurnTx, query: Pick<PayableQuery, "bot" | "address" | "orderId" | "now" | "locale">): Promise<OpenOrder> {
  const { bot, address, orderId, now } = query;
  const locale = bot.localeFor((await tx.loadConversation(address))?.locale ?? query.locale);
  const texts = bot.textsFor(locale);
  const no = (reason: NotPayableReason, message: string): OpenOrder => ({ ok: false, reason, message });

  // No order named: there is no number to quote ("Order # can no longer be paid" would be untrue).
  if (orderId === undefined || !/^\d+$/.test(orderId)) return no("unknown_order", texts.invoiceNotValid);
  const order = await tx.getOrder(orderId);
  if (!order || order.botId !== bot.id || order.channel !== address.channel || order.userId !== address.userId) {
    return no("unknown_order", texts.orderNotPayable(orderId));
  }
  const booking = await tx.bookingByOrder(order.id);
  if (booking && booking.status !== "held") return no("booking_not_held", texts.depositNotPayable(booking.id));
  if (order.status !== "awaiting_payment") return no("not_awaiting_payment", texts.orderNotPayable(order.id));
  const windowMs = booking ? bot.bookingPolicy.holdMinutes * 60_000 : bot.paymentWindowMs;
  if (now.getTime() >= order.createdAt.getTime() + windowMs) {
    return booking ? no("booking_not_held", texts.depositNotPayable(booking.id)) : no("expired", texts.orderNotPayable(order.id));
  }
  return { ok: true, order, texts, locale };
}
