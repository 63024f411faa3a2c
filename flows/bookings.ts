import { DateTime } from "luxon";
import type { Button, Card } from "../core/message.ts";
import {
  cancellationRefund,
  depositFor,
  freeCancelAfterMove,
  freeCancelUntil,
  reminderOffsetMs,
  type Booking,
  type BookingCalendar,
  type Order,
  type Service,
} from "../commerce/index.ts";
import { BOOKING_SLOT, ORDER_SLOT } from "./defaults.ts";
import { FlowError } from "./errors.ts";
import { tellShopBooking } from "./merchant-events.ts";
import { oweRefund } from "./refunds.ts";
import { localName } from "./locale.ts";
import type { Turn } from "./turn.ts";

export const BOOKING_EXPIRE_TIMER = "booking.expire";
export const BOOKING_REMIND_TIMER = "booking.remind";
export const BOOKING_COMPLETE_TIMER = "booking.complete";

/** A bookable start the customer picked: which resource, from when. */
export interface SlotPick {
  readonly serviceId: string;
  readonly resourceId: string;
  readonly start: Date;
}

const expiryKey = (bookingId: string) => `booking-expire:${bookingId}`;
const reminderKey = (bookingId: string, reminder: string) => `booking-remind:${bookingId}:${reminder}`;
const completeKey = (bookingId: string) => `booking-complete:${bookingId}`;

export function calendarOf(turn: Turn): BookingCalendar {
  const calendar = turn.bot.calendar;
  if (!calendar) throw new FlowError("step_failed", `bot '${turn.bot.id}' has no booking calendar`, { bot: turn.bot.id });
  return calendar;
}

export function findService(turn: Turn, id: string): Service | undefined {
  return calendarOf(turn).services.find((s) => s.id === id);
}

export function serviceName(turn: Turn, service: Service): string {
  return localName(service.name, service, turn.state.locale, turn.bot.locale);
}

export function resourceName(turn: Turn, id: string): string {
  return calendarOf(turn).resources.find((r) => r.id === id)?.name ?? id;
}

/** An instant in the business's zone and the customer's language. */
function local(turn: Turn, at: Date): DateTime {
  return DateTime.fromJSDate(at, { zone: calendarOf(turn).timeZone }).setLocale(turn.state.locale);
}

/** "Friday 12 March" (in the customer's language). */
export function formatDay(turn: Turn, at: Date): string {
  return local(turn, at).toLocaleString({ weekday: "long", day: "numeric", month: "long" });
}

/** "10:00", or "10:00 AM" where the language writes it so. */
export function formatTime(turn: Turn, at: Date): string {
  return local(turn, at).toLocaleString(DateTime.TIME_SIMPLE);
}

/** What and when, as every booking message names them. */
export function describeBooking(turn: Turn, booking: Pick<Booking, "serviceId" | "resourceId" | "start">): { what: string; when: string } {
  const service = findService(turn, booking.serviceId);
  const name = service ? serviceName(turn, service) : booking.serviceId;
  return {
    what: turn.texts.withResource(name, resourceName(turn, booking.resourceId)),
    when: turn.texts.dayAtTime(formatDay(turn, booking.start), formatTime(turn, booking.start)),
  };
}

/** The customer's own booking, or undefined (a button of someone else's booking does nothing). */
export async function customerBooking(turn: Turn, id: string): Promise<Booking | undefined> {
  const booking = /^\d+$/.test(id) ? await turn.tx.getBooking(id) : undefined;
  const { botId, channel, userId } = turn.address;
  return booking && booking.botId === botId && booking.channel === channel && booking.userId === userId ? booking : undefined;
}

/**
 * Holds the picked slot in this turn's transaction. With a deposit due, an
 * order for it awaits payment and the hold expires after the policy's
 * minutes; without one, the booking is confirmed at once. Undefined when
 * someone else holds the time.
 */
