import {
  paymentAmountProblem,
  assertPaymentMatches,
  CommerceError,
  holdsStock,
  priceCart,
  shippingOption,
  type Order,
  type OrderShipping,
  type OrderStatus,
  type PaymentReport,
} from "../commerce/index.ts";
import { orderShips } from "./payable.ts";
import { tellShopOrder } from "./merchant-events.ts";
import type { Turn } from "./turn.ts";
import { describeLine } from "./steps/cart.ts";
import { ORDER_SLOT } from "./defaults.ts";
import { confirmDeposit, depositInvoice } from "./bookings.ts";
import { oweRefund } from "./refunds.ts";

/** The order a conversation is paying for, kept in slot `order` by the checkout step. */
export { ORDER_SLOT };
export const EXPIRE_TIMER = "order.expire";

export function expiryTimerKey(orderId: string): string {
  return `order-expire:${orderId}`;
}

type PlaceResult = { readonly order: Order } | { readonly shortOf: { readonly name: string; readonly left: number } };

/**
 * Turns the cart into an order awaiting payment. Stock is reserved in this
 * turn's transaction; when any line is short, what was taken is put back.
 */
export async function placeOrder(turn: Turn): Promise<PlaceResult> {
  const { tx, bot, address, now } = turn;
  const priced = priceCart(turn.catalog, turn.state.cart);
  if (priced.lines.length === 0) throw new CommerceError("empty_cart", "cannot place an order from an empty cart");
  const perProduct = new Map<string, number>();
  for (const line of priced.lines) perProduct.set(line.productId, (perProduct.get(line.productId) ?? 0) + line.quantity);
  const taken: Array<[string, number]> = [];
  for (const [productId, units] of perProduct) {
    if (!(await tx.reserveStock(bot.id, productId, units))) {
      for (const [id, n] of taken) await tx.releaseStock(bot.id, id, n);
      const left = (await tx.stockLeft(bot.id, productId)) ?? 0;
      return { shortOf: { name: turn.productName(productId), left } };
    }
    taken.push([productId, units]);
  }
  const order = await tx.createOrder({
    ...address,
    items: priced.lines,
    total: priced.total,
    currency: priced.currency,
    status: "awaiting_payment",
    cause: "customer placed the order",
    at: now,
  });
  await tx.scheduleTimer({
    ...address,
    key: expiryTimerKey(order.id),
    name: EXPIRE_TIMER,
    data: { order: order.id },
    fireAt: new Date(now.getTime() + bot.paymentWindowMs),
  });
  return { order };
}

/** Moves an order out of a stock-holding status, giving its units back. */
async function closeUnpaid(turn: Turn, order: Order, to: OrderStatus, cause: string): Promise<boolean> {
  if (!(await turn.tx.transitionOrder(order.id, order.status, to, cause, turn.now))) return false;
  if (holdsStock(order.status)) {
    for (const item of order.items) await turn.tx.releaseStock(turn.bot.id, item.productId, item.quantity);
  }
  await turn.tx.cancelTimer(expiryTimerKey(order.id));
  return true;
}

export async function cancelOrder(turn: Turn, order: Order, cause: string): Promise<boolean> {
  if (order.status !== "awaiting_payment" && order.status !== "draft") return false;
  return closeUnpaid(turn, order, "cancelled", cause);
}

export async function expireOrder(turn: Turn, orderId: string): Promise<boolean> {
  const order = await turn.tx.getOrder(orderId);
  if (!order || order.status !== "awaiting_payment") return false;
  const minutes = Math.round(turn.bot.paymentWindowMs / 60_000);
  if (!(await closeUnpaid(turn, order, "expired", `unpaid after ${minutes} minutes`))) return false;
  turn.say({ text: turn.texts.orderExpired(order.id), kind: "order_update" });
  return true;
}

/** The invoice of an order: a booking's deposit says so, any other order says what it is for. */
export async function invoiceMessage(turn: Turn, order: Order) {
  const booking = await turn.tx.bookingByOrder(order.id);
  if (booking) return depositInvoice(turn, booking, order);
  const total = turn.money(order.total, order.currency);
  const shipping = orderShips(turn.bot, order) && order.shipping === undefined ? { shipping: true } : {};
  return {
    text: turn.texts.orderPlaced(order.id, total, Math.round(turn.bot.paymentWindowMs / 60_000)),
    invoice: { order: order.id, title: turn.texts.invoiceTitle(turn.bot.name, order.id), amount: order.total, currency: order.currency, ...shipping },
  };
}

