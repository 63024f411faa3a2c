import { performance } from "node:perf_hooks";
import { DateTime } from "luxon";
import { availableSlots } from "../../commerce/booking/slots.ts";
import type { Appointment, BookingCalendar, OpeningInterval, Resource } from "../../commerce/booking/types.ts";

const ZONE = "Europe/Paris";
const STAFF = 10;
const APPOINTMENTS = 500;
const REPETITIONS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** A fixed-seed LCG: the same appointments on every run, so figures compare across commits. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function salon(): BookingCalendar {
  const weekday: OpeningInterval[] = [{ from: "09:00", to: "12:30" }, { from: "13:30", to: "19:00" }];
  const resources: Resource[] = Array.from({ length: STAFF }, (_, i) => ({
    id: `staff-${String(i).padStart(2, "0")}`,
    name: `Staff ${i}`,
    weeklyHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [{ from: "09:00", to: "14:00" }] },
    exceptions: [{ date: "2027-03-10", hours: i % 3 === 0 ? [] : [{ from: "10:00", to: "16:00" }] }],
  }));
  return {
    timeZone: ZONE,
    currency: "EUR",
    granularityMinutes: 15,
    services: [{ id: "haircut", name: "Haircut", durationMinutes: 30, price: 2500 }],
    resources,
  };
}

/**
 * One month (March 2027, spanning the spring DST change) of "any staff"
 * haircut slots for 10 staff with 500 pseudo-random existing appointments.
 * Returns the median wall time of several runs and the slot count of one.
 */
export function runSlotBench(): { ms: number; slots: number } {
  const calendar = salon();
  const from = DateTime.fromObject({ year: 2027, month: 3, day: 1 }, { zone: ZONE });
  const to = from.plus({ months: 1 });
  const random = lcg(20_270_301);
  const days = to.diff(from, "days").days;
  const busy: Appointment[] = Array.from({ length: APPOINTMENTS }, () => {
    const start = from.plus({ days: Math.floor(random() * days), minutes: 9 * 60 + Math.floor(random() * 36) * 15 });
    return {
      resourceId: `staff-${String(Math.floor(random() * STAFF)).padStart(2, "0")}`,
      start: start.toJSDate(),
      end: start.plus({ minutes: [30, 45, 60, 90][Math.floor(random() * 4)] ?? 30 }).toJSDate(),
    };
  });
  const query = { serviceId: "haircut", from: from.toJSDate(), to: to.toJSDate(), busy };
  let slots = 0;
  const samples: number[] = [];
  // One untimed pass warms the JIT and luxon's zone caches.
  availableSlots(calendar, query);
  for (let i = 0; i < REPETITIONS; i++) {
    const started = performance.now();
    slots = availableSlots(calendar, query).length;
    samples.push(performance.now() - started);
  }
  return { ms: median(samples), slots };
}
