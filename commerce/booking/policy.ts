import { Duration } from "luxon";
import { CommerceError } from "../errors.ts";
import type { Booking } from "./booking.ts";

/** A business's booking terms. */
export interface BookingPolicy {
  /** Minutes a hold waits for its deposit before it expires and frees the slot. */
  readonly holdMinutes: number;
  /** Cancelling at least this many hours before the start refunds the deposit; later it is kept. */
  readonly freeCancelHours: number;
  /** When reminders go out before an appointment, as ISO 8601 durations ("PT24H"). */
  readonly reminders: readonly string[];
}

export const DEFAULT_BOOKING_POLICY: BookingPolicy = { holdMinutes: 10, freeCancelHours: 24, reminders: ["PT24H", "PT2H"] };

const HOUR_MS = 3_600_000;

/** The policy with the business's choices over the defaults; throws a CommerceError naming a bad field. */
export function bookingPolicy(overrides: Partial<BookingPolicy> = {}): BookingPolicy {
  const policy = { ...DEFAULT_BOOKING_POLICY, ...overrides };
  if (!Number.isInteger(policy.holdMinutes) || policy.holdMinutes < 1) {
    throw new CommerceError("invalid_option", `holdMinutes must be a whole number of minutes ≥ 1, got ${policy.holdMinutes}`, { field: "holdMinutes" });
  }
  if (!Number.isFinite(policy.freeCancelHours) || policy.freeCancelHours < 0) {
    throw new CommerceError("invalid_option", `freeCancelHours must be ≥ 0, got ${policy.freeCancelHours}`, { field: "freeCancelHours" });
  }
  for (const reminder of policy.reminders) reminderOffsetMs(reminder);
  return policy;
}

/** How long before the start a reminder goes out. */
export function reminderOffsetMs(reminder: string): number {
  const duration = Duration.fromISO(reminder);
  if (!duration.isValid || duration.toMillis() <= 0) {
    throw new CommerceError("invalid_option", `reminder '${reminder}' is not a positive ISO 8601 duration (e.g. PT24H)`, { field: "reminders", value: reminder });
  }
  return duration.toMillis();
}

/** The last instant a booking starting at `start` can be cancelled with its deposit refunded. */
export function freeCancelUntil(start: Date, policy: BookingPolicy): Date {
  return new Date(start.getTime() - policy.freeCancelHours * HOUR_MS);
}

/** What cancelling now gives back: the deposit paid when inside the free window, else nothing. */
export function cancellationRefund(booking: Pick<Booking, "depositPaid" | "depositRefunded" | "freeCancelUntil">, now: Date): number {
  const free = booking.freeCancelUntil !== null && now.getTime() <= booking.freeCancelUntil.getTime();
  return free ? booking.depositPaid - booking.depositRefunded : 0;
}

/**
 * The free-cancellation line after moving a booking to `start`. A move made
 * while cancelling is still free stays free until the policy's line before
 * the new time; a move made after the line keeps the deposit non-refundable,
 * so a late reschedule cannot turn a kept deposit back into a refund.
 */
export function freeCancelAfterMove(booking: Pick<Booking, "freeCancelUntil">, start: Date, now: Date, policy: BookingPolicy): Date | null {
  const stillFree = booking.freeCancelUntil !== null && now.getTime() <= booking.freeCancelUntil.getTime();
  return stillFree ? freeCancelUntil(start, policy) : booking.freeCancelUntil;
}
