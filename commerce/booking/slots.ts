import { DateTime, Info } from "luxon";
import { checkAliases } from "../catalog.ts";
import { CommerceError } from "../errors.ts";
import { depositFor } from "./booking.ts";
import type { Appointment, BookingCalendar, OpeningInterval, Resource, Service, Slot, Weekday } from "./types.ts";

/** What to look for: a service, optionally on one resource, within `[from, to)`. */
export interface SlotQuery {
  readonly serviceId: string;
  /** `undefined` means any resource of the calendar. */
  readonly resourceId?: string;
  /** A slot is returned when its start lies in `[from, to)`; it may end after `to`. */
  readonly from: Date;
  readonly to: Date;
  /** Bookings and live holds; entries for other resources are ignored. */
  readonly busy: readonly Appointment[];
  /** Slots starting before this instant are dropped (the past cannot be booked). */
  readonly now?: Date;
}

const MINUTE_MS = 60_000;
const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const HHMM = /^(\d{2}):(\d{2})$/;
const YMD = /^\d{4}-\d{2}-\d{2}$/;

/** An interval as minutes since local midnight; `to` may be 1440. */
interface ParsedInterval {
  readonly from: number;
  readonly to: number;
}

interface ParsedHours {
  readonly resource: Resource;
  /** Index 0 is Monday, matching luxon's `weekday - 1`. */
  readonly weekly: readonly (readonly ParsedInterval[])[];
  readonly exceptions: ReadonlyMap<string, readonly ParsedInterval[]>;
}

// Every validation failure uses "invalid_option": errors.ts is shared and its
// codes are stable; `details.field` says which input was wrong so callers can
// still branch on data rather than on the message.
function invalid(message: string, field: string, value: string | number | null): CommerceError {
  return new CommerceError("invalid_option", message, { field, value });
}

function parseClock(text: string, field: string, allowMidnightEnd: boolean): number {
  const match = HHMM.exec(text);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && (minutes !== 0 || !allowMidnightEnd))) {
    throw invalid(`${field}: "${text}" is not a wall-clock time HH:MM`, field, text);
  }
  return hours * 60 + minutes;
}

function parseIntervals(intervals: readonly OpeningInterval[], field: string): ParsedInterval[] {
  const parsed = intervals.map((interval) => {
    const from = parseClock(interval.from, `${field}.from`, false);
    const to = parseClock(interval.to, `${field}.to`, true);
    if (to <= from) throw invalid(`${field}: ${interval.from}–${interval.to} ends before it starts`, field, `${interval.from}-${interval.to}`);
    return { from, to };
  });
  parsed.sort((a, b) => a.from - b.from);
  // Overlaps would yield the same start twice; the sweep also relies on slot
  // starts increasing across intervals.
  for (let i = 1; i < parsed.length; i++) {
    const previous = parsed[i - 1];
    const current = parsed[i];
    if (previous && current && current.from < previous.to) throw invalid(`${field}: opening intervals overlap`, field, null);
  }
  return parsed;
}

function parseHours(resource: Resource): ParsedHours {
  const weekly = WEEKDAYS.map((day) => parseIntervals(resource.weeklyHours[day] ?? [], `${resource.id}.weeklyHours.${day}`));
  const exceptions = new Map<string, readonly ParsedInterval[]>();
  for (const exception of resource.exceptions ?? []) {
    const field = `${resource.id}.exceptions.${exception.date}`;
    if (!YMD.test(exception.date) || !DateTime.fromISO(exception.date).isValid) {
      throw invalid(`${field}: not a date YYYY-MM-DD`, field, exception.date);
    }
    exceptions.set(exception.date, parseIntervals(exception.hours, field));
  }
  return { resource, weekly, exceptions };
}

function assertInstant(value: Date, field: string): number {
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw invalid(`${field} is not a valid instant`, field, null);
  return ms;
}

function assertPositiveInteger(value: number, field: string): void {
  if (!Number.isInteger(value) || value <= 0) throw invalid(`${field} must be a positive whole number of minutes`, field, value);
}

interface Plan {
  readonly service: Service;
  readonly resources: readonly ParsedHours[];
  readonly fromMs: number;
  readonly toMs: number;
  /** Earliest allowed start: `from`, or `now` if later. */
  readonly floorMs: number;
}

