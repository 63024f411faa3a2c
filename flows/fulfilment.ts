/**
 * What the shop does to an order after it is paid, or to a booking, run as
 * a turn of the customer's conversation so the change, the event the
 * shop's systems hear of and the message the customer gets commit together,
 * in the customer's language on their channel. An action that no longer
 * applies (the order was cancelled meanwhile, the booking is over) changes
 * nothing and is refused: the turn's result says it was not accepted.
 */
import { canBookingTransition, canTransition, type Booking, type FulfilmentStatus, type Order } from "../commerce/index.ts";
import { cancelTimers, describeBooking } from "./bookings.ts";
import type { Store } from "../store/index.ts";
import type { InboundEvent, TurnResult } from "./engine.ts";
import { tellShopBooking, tellShopOrder } from "./merchant-events.ts";
import { oweRefund } from "./refunds.ts";
import type { Turn } from "./turn.ts";

/** A shop's action on an order or a booking; `by` says who: "api key 3", "telegram:12345", "console". */
export type MerchantAction =
  | { readonly type: "order.status"; readonly orderId: string; readonly to: FulfilmentStatus; readonly by: string }
  | { readonly type: "order.cancel"; readonly orderId: string; readonly by: string; readonly reason?: string }
  | { readonly type: "booking.cancel"; readonly bookingId: string; readonly by: string; readonly reason?: string }
  | { readonly type: "booking.no_show"; readonly bookingId: string; readonly by: string };

/** Whether `to` fits the order: goods that ship are delivered, not collected; the rest are collected, not delivered. */
function fits(order: Order, to: FulfilmentStatus): boolean {
  if (to === "delivered") return order.shipping !== undefined;
  if (to === "collected") return order.shipping === undefined;
  return true;
}

async function moveOrder(turn: Turn, order: Order, to: FulfilmentStatus, by: string): Promise<void> {
  if (!canTransition(order.status, to) || !fits(order, to)) return turn.refuse();
  if (!(await turn.tx.transitionOrder(order.id, order.status, to, `${to} by ${by}`, turn.now))) return turn.refuse();
  await tellShopOrder(turn, "order.status", order.id, { from: order.status, by });
  turn.say({ text: turn.texts.orderFulfilment(order.id, to), kind: "order_update" });
}

/** The shop cancels a paid order not yet handed over: all its payment goes back (the refund job asks the provider). */
async function cancelOrder(turn: Turn, order: Order, by: string, reason: string | undefined): Promise<void> {
  // Until the customer has it: a collected or delivered order is no longer the shop's to cancel.
  const cancellable = order.status === "paid" || order.status === "preparing" || order.status === "ready";
  const payment = cancellable ? await turn.tx.paymentOf(order.id) : undefined;
  if (!payment) return turn.refuse();
  const cause = `cancelled by ${by}${reason === undefined ? "" : `: ${reason}`}`;
  if (!(await turn.tx.transitionOrder(order.id, order.status, "refunded", cause, turn.now))) return turn.refuse();
  await oweRefund(turn, order, payment, payment.amount, cause);
  await tellShopOrder(turn, "order.cancelled", order.id, { from: order.status, by, ...(reason === undefined ? {} : { reason }) });
  await tellShopOrder(turn, "order.refunded", order.id, { by, refund: payment.amount });
  turn.say({ text: turn.texts.orderCancelledByShop(order.id, turn.money(payment.amount, order.currency)), kind: "order_update" });
}

