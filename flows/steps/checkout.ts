import type { CheckoutStep, PayStep } from "../ir.ts";
import { invoiceMessage, ORDER_SLOT, placeOrder } from "../orders.ts";
import { goto, WAIT, type Turn } from "../turn.ts";
import type { StepHandler } from "./types.ts";

export const checkout: StepHandler<CheckoutStep> = {
  async enter(turn, step) {
    if (turn.state.cart.length === 0) {
      turn.say(turn.texts.cartEmpty);
      return goto(step.back);
    }
    const result = await placeOrder(turn);
    if ("shortOf" in result) {
      const { name, left } = result.shortOf;
      turn.say(left === 0 ? turn.texts.soldOutProduct(name) : turn.texts.onlyLeft(left, name));
      return goto(step.back);
    }
    turn.state.cart = [];
    turn.state.slots[ORDER_SLOT] = result.order.id;
    return goto(turn.nextOf(step));
  },
};

async function currentOrder(turn: Turn) {
  const id = turn.state.slots[ORDER_SLOT];
  return typeof id === "string" ? turn.tx.getOrder(id) : undefined;
}

export const pay: StepHandler<PayStep> = {
  async enter(turn, step) {
    const order = await currentOrder(turn);
    if (!order || order.status !== "awaiting_payment") return goto(turn.nextOf(step));
    turn.state.screen = [];
    turn.say(await invoiceMessage(turn, order));
    return WAIT;
  },
  async prompt(turn) {
    const order = await currentOrder(turn);
    if (order) turn.say(await invoiceMessage(turn, order));
  },
  async receive(turn) {
    // Payments arrive as their own events; text here gets a reminder of what is owed.
    const order = await currentOrder(turn);
    if (!order || order.status !== "awaiting_payment") return goto(null);
    turn.refuse();
    const total = turn.money(order.total, order.currency);
    turn.say({ ...(await invoiceMessage(turn, order)), text: turn.texts.awaitingPayment(order.id, total) });
    return WAIT;
  },
};
