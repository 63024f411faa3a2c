/**
 * What the shop does to an order after it is paid, run as a turn of the
 * customer's conversation so the change, the event the shop's systems hear
 * of and the message the customer gets commit together, in the customer's
 * language on their channel. An action that no longer applies (the order
 * was cancelled meanwhile, or is another bot's) changes nothing and is
 * refused: the turn's result says it was not accepted.
 */
import { canTransition, type FulfilmentStatus, type Order } from "../commerce/index.ts";
import type { Store } from "../store/index.ts";
import type { InboundEvent, TurnResult } from "./engine.ts";
import { tellShopOrder } from "./merchant-events.ts";
import { oweRefund } from "./refunds.ts";
import type { Turn } from "./turn.ts";

/** A shop's action on an order; `by` says who: "api key 3", "telegram:12345", "console". */
export type MerchantAction =
  | { readonly type: "order.status"; readonly orderId: string; readonly to: FulfilmentStatus; readonly by: string }
  | { readonly type: "order.cancel"; readonly orderId: string; readonly by: string; readonly reason?: string };

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

/** The shop cancels a paid order: all its payment goes back (the refund job asks the provider). */
async function cancelOrder(turn: Turn, order: Order, by: string, reason: string | undefined): Promise<void> {
  const payment = await turn.tx.paymentOf(order.id);
  if (!payment || !canTransition(order.status, "refunded")) return turn.refuse();
  const cause = `cancelled by ${by}${reason === undefined ? "" : `: ${reason}`}`;
  if (!(await turn.tx.transitionOrder(order.id, order.status, "refunded", cause, turn.now))) return turn.refuse();
  await oweRefund(turn, order, payment, payment.amount, cause);
  await tellShopOrder(turn, "order.cancelled", order.id, { from: order.status, by, ...(reason === undefined ? {} : { reason }) });
  await tellShopOrder(turn, "order.refunded", order.id, { by, refund: payment.amount });
  turn.say({ text: turn.texts.orderCancelledByShop(order.id, turn.money(payment.amount, order.currency)), kind: "order_update" });
}

export async function runMerchantAction(turn: Turn, action: MerchantAction): Promise<void> {
  const order = await turn.tx.getOrder(action.orderId);
  const { botId, channel, userId } = turn.address;
  if (!order || order.botId !== botId || order.channel !== channel || order.userId !== userId) return turn.refuse();
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
  const order = await store.transaction((tx) => tx.getOrder(action.orderId));
  if (!order || order.botId !== botId) return "not_found";
  const result = await turns.handle({ key: `shop:${key}`, botId, channel: order.channel, userId: order.userId, input: { kind: "merchant", action } });
  if (result.status === "failed") return "failed";
  if (result.status === "duplicate") return "duplicate";
  return result.accepted ? "done" : "refused";
}