/** The shop cancels a held or confirmed booking before its time: the whole deposit paid goes back, whatever the free-cancellation terms. */
async function cancelBookingByShop(turn: Turn, booking: Booking, by: string, reason: string | undefined): Promise<void> {
  const { tx, now } = turn;
  if ((booking.status !== "held" && booking.status !== "confirmed") || booking.start.getTime() <= now.getTime()) return turn.refuse();
  const refund = booking.depositPaid - booking.depositRefunded;
  const cause = `cancelled by ${by}${reason === undefined ? "" : `: ${reason}`}`;
  const amounts = refund > 0 ? { depositRefunded: booking.depositPaid } : {};
  if (!(await tx.transitionBooking(booking.id, booking.status, "cancelled", cause, now, amounts))) return turn.refuse();
  const order = booking.orderId === undefined ? undefined : await tx.getOrder(booking.orderId);
  if (order?.status === "awaiting_payment") await tx.transitionOrder(order.id, "awaiting_payment", "cancelled", "its booking was cancelled by the shop", now);
  if (order?.status === "paid" && refund > 0) {
    if (refund === order.total) await tx.transitionOrder(order.id, "paid", "refunded", cause, now);
    const payment = await tx.paymentOf(order.id);
    if (payment) await oweRefund(turn, order, payment, refund, cause);
  }
  await cancelTimers(turn, booking);
  await tellShopBooking(turn, "booking.cancelled", booking.id, { by, refund, ...(reason === undefined ? {} : { reason }) });
  const { what, when } = describeBooking(turn, booking);
  turn.say(turn.texts.bookingCancelledByShop(booking.id, what, when, refund > 0 ? turn.money(refund, booking.currency) : null));
}

/** The customer did not come: once the time has begun, the booking is marked missed and its deposit kept. */
async function markNoShow(turn: Turn, booking: Booking, by: string): Promise<void> {
  if (!canBookingTransition(booking.status, "no_show") || booking.start.getTime() > turn.now.getTime()) return turn.refuse();
  if (!(await turn.tx.transitionBooking(booking.id, booking.status, "no_show", `no-show marked by ${by}`, turn.now))) return turn.refuse();
  await cancelTimers(turn, booking);
  const { what, when } = describeBooking(turn, booking);
  const kept = booking.depositPaid - booking.depositRefunded;
  turn.say(turn.texts.bookingMissed(booking.id, what, when, kept > 0 ? turn.money(kept, booking.currency) : null));
}

/** Whether a row is this conversation's: the action's turn runs in the customer's own conversation. */
function ours(turn: Turn, row: { readonly botId: string; readonly channel: string; readonly userId: string } | undefined): boolean {
  const { botId, channel, userId } = turn.address;
  return row !== undefined && row.botId === botId && row.channel === channel && row.userId === userId;
}

export async function runMerchantAction(turn: Turn, action: MerchantAction): Promise<void> {
  if (action.type === "booking.cancel" || action.type === "booking.no_show") {
    const booking = await turn.tx.getBooking(action.bookingId);
    if (!booking || !ours(turn, booking)) return turn.refuse();
    return action.type === "booking.cancel" ? cancelBookingByShop(turn, booking, action.by, action.reason) : markNoShow(turn, booking, action.by);
  }
  const order = await turn.tx.getOrder(action.orderId);
  if (!order || !ours(turn, order)) return turn.refuse();
  if (action.type === "order.status") return moveOrder(turn, order, action.to, action.by);
  return cancelOrder(turn, order, action.by, action.reason);
}

/** What came of a shop's action: done; refused (it no longer applies); a duplicate of one run before with the same key; no such order for the bot; or failed (an error, logged by the runner). */
export type ShopActionOutcome = "done" | "refused" | "duplicate" | "not_found" | "failed";

/** Whatever runs turns: the engine, or the runtime that dispatches their messages after. */
export interface TurnHandler {
  handle(event: InboundEvent): Promise<TurnResult>;
}

/**
 * Runs a shop's action as a turn of the order's conversation. `key` makes it
 * idempotent: the same key twice (a button pressed twice, a request retried)
 * acts once.
 */
export async function runShopAction(turns: TurnHandler, store: Store, botId: string, action: MerchantAction, key: string): Promise<ShopActionOutcome> {
  type Owned = { readonly botId: string; readonly channel: string; readonly userId: string };
  const row = await store.transaction((tx): Promise<Owned | undefined> => ("bookingId" in action ? tx.getBooking(action.bookingId) : tx.getOrder(action.orderId)));
  if (!row || row.botId !== botId) return "not_found";
  const result = await turns.handle({ key: `shop:${key}`, botId, channel: row.channel, userId: row.userId, input: { kind: "merchant", action } });
  if (result.status === "failed") return "failed";
  if (result.status === "duplicate") return "duplicate";
  return result.accepted ? "done" : "refused";
}
