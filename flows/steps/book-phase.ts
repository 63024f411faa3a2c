/**
 * Where a customer is inside the book step, and the calendar questions it
 * asks: which starts are free on a day, which days have any. Kept in the
 * conversation's phase, so a restart mid-booking loses nothing.
 */
import { DateTime } from "luxon";
import { anyResourceSlots, availableSlots, type Booking, type Service, type Slot } from "../../commerce/index.ts";
import { calendarOf, customerBooking, findService } from "../bookings.ts";
import { DEFAULT_BOOK } from "../defaults.ts";
import type { BookStep, JsonValue } from "../ir.ts";
import type { Turn } from "../turn.ts";
import { ANY_RESOURCE, type BookingReading, type PartOfDay } from "../understand/index.ts";

export interface BookPhase {
  readonly stage: "service" | "resource" | "day" | "time" | "confirm";
  readonly service?: string;
  /** A resource id, or ANY_RESOURCE. */
  readonly resource?: string;
  /** First day of the day buttons shown, "YYYY-MM-DD" in the business's zone. */
  readonly daysFrom?: string;
  readonly day?: string;
  /** Index of the first time button shown. */
  readonly timesFrom?: number;
  /** A time of day the customer asked for, in minutes after local midnight, until a slot is picked. */
  readonly minutes?: number;
  /** A part of the day the customer asked for: the times offered are in it. */
  readonly part?: PartOfDay;
  /** The slot picked, while the summary waits for a yes. */
  readonly start?: number;
  readonly slotResource?: string;
  /** The booking being moved, when rescheduling. */
  readonly reschedule?: string;
}

export function phaseOf(turn: Turn): BookPhase {
  const phase = turn.state.phase;
  return typeof phase === "object" && phase !== null && !Array.isArray(phase) && typeof phase.stage === "string"
    ? (phase as unknown as BookPhase)
    : { stage: "service" };
}

export function setPhase(turn: Turn, phase: BookPhase): void {
  turn.state.phase = phase as unknown as JsonValue;
}

/**
 * The phase with what a sentence said: a new day forgets the times page, a
 * new time the part of the day and the slot picked. A slot already picked
 * keeps its time of day (`pickedMinutes`) when only the day or who changes:
 * "with Ben instead" at the summary means the same time with Ben.
 */
export function withReading(phase: BookPhase, reading: BookingReading, pickedMinutes?: number): BookPhase {
  const next: { -readonly [K in keyof BookPhase]: BookPhase[K] } = { ...phase };
  if (pickedMinutes !== undefined && reading.minutes === undefined && reading.part === undefined) next.minutes = pickedMinutes;
  if (reading.service !== undefined) next.service = reading.service;
  if (reading.resource !== undefined) next.resource = reading.resource;
  if (reading.day !== undefined) {
    next.day = reading.day;
    delete next.timesFrom;
    delete next.daysFrom;
  }
  if (reading.minutes !== undefined || reading.part !== undefined || reading.day !== undefined || reading.resource !== undefined) {
    delete next.start;
    delete next.slotResource;
  }
  if (reading.minutes !== undefined) {
    next.minutes = reading.minutes;
    delete next.part;
  }
  if (reading.part !== undefined) {
    next.part = reading.part;
    delete next.minutes;
  }
  return next;
}

export function zone(turn: Turn): string {
  return calendarOf(turn).timeZone;
}

export function today(turn: Turn): string {
  return DateTime.fromJSDate(turn.now, { zone: zone(turn) }).toISODate() ?? "";
}

export function addDays(day: string, days: number, timeZone: string): string {
  return DateTime.fromISO(day, { zone: timeZone }).plus({ days }).toISODate() ?? day;
}

export function dayStart(turn: Turn, day: string): Date {
  return DateTime.fromISO(day, { zone: zone(turn) }).startOf("day").toJSDate();
}

/** Minutes after local midnight of an instant, in the business's zone. */
export function localMinutes(turn: Turn, at: Date): number {
  const local = DateTime.fromJSDate(at, { zone: zone(turn) });
  return local.hour * 60 + local.minute;
}

export function pickedService(turn: Turn, phase: BookPhase): Service {
  const service = phase.service === undefined ? undefined : findService(turn, phase.service);
  // The phase is written only by this step, with a service of the calendar; a redeploy may remove one.
  if (!service) throw new Error(`the calendar has no service '${phase.service ?? ""}' any more`);
  return service;
}

/**
 * Starts for the picked service and resource on one local day: the free ones
 * ("free"), or all the hours allow, booked or past ("open"), to tell a
 * customer why a time cannot be had. A booking being moved does not block itself.
 */
export async function slotsOn(turn: Turn, phase: BookPhase, day: string, moving: Booking | undefined, which: "free" | "open" = "free"): Promise<Slot[]> {
  const calendar = calendarOf(turn);
  const service = pickedService(turn, phase);
  const from = dayStart(turn, day);
  const to = dayStart(turn, addDays(day, 1, calendar.timeZone));
  const busy =
    which === "open"
      ? []
      : (await turn.tx.busyAppointments(turn.bot.id, from, new Date(to.getTime() + service.durationMinutes * 60_000))).filter(
          (a) => !moving || a.resourceId !== moving.resourceId || a.start.getTime() !== moving.start.getTime(),
        );
  const query = { serviceId: service.id, from, to, busy, now: which === "open" ? from : turn.now };
  return phase.resource === undefined || phase.resource === ANY_RESOURCE
    ? anyResourceSlots(calendar, query)
    : availableSlots(calendar, { ...query, resourceId: phase.resource });
}

export async function movingBooking(turn: Turn, phase: BookPhase): Promise<Booking | undefined> {
  return phase.reschedule === undefined ? undefined : customerBooking(turn, phase.reschedule);
}

export function horizonOf(step: BookStep): number {
  return step.horizonDays ?? DEFAULT_BOOK.horizonDays;
}

export function lastDay(turn: Turn, step: BookStep): string {
  return addDays(today(turn), horizonOf(step), zone(turn));
}

/** The next open days with a free slot, from `from` within the horizon. */
export async function openDays(turn: Turn, step: BookStep, phase: BookPhase, from: string): Promise<{ days: string[]; more: boolean }> {
  const wanted = step.days ?? DEFAULT_BOOK.days;
  const last = lastDay(turn, step);
  const moving = await movingBooking(turn, phase);
  const days: string[] = [];
  for (let day = from; day <= last; day = addDays(day, 1, zone(turn))) {
    if ((await slotsOn(turn, phase, day, moving)).length === 0) continue;
    if (days.length === wanted) return { days, more: true };
    days.push(day);
  }
  return { days, more: false };
}
