import { cancelBooking, cancelQuestion, customerBooking } from "./bookings.ts";
import { BOOKING_SLOT, ORDER_SLOT, RESCHEDULE_SLOT } from "./defaults.ts";
import { currentStep, follow, reprompt, startMain } from "./navigation.ts";
import { pick, type Input } from "./steps/index.ts";
import type { Turn } from "./turn.ts";

/**
 * What a booking's buttons do, wherever the customer is in a flow: on "my
 * bookings" cards and on reminders. Payloads are `booking:<verb>:<id>`.
 */
export type BookingAction = { readonly verb: "cancel" | "cancel-yes" | "keep" | "reschedule"; readonly bookingId: string };

const PAYLOAD = /^booking:(cancel|cancel-yes|keep|reschedule):(\d+)$/;

/** A booking button pressed, or typed text that picks one on screen ("yes" to "cancel this booking?"). */
export function matchBookingAction(turn: Turn, input: Input): BookingAction | undefined {
  const payload = input.kind === "postback" ? input.payload : pick(input, turn.state.screen.filter((c) => c.payload.startsWith("booking:")))?.payload;
  const match = payload === undefined ? null : PAYLOAD.exec(payload);
  if (!match?.[1] || !match[2]) return undefined;
  return { verb: match[1] as BookingAction["verb"], bookingId: match[2] };
}

export async function runBookingAction(turn: Turn, action: BookingAction): Promise<void> {
  const { texts } = turn;
  const booking = await customerBooking(turn, action.bookingId);
  const open = booking && (booking.status === "held" || booking.status === "confirmed") && booking.start.getTime() > turn.now.getTime();
  if (!booking || !open) {
    turn.say(texts.bookingClosed(action.bookingId));
    return reprompt(turn);
  }
  switch (action.verb) {
    case "cancel":
      turn.ask(cancelQuestion(turn, booking), [
        { label: texts.yesCancel, payload: `booking:cancel-yes:${booking.id}`, aliases: texts.yesWords },
        { label: texts.keepBooking, payload: `booking:keep:${booking.id}`, aliases: texts.noWords },
      ]);
      return;
    case "keep":
      turn.say(texts.bookingKept);
      return reprompt(turn);
    case "cancel-yes": {
      await cancelBooking(turn, booking, "customer cancelled in chat");
      // Cancelling the booking the flow is paying for leaves nothing to pay.
      if (turn.state.slots[BOOKING_SLOT] === booking.id) {
        delete turn.state.slots[BOOKING_SLOT];
        if (turn.state.slots[ORDER_SLOT] === booking.orderId) delete turn.state.slots[ORDER_SLOT];
        if (currentStep(turn)?.type === "pay") return follow(turn, { goto: null });
      }
      return reprompt(turn);
    }
    case "reschedule": {
      const bookStep = turn.bot.bookStep;
      if (booking.status !== "confirmed" || bookStep === undefined) {
        turn.say(texts.bookingClosed(booking.id));
        return reprompt(turn);
      }
      turn.state.slots[RESCHEDULE_SLOT] = booking.id;
      return startMain(turn, bookStep);
    }
  }
}