/**
 * The shipping a payment chose for an order of goods that ship: the option
 * must go to the address's country, and its price is owed on top of the
 * items. Undefined when the order ships nothing, or the report carries no
 * shipping (the amount check then holds the payment to the items alone);
 * "unshippable" for an option that does not go to that country.
 */
function shippingOf(turn: Turn, order: Order, report: PaymentReport): OrderShipping | "unshippable" | undefined {
  const policy = turn.bot.shipping;
  if (!report.shipping || !policy || !orderShips(turn.bot, order) || order.shipping !== undefined) return undefined;
  const { optionId, address, name } = report.shipping;
  const option = shippingOption(policy, optionId, address.countryCode);
  if (!option) return "unshippable";
  return { optionId, label: turn.localName(option.label, option), amount: option.price, address, ...(name === undefined ? {} : { name }) };
}

export type PaymentOutcome = "paid" | "declined" | "rejected" | "late" | "duplicate" | "unknown_order";

/**
 * Applies a verified provider report to its order: records it once, and
 * settles the order only for its exact amount and currency while it awaits payment.
 */
export async function applyPayment(turn: Turn, report: PaymentReport): Promise<PaymentOutcome> {
  const { tx, texts } = turn;
  const order = await tx.getOrder(report.orderId);
  if (!order || order.botId !== turn.bot.id || order.userId !== turn.address.userId || order.channel !== turn.address.channel) {
    return "unknown_order";
  }
  // Providers check amounts where they enter (webhooks, Telegram updates); this is the engine's own guard: nothing is recorded, the turn fails.
  const badAmount = paymentAmountProblem(report.amount);
  if (badAmount !== undefined) {
    throw new CommerceError("invalid_amount", `payment ${report.provider}/${report.reference} for order ${order.id}: amount ${badAmount}; nothing was recorded`, { orderId: order.id });
  }
  if (!(await tx.recordPayment(report, turn.now))) return "duplicate";
  if (report.outcome === "declined") {
    turn.say({ text: texts.paymentDeclined(report.reason ?? "declined"), kind: "order_update" });
    return "declined";
  }
  const shipping = shippingOf(turn, order, report);
  const owed = shipping === "unshippable" ? undefined : shipping;
  const due = order.total + (owed?.amount ?? 0);
  try {
    if (shipping === "unshippable") {
      throw new CommerceError("payment_mismatch", `payment ${report.provider}/${report.reference} chose shipping '${report.shipping?.optionId}', which does not go to ${report.shipping?.address.countryCode}`);
    }
    assertPaymentMatches({ ...order, total: due }, report);
  } catch (error) {
    if (error instanceof CommerceError && error.code === "payment_mismatch") {
      // The provider took money that settles nothing: it goes back.
      await oweRefund(turn, order, report, report.amount, error.message);
      turn.say({ text: texts.paymentMismatch(order.id), kind: "order_update" });
      return "rejected";
    }
    throw error;
  }
  if (order.status !== "awaiting_payment") {
    await oweRefund(turn, order, report, report.amount, `payment arrived after the order was ${order.status}`);
    turn.say({ text: texts.paymentTooLate(order.id), kind: "order_update" });
    return "late";
  }
  const reference = `payment ${report.provider}/${report.reference}`;
  if (owed) await tx.setOrderShipping(order.id, owed, turn.now);
  await tx.transitionOrder(order.id, "awaiting_payment", "paid", reference, turn.now);
  await tx.cancelTimer(expiryTimerKey(order.id));
  // A booking's deposit: the booking's confirmation is the receipt, and what the shop hears of.
  if (await confirmDeposit(turn, order, reference)) return "paid";
  await tellShopOrder(turn, "order.paid", order.id, { payment: { provider: report.provider, reference: report.reference, amount: report.amount, currency: report.currency } });
  const items = order.items.map((item) => `${describeLine(turn.localLine(item))} — ${turn.money(item.lineTotal, order.currency)}`);
  if (owed) items.push(texts.shippingLine(owed.label, turn.money(owed.amount, order.currency)));
  const lines = items.join("\n");
  turn.say({ text: texts.receipt(order.id, lines, turn.money(due, order.currency)), kind: "order_update" });
  return "paid";
}
