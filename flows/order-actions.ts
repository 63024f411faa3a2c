import { refundableUntil, type Order } from "../commerce/index.ts";
import { reprompt } from "./navigation.ts";
import { tellShopOrder } from "./merchant-events.ts";
import { oweRefund } from "./refunds.ts";
import { pick, type Input } from "./steps/index.ts";
import type { PaymentRecord } from "../store/index.ts";
import type { Turn } from "./turn.ts";

/**
 * What a paid order's buttons on "my orders" do, wherever the customer is
 * in a flow: cancel it for a full refund while its products allow (see
 * Product.refundableDays). Payloads are `order:<verb>:<id>`.
 */
export type OrderAction = { readonly verb: "cancel" | "cancel-yes" | "keep"; readonly orderId: string };

const PAYLOAD = /^order:(cancel|cancel-yes|keep):(\d+)$/;

/** An order button pressed, or typed text that picks one on screen ("yes" to "cancel this order?"). */
export function matchOrderAction(turn: Turn, input: Input): OrderAction | undefined {
  const payload = input.kind === "postback" ? input.payload : pick(input, turn.state.screen.filter((c) => c.payload.startsWith("order:")))?.payload;
  const match = payload === undefined ? null : PAYLOAD.exec(payload);
  if (!match?.[1] || !match[2]) return undefined;
  return { verb: match[1] as OrderAction["verb"], orderId: match[2] };
}

interface Refundable {
  readonly order: Order;
  /** The payment that paid it, refunded whole. */
  readonly payment: PaymentRecord;
}

/**
 * The payment a cancellation of `order` would refund now, or undefined when
 * it cannot be cancelled: not this customer's, not paid, or past its
 * products' refund window. Reads the payment only for a paid order.
 */
export async function refundablePayment(turn: Turn, order: Order): Promise<PaymentRecord | undefined> {
  const { botId, channel, userId } = turn.address;
  const catalog = turn.bot.catalog;
  if (!catalog || order.botId !== botId || order.channel !== channel || order.userId !== userId || order.status !== "paid") return undefined;
  const payment = await turn.tx.paymentOf(order.id);
  const until = payment && refundableUntil(order, catalog, payment.at);
  return until && turn.now.getTime() < until.getTime() ? payment : undefined;
}

async function refundableOrder(turn: Turn, orderId: string): Promise<Refundable | undefined> {
  const order = await turn.tx.getOrder(orderId);
  const payment = order && (await refundablePayment(turn, order));
  return order && payment ? { order, payment } : undefined;
}

export async function runOrderAction(turn: Turn, action: OrderAction): Promise<void> {
  const { texts } = turn;
  const refundable = await refundableOrder(turn, action.orderId);
  if (!refundable) {
    turn.say(texts.orderNotCancellable(action.orderId));
    return reprompt(turn);
  }
  const { order, payment } = refundable;
  const refund = turn.money(payment.amount, order.currency);
  switch (action.verb) {
    case "cancel":
      turn.ask(texts.confirmCancelOrder(order.id, refund), [
        { label: texts.yesCancel, payload: `order:cancel-yes:${order.id}`, aliases: texts.yesWords },
        { label: texts.keepOrder, payload: `order:keep:${order.id}`, aliases: texts.noWords },
      ]);
      return;
    case "keep":
      turn.say(texts.orderKept(order.id));
      return reprompt(turn);
    case "cancel-yes": {
      const cause = "customer cancelled in chat, within the refund window";
      if (await turn.tx.transitionOrder(order.id, "paid", "refunded", cause, turn.now)) {
        await oweRefund(turn, order, payment, payment.amount, cause);
        await tellShopOrder(turn, "order.refunded", order.id, { by: "customer", refund: payment.amount });
        turn.say({ text: texts.orderCancelledRefund(order.id, refund), kind: "order_update" });
      }
      return reprompt(turn);
    }
  }
}
