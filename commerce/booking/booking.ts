import { CommerceError } from "../errors.ts";
import type { Service } from "./types.ts";

/** `no_show`: the customer did not come, as the shop marks it once the time has begun; the deposit is kept. */
export const BOOKING_STATUSES = ["held", "confirmed", "cancelled", "expired", "completed", "no_show"] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** A booking of one service on one resource; amounts are integers in the currency's minor unit. */
export interface Booking {
  readonly id: string;
  readonly botId: string;
  readonly channel: string;
  readonly userId: string;
  readonly serviceId: string;
  readonly resourceId: string;
  /** UTC instant; `end` is exclusive. */
  readonly start: Date;
  readonly end: Date;
  readonly status: BookingStatus;
  readonly price: number;
  readonly deposit: number;
  readonly depositPaid: number;
  readonly depositRefunded: number;
  readonly currency: string;
  /** The order paying the deposit, once placed. */
  readonly orderId?: string;
  /** Until when cancelling refunds the deposit (see policy.ts); null: a cancellation keeps it. */
  readonly freeCancelUntil: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface BookingTransition {
  readonly from: BookingStatus;
  readonly to: BookingStatus;
  readonly cause: string;
  readonly at: Date;
}

const allowed: Readonly<Record<BookingStatus, readonly BookingStatus[]>> = {
  held: ["confirmed", "cancelled", "expired"],
  confirmed: ["cancelled", "completed", "no_show"],
  cancelled: [],
  expired: [],
  // The shop may mark a no-show after the appointment's time has run out.
  completed: ["no_show"],
  no_show: [],
};

export function canBookingTransition(from: BookingStatus, to: BookingStatus): boolean {
  return allowed[from].includes(to);
}

export function assertBookingTransition(booking: Pick<Booking, "id" | "status">, to: BookingStatus): void {
  if (!canBookingTransition(booking.status, to)) {
    throw new CommerceError("invalid_transition", `booking ${booking.id} cannot go from ${booking.status} to ${to}`, {
      bookingId: booking.id,
      from: booking.status,
      to,
    });
  }
}

/** Statuses in which a booking takes its resource's time: a hold blocks like a confirmed booking. */
export function blocksSlot(status: BookingStatus): boolean {
  return status === "held" || status === "confirmed";
}

/**
 * The upfront part of a service's price, in whole minor units.
 *
 * Rounds half up (`Math.round` on a non-negative amount): a minor unit cannot
 * be split, and rounding up on the half keeps a 50% deposit on an odd price
 * from being less than half. The result never exceeds the price.
 */
export function depositFor(service: Pick<Service, "id" | "price" | "depositPercent">, percent: number = service.depositPercent ?? 0): number {
  if (!Number.isSafeInteger(service.price) || service.price < 0) {
    throw new CommerceError("invalid_option", `service ${service.id}: price must be non-negative minor units`, { field: "price", value: service.price });
  }
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new CommerceError("invalid_option", `service ${service.id}: deposit percent must be within 0–100`, { field: "depositPercent", value: percent });
  }
  return Math.min(service.price, Math.round((service.price * percent) / 100));
}