export async function holdBooking(turn: Turn, pick: SlotPick): Promise<Booking | undefined> {
  const { tx, bot, address, now } = turn;
  const policy = bot.bookingPolicy;
  const service = findService(turn, pick.serviceId);
  if (!service) throw new FlowError("step_failed", `bot '${bot.id}': no service '${pick.serviceId}' in the calendar`, { bot: bot.id });
  const currency = calendarOf(turn).currency;
  const deposit = depositFor(service);
  const booking = await tx.holdSlot({
    ...address,
    serviceId: service.id,
    resourceId: pick.resourceId,
    start: pick.start,
    end: new Date(pick.start.getTime() + service.durationMinutes * 60_000),
    price: service.price,
    deposit,
    currency,
    freeCancelUntil: freeCancelUntil(pick.start, policy),
    cause: "customer confirmed the slot in chat",
    at: now,
  });
  if (!booking) return undefined;
  turn.state.slots[BOOKING_SLOT] = booking.id;
  if (deposit === 0) {
    await confirm(turn, booking, "no deposit due", 0);
    return booking;
  }
  const name = serviceName(turn, service);
  const order = await tx.createOrder({
    ...address,
    items: [{ productId: `deposit:${service.id}`, name, options: {}, optionLabels: [], quantity: 1, unitPrice: deposit, lineTotal: deposit }],
    total: deposit,
    currency,
    status: "awaiting_payment",
    cause: `deposit for booking #${booking.id}`,
    at: now,
  });
  await tx.setDepositOrder(booking.id, order.id);
  turn.state.slots[ORDER_SLOT] = order.id;
  await tx.scheduleTimer({
    ...address,
    key: expiryKey(booking.id),
    name: BOOKING_EXPIRE_TIMER,
    data: { booking: booking.id },
    fireAt: new Date(now.getTime() + policy.holdMinutes * 60_000),
  });
  return booking;
}

/** The invoice of a booking's deposit, as the pay step sends it. */
export function depositInvoice(turn: Turn, booking: Booking, order: Order) {
  const service = findService(turn, booking.serviceId);
  const name = service ? serviceName(turn, service) : booking.serviceId;
  return {
    text: turn.texts.depositDue(booking.id, turn.money(order.total), turn.bot.bookingPolicy.holdMinutes),
    invoice: { order: order.id, title: turn.texts.depositTitle(turn.bot.name, name), amount: order.total, currency: order.currency },
  };
}

/** A confirmed booking's timers: its reminders, and its completion once its time is over. */
async function scheduleTimers(turn: Turn, booking: Booking): Promise<void> {
  await turn.tx.scheduleTimer({ ...turn.address, key: completeKey(booking.id), name: BOOKING_COMPLETE_TIMER, data: { booking: booking.id, end: booking.end.getTime() }, fireAt: booking.end });
  for (const reminder of turn.bot.bookingPolicy.reminders) {
    const key = reminderKey(booking.id, reminder);
    const fireAt = new Date(booking.start.getTime() - reminderOffsetMs(reminder));
    // A booking made inside a reminder's lead time gets no reminder it could only receive late.
    if (fireAt.getTime() <= turn.now.getTime()) await turn.tx.cancelTimer(key);
    else await turn.tx.scheduleTimer({ ...turn.address, key, name: BOOKING_REMIND_TIMER, data: { booking: booking.id, reminder, start: booking.start.getTime() }, fireAt });
  }
}

export async function cancelTimers(turn: Turn, booking: Booking): Promise<void> {
  await turn.tx.cancelTimer(expiryKey(booking.id));
  await turn.tx.cancelTimer(completeKey(booking.id));
  for (const reminder of turn.bot.bookingPolicy.reminders) await turn.tx.cancelTimer(reminderKey(booking.id, reminder));
}

async function confirm(turn: Turn, booking: Booking, cause: string, paid: number): Promise<void> {
  await turn.tx.transitionBooking(booking.id, "held", "confirmed", cause, turn.now, { depositPaid: paid });
  await turn.tx.cancelTimer(expiryKey(booking.id));
  await scheduleTimers(turn, booking);
  await tellShopBooking(turn, "booking.confirmed", booking.id);
  const { what, when } = describeBooking(turn, booking);
  const lines = [turn.texts.bookingConfirmed(booking.id, what, when)];
  if (paid > 0) lines.push(turn.texts.depositPaidLine(turn.money(paid), turn.money(booking.price - paid)));
  turn.say(lines.join("\n"));
}

