import { receiveCatalogOrder, type CatalogOrderItem } from "./catalog-order.ts";
import type { PaymentReport } from "../commerce/index.ts";
import type { TimerRow } from "../store/index.ts";
import type { Step } from "./ir.ts";
import { matchBookingAction, runBookingAction } from "./booking-actions.ts";
import { matchOrderAction, runOrderAction } from "./order-actions.ts";
import { BOOKING_COMPLETE_TIMER, BOOKING_EXPIRE_TIMER, BOOKING_REMIND_TIMER, completeBooking, expireHold, sendReminder } from "./bookings.ts";
import { matchCommand, runCommand } from "./commands.ts";
import { runMerchantAction, type MerchantAction } from "./fulfilment.ts";
import { currentStep, follow, reprompt, startMain } from "./navigation.ts";
import { BOOKING_SLOT } from "./defaults.ts";
import { applyPayment, EXPIRE_TIMER, expireOrder, ORDER_SLOT } from "./orders.ts";
import { handlerOf, type Input } from "./steps/index.ts";
import type { Turn } from "./turn.ts";

/** Everything a turn can be about. */
export type TurnInput =
  | Input
  | { readonly kind: "payment"; readonly report: PaymentReport }
  | { readonly kind: "timer"; readonly timer: TimerRow }
  /** A cart the customer filled in the channel's own catalog (WhatsApp): re-priced from the bot's catalog. */
  | { readonly kind: "catalog_order"; readonly items: readonly CatalogOrderItem[] }
  /**
   * Something the customer sent that no flow can read: a photo, voice note,
   * sticker, document… (`media`), or a card submit that names no choice
   * (`empty`). The customer is told, in their language, and asked again.
   */
  | { readonly kind: "unsupported"; readonly what: "media" | "empty" }
  /** What the shop did to an order (flows/fulfilment.ts): the customer is told in this conversation. */
  | { readonly kind: "merchant"; readonly action: MerchantAction };

async function onPayment(turn: Turn, report: PaymentReport): Promise<void> {
  const outcome = await applyPayment(turn, report);
  const step = currentStep(turn);
  if (outcome === "paid" && step?.type === "pay" && turn.state.slots[ORDER_SLOT] === report.orderId) {
    delete turn.state.slots[ORDER_SLOT];
    await follow(turn, { goto: turn.nextOf(step) });
  }
}

/** An invoice that can no longer be paid: the flow waiting on it at a pay step ends. */
async function dropUnpayable(turn: Turn, orderId: string | undefined): Promise<void> {
  if (orderId === undefined || turn.state.slots[ORDER_SLOT] !== orderId) return;
  delete turn.state.slots[ORDER_SLOT];
  if (currentStep(turn)?.type === "pay") await follow(turn, { goto: null });
}

async function onTimer(turn: Turn, timer: TimerRow): Promise<void> {
  switch (timer.name) {
    case EXPIRE_TIMER: {
      const orderId = String(timer.data.order);
      if (await expireOrder(turn, orderId)) await dropUnpayable(turn, orderId);
      return;
    }
    case BOOKING_EXPIRE_TIMER: {
      const bookingId = String(timer.data.booking);
      const booking = await turn.tx.getBooking(bookingId);
      if (!(await expireHold(turn, bookingId))) return;
      if (turn.state.slots[BOOKING_SLOT] === bookingId) delete turn.state.slots[BOOKING_SLOT];
      await dropUnpayable(turn, booking?.orderId);
      return;
    }
    case BOOKING_REMIND_TIMER:
      await sendReminder(turn, timer.data);
      return;
    case BOOKING_COMPLETE_TIMER:
      await completeBooking(turn, timer.data);
      return;
  }
}

/** Whether the step shows a button to share a contact or a location (see OutboundMessage.request). */
function requests(step: Step | undefined): boolean {
  return step?.type === "ask" && (step.input === "phone" || step.input === "location");
}

/**
 * One turn over the conversation in `turn.state`: the flow's transition
 * function. A turn that leaves a question showing a share button takes the
 * button away with its first plain text (else its first message), unless it
 * shows another.
 */
export async function interpret(turn: Turn, input: TurnInput): Promise<void> {
  const asking = requests(currentStep(turn)) ? turn.state.stepId : null;
  await run(turn, input);
  if (asking === null || (turn.state.stepId === asking && requests(currentStep(turn)))) return;
  if (turn.outbound.some((m) => m.request !== undefined)) return;
  // A plain text carries the removal best: on Telegram, a message with inline buttons cannot.
  const plain = turn.outbound.findIndex((m) => !m.buttons?.length && !m.cards?.length && !m.invoice);
  const at = plain === -1 ? 0 : plain;
  const message = turn.outbound[at];
  if (message) turn.outbound[at] = { ...message, endsRequest: true };
}

/** Says what was not understood, then the step the customer is at again (or the bot's start, when none waits). */
async function answerUnsupported(turn: Turn, what: "media" | "empty"): Promise<void> {
  turn.refuse();
  turn.say(what === "media" ? turn.texts.mediaNotRead : turn.texts.notUnderstood);
  if (currentStep(turn)) await reprompt(turn);
  else await startMain(turn);
}

async function run(turn: Turn, input: TurnInput): Promise<void> {
  if (input.kind === "payment") return onPayment(turn, input.report);
  if (input.kind === "unsupported") return answerUnsupported(turn, input.what);
  if (input.kind === "timer") return onTimer(turn, input.timer);
  if (input.kind === "merchant") return runMerchantAction(turn, input.action);
  if (input.kind === "catalog_order") {
    const review = await receiveCatalogOrder(turn, input.items);
    if (review?.main) return startMain(turn, review.goto);
    if (review) return follow(turn, { goto: review.goto });
    return;
  }
  const command = matchCommand(input, turn.bot.calendar);
  if (command) return runCommand(turn, command);
  const bookingAction = matchBookingAction(turn, input);
  if (bookingAction) return runBookingAction(turn, bookingAction);
  const orderAction = matchOrderAction(turn, input);
  if (orderAction) return runOrderAction(turn, orderAction);
  const step = currentStep(turn);
  if (!step) {
    // A button of a finished conversation starts it again; the button itself was not taken.
    if (input.kind === "postback") turn.refuse();
    return startMain(turn);
  }
  const handler = handlerOf(step);
  await follow(turn, handler.receive ? await handler.receive(turn, step, input) : { goto: turn.nextOf(step) });
}
