import { firstOver, overLimit, type OverLimit } from "../limits.ts";
import { MAX_CALLBACK_DATA } from "./callback-data.ts";
import { MAX_TEXT } from "./html.ts";

/** Longest language tag taken from `language_code` (BCP 47's practical maximum); Telegram sends two or so. */
export const MAX_LANGUAGE_CODE = 35;

interface From {
  readonly language_code?: string | undefined;
}

/** The parts of an update whose sizes Kiosk bounds (the parsed shape of updates.ts). */
export interface BoundedUpdate {
  readonly message?: { readonly from?: From | undefined; readonly text?: string | undefined } | undefined;
  readonly callback_query?: { readonly from: From; readonly data?: string | undefined } | undefined;
  readonly pre_checkout_query?: { readonly from: From } | undefined;
  readonly shipping_query?: { readonly from: From } | undefined;
}

/**
 * The first field of an update over the Bot API's own limits: a message
 * text over 4096 characters (sendMessage's limit, which a user's message
 * shares), callback data over 64 bytes, a language code no language has.
 * (A location off the globe is the ask step's to refuse: it asks again.) Telegram never sends these; an update
 * that has one is acknowledged and not run.
 */
export function updateOverLimit(u: BoundedUpdate): OverLimit | undefined {
  const m = u.message;
  const from = m?.from ?? u.callback_query?.from ?? u.pre_checkout_query?.from ?? u.shipping_query?.from;
  return firstOver(
    overLimit("message.text", m?.text, MAX_TEXT, "characters"),
    overLimit("callback_query.data", u.callback_query?.data, MAX_CALLBACK_DATA, "bytes"),
    overLimit("from.language_code", from?.language_code, MAX_LANGUAGE_CODE, "characters"),
  );
}