function plan(calendar: BookingCalendar, query: SlotQuery): Plan {
  if (!Info.isValidIANAZone(calendar.timeZone)) throw invalid(`unknown time zone "${calendar.timeZone}"`, "timeZone", calendar.timeZone);
  assertPositiveInteger(calendar.granularityMinutes, "granularityMinutes");
  const service = calendar.services.find((candidate) => candidate.id === query.serviceId);
  if (!service) throw invalid(`unknown service "${query.serviceId}"`, "serviceId", query.serviceId);
  assertPositiveInteger(service.durationMinutes, `${service.id}.durationMinutes`);
  let chosen: readonly Resource[] = calendar.resources;
  if (query.resourceId !== undefined) {
    const resource = calendar.resources.find((candidate) => candidate.id === query.resourceId);
    if (!resource) throw invalid(`unknown resource "${query.resourceId}"`, "resourceId", query.resourceId);
    chosen = [resource];
  }
  const fromMs = assertInstant(query.from, "from");
  const toMs = assertInstant(query.to, "to");
  if (toMs < fromMs) throw invalid("`to` is before `from`", "to", query.to.toISOString());
  const nowMs = query.now === undefined ? fromMs : assertInstant(query.now, "now");
  return { service, resources: chosen.map(parseHours), fromMs, toMs, floorMs: Math.max(fromMs, nowMs) };
}

/** Busy intervals of one resource, sorted by start, as epoch milliseconds. */
function busyIndex(busy: readonly Appointment[], wanted: ReadonlySet<string>): Map<string, { start: number; end: number }[]> {
  const index = new Map<string, { start: number; end: number }[]>();
  for (const appointment of busy) {
    if (!wanted.has(appointment.resourceId)) continue;
    const start = assertInstant(appointment.start, "busy.start");
    const end = assertInstant(appointment.end, "busy.end");
    if (end <= start) throw invalid(`appointment on "${appointment.resourceId}" ends before it starts`, "busy", appointment.start.toISOString());
    let list = index.get(appointment.resourceId);
    if (!list) index.set(appointment.resourceId, (list = []));
    list.push({ start, end });
  }
  for (const list of index.values()) list.sort((a, b) => a.start - b.start);
  return index;
}

/**
 * Slots of one resource, in increasing start order. Opening bounds are
 * resolved to instants once per interval with luxon; stepping then happens in
 * elapsed time, which is what makes DST safe: across a spring-forward gap the
 * steps jump straight from 01:45 to 03:00 local, and across a fall-back
 * overlap both occurrences of 02:xx are distinct instants, so neither phantom
 * nor duplicate slots can appear.
 */
function resourceSlots(
  hours: ParsedHours,
  busy: readonly { start: number; end: number }[],
  days: readonly LocalDay[],
  durationMs: number,
  stepMs: number,
  p: Plan,
  out: Slot[],
): void {
  // Sweep state: `next` is the first appointment not yet seen; `reach` is the
  // latest end among appointments seen. Slot ends only grow, so every
  // appointment starting before the current slot's end has been seen, and the
  // slot collides iff one of them ends after the slot starts, i.e. reach > start.
  let next = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const day of days) {
    const intervals = hours.exceptions.get(day.date) ?? hours.weekly[day.weekday - 1] ?? [];
    for (const interval of intervals) {
      const openMs = day.instant(interval.from);
      const closeMs = day.instant(interval.to);
      let start = openMs;
      // Jump straight to the first step at or after the floor instead of
      // walking past every slot of a long-gone morning.
      if (start < p.floorMs) start += Math.ceil((p.floorMs - start) / stepMs) * stepMs;
      for (; start + durationMs <= closeMs && start < p.toMs; start += stepMs) {
        const end = start + durationMs;
        for (let appointment = busy[next]; appointment && appointment.start < end; appointment = busy[++next]) {
          if (appointment.end > reach) reach = appointment.end;
        }
        if (reach > start) continue;
        out.push({ start: new Date(start), end: new Date(end), resourceId: hours.resource.id });
      }
    }
  }
}

/** A local calendar day of the query window, shared by all resources. */
interface LocalDay {
  readonly date: string;
  /** 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** Instant of a wall-clock minute of this day; see {@link atMinute}. */
  readonly instant: (minute: number) => number;
}

/**
 * The local days that can hold a slot starting in `[from, to)`. Intervals
 * never cross midnight, so that is `from`'s local day through `to`'s. Instants
 * are memoised per day because zone offset lookups dominate the cost and
 * staff usually share opening hours.
 */
function localDays(fromMs: number, toMs: number, zone: string): LocalDay[] {
  const days: LocalDay[] = [];
  const lastDay = DateTime.fromMillis(toMs, { zone }).startOf("day");
  for (let day = DateTime.fromMillis(fromMs, { zone }).startOf("day"); day <= lastDay; day = day.plus({ days: 1 })) {
    const current = day;
    const cache = new Map<number, number>();
    days.push({
      date: current.toISODate() ?? "",
      weekday: current.weekday,
      instant: (minute) => {
        let ms = cache.get(minute);
        if (ms === undefined) cache.set(minute, (ms = atMinute(current, minute, zone)));
        return ms;
      },
    });
  }
  return days;
}

