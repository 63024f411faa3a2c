import { and, asc, eq, type SQL } from "drizzle-orm";
import { assertBookingTransition } from "../../commerce/index.ts";
import type { Appointment, Booking, BookingStatus, BookingTransition } from "../../commerce/index.ts";
import type { BookingAmounts, BookingFilter, BookingMove, NewBooking } from "../ports/bookings.ts";
import type { Db, Queries } from "./queries.ts";
import { rowId, toBooking } from "./rows.ts";
import * as schema from "./schema.ts";

/**
 * Bookings: holds on a resource's time, their status history and moves.
 * The clash checks followed by writes are race-free only inside a turn's
 * transaction (see holdSlot).
 */

function bookingWhere(filter: BookingFilter): SQL | undefined {
  const b = schema.bookings;
  return and(
    filter.botId === undefined ? undefined : eq(b.botId, filter.botId),
    filter.channel === undefined ? undefined : eq(b.channel, filter.channel),
    filter.userId === undefined ? undefined : eq(b.userId, filter.userId),
    filter.resourceId === undefined ? undefined : eq(b.resourceId, filter.resourceId),
    filter.status === undefined ? undefined : eq(b.status, filter.status),
  );
}

/** Inserts a `held` booking and its first transition unless a blocking booking of the resource overlaps it. */
export function holdSlot(q: Queries, booking: NewBooking): Booking | undefined {
  if (!(booking.end.getTime() > booking.start.getTime())) throw new RangeError(`a hold must end after it starts (${booking.start.toISOString()})`);
  // Check-then-insert is race-free because it runs inside the turn's
  // transaction, opened with BEGIN IMMEDIATE: SQLite admits one writer per
  // file at a time (other processes wait out the busy timeout), and this
  // process runs one turn at a time, so no other hold can land between the
  // check and the insert.
  const window = { botId: booking.botId, resourceId: booking.resourceId, start: booking.start.getTime(), end: booking.end.getTime() };
  if (q.bookingClash.get(window)) return undefined;
  const row = q.insertBooking.get({
    botId: booking.botId,
    channel: booking.channel,
    userId: booking.userId,
    serviceId: booking.serviceId,
    resourceId: booking.resourceId,
    start: booking.start,
    end: booking.end,
    price: booking.price,
    deposit: booking.deposit,
    currency: booking.currency,
    freeCancelUntil: booking.freeCancelUntil?.getTime() ?? null,
    at: booking.at,
  });
  if (!row) throw new Error("inserting a booking returned no row");
  // Like orders' draft→status, the first entry records why the booking exists.
  q.recordBookingTransition.run({ bookingId: row.id, from: "held", to: "held", cause: booking.cause, at: booking.at });
  return toBooking(row);
}

/** The booking with this id, or undefined. */
export function getBooking(q: Queries, id: string): Booking | undefined {
  const row = q.getBooking.get({ id: rowId(id) });
  return row && toBooking(row);
}

/** Moves a booking from `from` to `to` (setting `amounts`) and records the transition; false when it was no longer in `from`. */
export function transitionBooking(q: Queries, id: string, from: BookingStatus, to: BookingStatus, cause: string, at: Date, amounts: BookingAmounts = {}): boolean {
  assertBookingTransition({ id, status: from }, to);
  const moved = q.moveBooking.run({
    id: rowId(id),
    from,
    to,
    at: at.getTime(),
    depositPaid: amounts.depositPaid ?? null,
    depositRefunded: amounts.depositRefunded ?? null,
  });
  if (moved.changes !== 1) return false;
  q.recordBookingTransition.run({ bookingId: rowId(id), from, to, cause, at });
  return true;
}

/** Links a booking to the order that pays its deposit. */
export function setDepositOrder(q: Queries, bookingId: string, orderId: string): void {
  q.setBookingOrder.run({ id: rowId(bookingId), orderId: rowId(orderId) });
}

/** The booking whose deposit this order pays, or undefined. */
export function bookingByOrder(q: Queries, orderId: string): Booking | undefined {
  const row = q.bookingByOrder.get({ orderId: rowId(orderId) });
  return row && toBooking(row);
}

/** Moves a confirmed booking unless another blocking booking overlaps the new time; records confirmed → confirmed. */
export function rescheduleBooking(q: Queries, id: string, move: BookingMove, cause: string, at: Date): Booking | undefined {
  if (!(move.end.getTime() > move.start.getTime())) throw new RangeError(`a booking must end after it starts (${move.start.toISOString()})`);
  const current = getBooking(q, id);
  if (!current || current.status !== "confirmed") return undefined;
  // Race-free for the same reason as holdSlot: the turn's BEGIN IMMEDIATE transaction.
  const window = { botId: current.botId, resourceId: move.resourceId, start: move.start.getTime(), end: move.end.getTime(), id: rowId(id) };
  if (q.bookingClashExcept.get(window)) return undefined;
  const row = q.rescheduleBooking.get({
    id: rowId(id),
    resourceId: move.resourceId,
    start: move.start.getTime(),
    end: move.end.getTime(),
    freeCancelUntil: move.freeCancelUntil?.getTime() ?? null,
    at: at.getTime(),
  });
  if (!row) return undefined;
  q.recordBookingTransition.run({ bookingId: row.id, from: "confirmed", to: "confirmed", cause, at });
  return toBooking(row);
}

/** The bookings matching the filter, by start then id. */
export function listBookings(db: Db, filter: BookingFilter): Booking[] {
  const b = schema.bookings;
  return db.select().from(b).where(bookingWhere(filter)).orderBy(asc(b.start), asc(b.id)).all().map(toBooking);
}

/** The bot's held and confirmed bookings overlapping `[from, to)`, by start. */
export function busyAppointments(q: Queries, botId: string, from: Date, to: Date): Appointment[] {
  return q.busyAppointments.all({ botId, start: from.getTime(), end: to.getTime() });
}

/** A booking's status changes, oldest first. */
export function bookingHistory(db: Db, id: string): BookingTransition[] {
  const t = schema.bookingTransitions;
  return db
    .select()
    .from(t)
    .where(eq(t.bookingId, rowId(id)))
    .orderBy(asc(t.id))
    .all()
    .map((r) => ({ from: r.fromStatus as BookingStatus, to: r.toStatus as BookingStatus, cause: r.cause, at: r.at }));
}