/**
 * Called once a deposit order is paid (amount and currency already checked):
 * confirms its booking if it is still held. False when the order pays no booking.
 */
export async function confirmDeposit(turn: Turn, order: Order, reference: string): Promise<boolean> {
  const booking = await turn.tx.bookingByOrder(order.id);
  if (!booking) return false;
  if (booking.status === "held") await confirm(turn, booking, `deposit paid: ${reference}`, order.total);
  return true;
}

/** A hold's timer: unpaid after the policy's minutes, the booking expires, its order too, and the time is free. */
export async function expireHold(turn: Turn, bookingId: string): Promise<boolean> {
  const booking = await turn.tx.getBooking(bookingId);
  if (!booking || booking.status !== "held") return false;
  const minutes = turn.bot.bookingPolicy.holdMinutes;
  await turn.tx.transitionBooking(booking.id, "held", "expired", `deposit unpaid after ${minutes} minutes`, turn.now);
  const order = booking.orderId === undefined ? undefined : await turn.tx.getOrder(booking.orderId);
  if (order?.status === "awaiting_payment") await turn.tx.transitionOrder(order.id, "awaiting_payment", "expired", "its booking's hold expired", turn.now);
  const { what, when } = describeBooking(turn, booking);
  turn.say(turn.texts.holdExpired(booking.id, what, when));
  return true;
}

/** The buttons a confirmed booking offers, on "my bookings" and reminders. */
function bookingButtons(turn: Turn, booking: Booking): Button[] {
  return [
    { label: turn.texts.reschedule, payload: `booking:reschedule:${booking.id}` },
    { label: turn.texts.cancelBooking, payload: `booking:cancel:${booking.id}` },
  ];
}

/** A reminder timer: sent once, only for a booking still confirmed at the time the reminder was set for. */
export async function sendReminder(turn: Turn, data: Readonly<Record<string, unknown>>): Promise<boolean> {
  const booking = await turn.tx.getBooking(String(data.booking));
  if (!booking || booking.status !== "confirmed" || booking.start.getTime() !== data.start) return false;
  const { what, when } = describeBooking(turn, booking);
  turn.say({ text: turn.texts.reminder(what, when), buttons: bookingButtons(turn, booking) });
  return true;
}

/** A confirmed booking whose time is over is completed; it leaves "my bookings" and can no longer be changed. */
export async function completeBooking(turn: Turn, data: Readonly<Record<string, unknown>>): Promise<boolean> {
  const booking = await turn.tx.getBooking(String(data.booking));
  if (!booking || booking.status !== "confirmed" || booking.end.getTime() !== data.end) return false;
  return turn.tx.transitionBooking(booking.id, "confirmed", "completed", "the appointment time is over", turn.now);
}

/** The question before cancelling, saying what happens to the deposit. */
export function cancelQuestion(turn: Turn, booking: Booking): string {
  const { what, when } = describeBooking(turn, booking);
  if (booking.status !== "confirmed" || booking.depositPaid === 0) return turn.texts.confirmCancelFree(what, when);
  const refund = cancellationRefund(booking, turn.now);
  if (refund > 0) return turn.texts.confirmCancelRefund(what, when, turn.money(refund));
  const until = booking.freeCancelUntil === null ? null : turn.texts.dayAtTime(formatDay(turn, booking.freeCancelUntil), formatTime(turn, booking.freeCancelUntil));
  return turn.texts.confirmCancelKept(what, when, turn.money(booking.depositPaid), until);
}

/**
 * Cancels a held or confirmed booking under the policy: a held one frees its
 * time and its unpaid order; a confirmed one refunds the deposit when inside
 * the free-cancellation window, else keeps it. False when it was already closed.
 */
