import type { Appointment, Booking, BookingStatus, BookingTransition } from "../../commerce/index.ts";
import type { ConversationAddress } from "./conversations.ts";

/** A hold to place: it becomes a `held` booking if its resource is free over `[start, end)`. */
export interface NewBooking extends ConversationAddress {
  readonly serviceId: string;
  readonly resourceId: string;
  readonly start: Date;
  readonly end: Date;
  readonly price: number;
  readonly deposit: number;
  readonly currency: string;
  /** Until when a cancellation refunds the deposit; null: never. */
  readonly freeCancelUntil: Date | null;
  readonly cause: string;
  readonly at: Date;
}

/** Where a confirmed booking moves to when rescheduled. */
export interface BookingMove {
  readonly resourceId: string;
  readonly start: Date;
  readonly end: Date;
  readonly freeCancelUntil: Date | null;
}

/** Which bookings to list; every field given must match. */
export interface BookingFilter {
  readonly botId?: string;
  readonly channel?: string;
  readonly userId?: string;
  readonly resourceId?: string;
  readonly status?: BookingStatus;
}

/** Deposit amounts a booking transition sets, e.g. the deposit paid on confirming. */
export interface BookingAmounts {
  readonly depositPaid?: number;
  readonly depositRefunded?: number;
}

/** Bookings as a turn holds, moves and reschedules them. */
export interface BookingTx {
  /**
   * Places a `held` booking unless a held or confirmed booking of the same
   * resource overlaps `[start, end)`; undefined when the time is taken.
   */
  holdSlot(booking: NewBooking): Promise<Booking | undefined>;
  getBooking(id: string): Promise<Booking | undefined>;
  /**
   * Moves a booking between statuses, recording the cause; false if it was no
   * longer in `from`. Throws `CommerceError("invalid_transition")` for a move
   * the booking state machine forbids.
   */
  transitionBooking(id: string, from: BookingStatus, to: BookingStatus, cause: string, at: Date, amounts?: BookingAmounts): Promise<boolean>;
  listBookings(filter: BookingFilter): Promise<Booking[]>;
  /** Links a held booking to the order that pays its deposit. */
  setDepositOrder(bookingId: string, orderId: string): Promise<void>;
  /** The booking whose deposit an order pays, if any. */
  bookingByOrder(orderId: string): Promise<Booking | undefined>;
  /**
   * Moves a confirmed booking to another time (and resource) unless a held or
   * confirmed booking other than itself overlaps it there; records the move
   * as a confirmed → confirmed transition. Undefined when the time is taken
   * or the booking is no longer confirmed.
   */
  rescheduleBooking(id: string, move: BookingMove, cause: string, at: Date): Promise<Booking | undefined>;
  /** Held and confirmed bookings of the bot overlapping `[from, to)`, as input for slot generation. */
  busyAppointments(botId: string, from: Date, to: Date): Promise<Appointment[]>;
}

/** Bookings read outside a turn. */
export interface BookingStore {
  listBookings(filter: BookingFilter): Promise<Booking[]>;
  bookingHistory(id: string): Promise<BookingTransition[]>;
}
