/**
 * Understanding what customers type, from the bot's own data: products,
 * quantities and options, bookings (service, who, day, time) and intents in
 * English, French and Chinese, by longest match
 * over the catalog's names, aliases and built-in words. Deterministic, no
 * model; what is not understood is said, not guessed.
 */
export { readOrder } from "./order.ts";
export type { OrderReading, ReadOrderOptions, UnderstoodItem } from "./order.ts";
export { readQuantity } from "./quantity.ts";
export { readOptionChoice } from "./option-choice.ts";
export { calendarSharedNames, sharedNames } from "./ambiguity.ts";
export type { SharedName } from "./ambiguity.ts";
export { readCorrection } from "./correction.ts";
export type { Correction, ReadCorrectionOptions } from "./correction.ts";
export { bookingWords, readIntent } from "./intents.ts";
export type { Intent, IntentName, ReadIntentOptions } from "./intents.ts";
export { ANY_RESOURCE, PART_RANGES, readBooking } from "./booking.ts";
export type { BookingReading, PartOfDay, ReadBookingOptions } from "./booking.ts";