/**
 * The instant of a wall-clock minute on a local day. A time inside a
 * spring-forward gap is moved forward by the gap (luxon's rule: 02:30 → 03:30);
 * a time inside a fall-back overlap resolves to its second occurrence
 * (luxon's rule). Only opening bounds go through here, never slot steps.
 */
function atMinute(day: DateTime, minute: number, zone: string): number {
  if (minute === 24 * 60) return day.plus({ days: 1 }).startOf("day").toMillis();
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Math.floor(minute / 60), minute: minute % 60 },
    { zone },
  ).toMillis();
}

function byStartThenResource(a: Slot, b: Slot): number {
  return a.start.getTime() - b.start.getTime() || (a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0);
}

/**
 * Every bookable start for a service in `[query.from, query.to)`: the whole
 * service must fit inside one opening interval of the resource (wall-clock
 * hours in the calendar's zone), must not overlap any busy appointment of that
 * resource, and must not start before `query.now`. Starts fall every
 * `granularityMinutes` of elapsed time from each interval's opening.
 *
 * With no `resourceId`, slots of every resource are returned, sorted by start
 * then resource id. Runs in O(days × resources + slots + appointments log
 * appointments): appointments are indexed per resource and swept once.
 *
 * @throws CommerceError `invalid_option` (with `details.field`) for an unknown
 *   service or resource, a non-positive granularity or duration, an unknown
 *   time zone, `to` before `from`, invalid instants, malformed or overlapping
 *   hours, or an appointment that ends before it starts.
 */
export function availableSlots(calendar: BookingCalendar, query: SlotQuery): Slot[] {
  const p = plan(calendar, query);
  const index = busyIndex(query.busy, new Set(p.resources.map((hours) => hours.resource.id)));
  const durationMs = p.service.durationMinutes * MINUTE_MS;
  const stepMs = calendar.granularityMinutes * MINUTE_MS;
  const days = localDays(p.fromMs, p.toMs, calendar.timeZone);
  const out: Slot[] = [];
  for (const hours of p.resources) {
    resourceSlots(hours, index.get(hours.resource.id) ?? [], days, durationMs, stepMs, p, out);
  }
  // Each resource's run is already ordered; one sort merges them when several.
  if (p.resources.length > 1) out.sort(byStartThenResource);
  return out;
}

/**
 * "Any stylist": one slot per start time, on the first free resource in the
 * calendar's `resources` order, so a business lists its preferred staff
 * first and the pick is deterministic. Same query, rules and errors as
 * {@link availableSlots}; `query.resourceId` narrows to that resource.
 */
export function anyResourceSlots(calendar: BookingCalendar, query: SlotQuery): Slot[] {
  const slots = availableSlots(calendar, query);
  const rank = new Map(calendar.resources.map((resource, position) => [resource.id, position]));
  const chosen = new Map<number, Slot>();
  for (const slot of slots) {
    const key = slot.start.getTime();
    const current = chosen.get(key);
    if (!current || (rank.get(slot.resourceId) ?? Infinity) < (rank.get(current.resourceId) ?? Infinity)) chosen.set(key, slot);
  }
  // Map iteration follows first insertion, and `slots` is sorted by start.
  return [...chosen.values()];
}

/**
 * Checks a whole calendar up front — zone, granularity, currency, every
 * service and every resource's hours — so a mistake is reported when the bot
 * loads rather than when the first customer asks for a day. Throws a
 * CommerceError whose `details.field` names what is wrong.
 */
export function checkCalendar(calendar: BookingCalendar): void {
  if (!Info.isValidIANAZone(calendar.timeZone)) throw invalid(`unknown time zone "${calendar.timeZone}"`, "timeZone", calendar.timeZone);
  assertPositiveInteger(calendar.granularityMinutes, "granularityMinutes");
  if (!/^[A-Z]{3}$/.test(calendar.currency)) throw invalid(`currency "${calendar.currency}" is not an ISO 4217 code`, "currency", calendar.currency);
  if (calendar.services.length === 0) throw invalid("a calendar needs at least one service", "services", null);
  if (calendar.resources.length === 0) throw invalid("a calendar needs at least one resource", "resources", null);
  const seen = new Set<string>();
  for (const service of calendar.services) {
    if (seen.has(`service:${service.id}`)) throw invalid(`service "${service.id}" is listed twice`, "services", service.id);
    seen.add(`service:${service.id}`);
    assertPositiveInteger(service.durationMinutes, `${service.id}.durationMinutes`);
    depositFor(service);
    checkAliases(`service '${service.id}'`, service.aliases, "calendar");
  }
  for (const resource of calendar.resources) {
    if (seen.has(`resource:${resource.id}`)) throw invalid(`resource "${resource.id}" is listed twice`, "resources", resource.id);
    seen.add(`resource:${resource.id}`);
    parseHours(resource);
    checkAliases(`resource '${resource.id}'`, resource.aliases, "calendar");
  }
}
