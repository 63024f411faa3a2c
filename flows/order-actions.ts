import { refundableUntil, type Order } from "../commerce/index.ts";
import { reprompt } from "./interpreter.ts";
import { oweRefund } from "./refunds.ts";
import { pick, type Input } from "./steps/index.ts";
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

/** The customer's own paid order and the refund its cancellation would give now, or undefined when it cannot be cancelled. */
export async function refundableOrder(turn: Turn, orderId: string): Promise<{ readonly order: Order; readonly amount: number } | undefined> {
  const order = await turn.tx.getOrder(orderId);
  const { botId, channel, userId } = turn.address;
  if (!order || order.botId !== botId || order.channel !== channel || order.userId !== userId || order.status !== "paid") return undefined;
  const catalog = turn.bot.catalog;
  const payment = await turn.tx.paymentOf(order.id);
  if (!catalog || !payment) return undefined;
  const until = refundableUntil(order, catalog, payment.at);
  if (!until || turn.now.getTime() >= until.getTime()) return undefined;
  return { order, amount: payment.amount };
}

export async function runOrderAction(turn: Turn, action: OrderAction): Promise<void> {
  const { texts } = turn;
  const refundable = await refundableOrder(turn, action.orderId);
  if (!refundable) {
    turn.say(texts.orderNotCancellable(action.orderId));
    return reprompt(turn);
  }
  const { order, amount } = refundable;
  const refund = turn.money(amount, order.currency);
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
      const payment = await turn.tx.paymentOf(order.id);
      if (payment && (await turn.tx.transitionOrder(order.id, "paid", "refunded", cause, turn.now))) {
        await oweRefund(turn, order, payment, amount, cause);
        turn.say({ text: texts.orderCancelledRefund(order.id, refund), kind: "order_update" });
      }
      return reprompt(turn);
    }
  }
}
