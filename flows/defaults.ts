/**
 * What a step gets when its author leaves a field out. The TS builder and the
 * YAML schema both read these, so a flow means the same whichever way it was
 * written.
 */
export const DEFAULT_SLOTS = {
  product: "product",
  options: "options",
  quantity: "quantity",
} as const;

/** Units a quantity step accepts when it does not say. */
export const DEFAULT_QUANTITY = { min: 1, max: 10 } as const;

/** Units a cart line may be changed to in the cart review when it does not say. */
export const DEFAULT_MAX_LINE_QUANTITY = 10;

/** The slot a checkout step keeps the placed order's id in, until it is paid. */
export const ORDER_SLOT = "order";

/** The slot a book step keeps the booking's id in. */
export const BOOKING_SLOT = "booking";

/** What a book step offers when it does not say. */
export const DEFAULT_BOOK = { days: 6, horizonDays: 60 } as const;

/**
 * The slot holding a deep link's start parameter: `table_12` of
 * `https://t.me/<bot>?start=table_12` (Telegram sends `/start table_12`).
 * Set when the conversation starts over with one; absent otherwise.
 */
export const START_PARAM_SLOT = "start_param";

/** A start parameter as Telegram allows it: 1–64 of A–Z, a–z, 0–9, _ and -. Others are dropped. */
export const START_PARAM = /^[A-Za-z0-9_-]{1,64}$/;

/** The slot holding the booking a book step is moving, while a customer reschedules. */
export const RESCHEDULE_SLOT = "reschedule";