export async function cancelBooking(turn: Turn, booking: Booking, cause: string): Promise<boolean> {
  const { tx, now } = turn;
  if (booking.status === "held") {
    if (!(await tx.transitionBooking(booking.id, "held", "cancelled", cause, now))) return false;
    const order = booking.orderId === undefined ? undefined : await tx.getOrder(booking.orderId);
    if (order?.status === "awaiting_payment") await tx.transitionOrder(order.id, "awaiting_payment", "cancelled", "its booking was cancelled", now);
    await cancelTimers(turn, booking);
    await tellShopBooking(turn, "booking.cancelled", booking.id, { by: "customer" });
    turn.say(turn.texts.bookingCancelled(booking.id));
    return true;
  }
  if (booking.status !== "confirmed" || booking.start.getTime() <= now.getTime()) return false;
  const refund = cancellationRefund(booking, now);
  const terms = refund > 0 ? `; deposit ${refund} refunded` : booking.depositPaid > 0 ? "; deposit kept (late cancellation)" : "";
  const amounts = refund > 0 ? { depositRefunded: booking.depositRefunded + refund } : {};
  if (!(await tx.transitionBooking(booking.id, "confirmed", "cancelled", cause + terms, now, amounts))) return false;
  const order = booking.orderId === undefined ? undefined : await tx.getOrder(booking.orderId);
  // The whole deposit order goes back, so the order's status says what the money did.
  if (refund > 0 && order?.status === "paid") {
    const reason = `booking #${booking.id} cancelled in time`;
    if (refund === order.total) await tx.transitionOrder(order.id, "paid", "refunded", reason, now);
    const payment = await tx.paymentOf(order.id);
    if (payment) await oweRefund(turn, order, payment, refund, reason);
  }
  await cancelTimers(turn, booking);
  await tellShopBooking(turn, "booking.cancelled", booking.id, { by: "customer", refund });
  if (refund > 0) turn.say(turn.texts.bookingCancelledRefund(booking.id, turn.money(refund)));
  else if (booking.depositPaid > 0) turn.say(turn.texts.bookingCancelledKept(booking.id, turn.money(booking.depositPaid)));
  else turn.say(turn.texts.bookingCancelled(booking.id));
  return true;
}

/** Moves a confirmed booking to the picked slot, keeping its deposit; undefined when the time is taken. */
export async function moveBooking(turn: Turn, booking: Booking, pick: SlotPick): Promise<Booking | undefined> {
  const end = new Date(pick.start.getTime() + (booking.end.getTime() - booking.start.getTime()));
  const moved = await turn.tx.rescheduleBooking(
    booking.id,
    { resourceId: pick.resourceId, start: pick.start, end, freeCancelUntil: freeCancelAfterMove(booking, pick.start, turn.now, turn.bot.bookingPolicy) },
    `customer rescheduled from ${booking.start.toISOString()} (${booking.resourceId})`,
    turn.now,
  );
  if (!moved) return undefined;
  await scheduleTimers(turn, moved);
  await tellShopBooking(turn, "booking.rescheduled", moved.id, { from: { start: booking.start.toISOString(), resource: booking.resourceId } });
  turn.say(turn.texts.rescheduled(moved.id, describeBooking(turn, moved).when));
  return moved;
}

/** The customer's upcoming held and confirmed bookings as cards, each with its buttons. */
export async function upcomingBookings(turn: Turn): Promise<{ text: string; cards?: Card[] }> {
  const { botId, channel, userId } = turn.address;
  const all = await turn.tx.listBookings({ botId, channel, userId });
  const upcoming = all.filter((b) => (b.status === "held" || b.status === "confirmed") && b.end.getTime() > turn.now.getTime());
  if (upcoming.length === 0) return { text: turn.texts.noBookings };
  const cards = upcoming.map((booking): Card => {
    const { what, when } = describeBooking(turn, booking);
    return {
      title: `#${booking.id} ${what}`,
      subtitle: `${when} · ${turn.texts.bookingStatus(booking.status)}`,
      price: { amount: booking.price, currency: booking.currency },
      buttons: booking.status === "confirmed" ? bookingButtons(turn, booking) : [{ label: turn.texts.cancelBooking, payload: `booking:cancel:${booking.id}` }],
    };
  });
  return { text: turn.texts.bookingsHeader, cards };
}
