import { GrammyError } from "grammy";
import { grammySignal } from "./signal.ts";
import { toSendError, type TelegramSender } from "./sender.ts";
import { STARS } from "../../commerce/index.ts";
import type { Refunder } from "../../jobs/index.ts";

/** Telegram's answer when the charge was refunded before (by us in an earlier attempt, or by hand). */
const ALREADY_REFUNDED = /CHARGE_ALREADY_REFUNDED/;

/**
 * Refunds Telegram payments: Stars (XTR) through `refundStarPayment`; a
 * payment through a card provider has no Bot API refund call, so it is
 * recorded `manual` with the provider's charge id for the business to refund
 * in that provider's dashboard.
 */
export function telegramRefunder(sender: TelegramSender): Refunder {
  return {
    provider: "telegram",
    async refund(refund, signal) {
      if (refund.currency !== STARS) {
        const charge = refund.providerReference ?? refund.paymentReference;
        return { status: "manual", note: `Telegram has no refund call for card payments: refund ${refund.amount} ${refund.currency} of provider charge ${charge} in the payment provider's dashboard` };
      }
      try {
        await sender.api(refund.botId).refundStarPayment(Number(refund.userId), refund.paymentReference, grammySignal(signal));
        return { status: "refunded", note: `refundStarPayment ${refund.paymentReference}` };
      } catch (error) {
        if (error instanceof GrammyError && ALREADY_REFUNDED.test(error.description)) {
          return { status: "refunded", note: `refunded before (${error.description})` };
        }
        throw toSendError(error, `refundStarPayment ${refund.paymentReference} (bot ${refund.botId})`);
      }
    },
  };
}
