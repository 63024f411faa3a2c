import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { CommerceError } from "../errors.ts";
import { anyResourceSlots, availableSlots, type SlotQuery } from "./slots.ts";
import type { Appointment, BookingCalendar, OpeningInterval, Resource, Slot } from "./types.ts";

const ZONE = "Europe/Paris";
const weekday: OpeningInterval[] = [{ from: "09:00", to: "18:00" }];
const saturday: OpeningInterval[] = [{ from: "09:00", to: "14:00" }];

const ana: Resource = {
  id: "ana",
  name: "Ana",
  weeklyHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: saturday },
};
const ben: Resource = {
  id: "ben",
  name: "Ben",
  weeklyHours: { tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: saturday },
};

/** Salon Lila: Paris, two stylists, closed Sunday. */
const salon: BookingCalendar = {
  timeZone: ZONE,
  currency: "EUR",
  granularityMinutes: 15,
  services: [
    { id: "haircut", name: "Haircut", durationMinutes: 30, price: 2500 },
    { id: "colour", name: "Colour", durationMinutes: 90, price: 6000, depositPercent: 20 },
    { id: "beard", name: "Beard trim", durationMinutes: 15, price: 1200 },
  ],
  resources: [ana, ben],
};

/** One local day in Paris as a `[from, to)` query window. */
function day(date: string): { from: Date; to: Date } {
  const start = DateTime.fromISO(date, { zone: ZONE });
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
}

function local(date: string, time: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();
}

function localTimes(slots: readonly Slot[]): string[] {
  return slots.map((slot) => DateTime.fromJSDate(slot.start, { zone: ZONE }).toFormat("HH:mm"));
}

function iso(slots: readonly Slot[]): string[] {
  return slots.map((slot) => slot.start.toISOString());
}

function errorOf(fn: () => unknown): CommerceError | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof CommerceError) return error;
    throw error;
  }
  return undefined;
}

const MON = "2027-03-22";
const TUE = "2027-03-23";
const SAT = "2027-03-27";

describe("availableSlots on one stylist", () => {
  it("offers a haircut every 15 minutes from 09:00 to 17:30 on a winter Monday, as UTC instants", () => {
    const slots = availableSlots(salon, { serviceId: "haircut", resourceId: "ana", ...day(MON), busy: [] });
    expect(slots).toHaveLength(35);
    expect(slots[0]).toEqual({ start: new Date("2027-03-22T08:00:00.000Z"), end: new Date("2027-03-22T08:30:00.000Z"), resourceId: "ana" });
    expect(slots.at(-1)?.start.toISOString()).toBe("2027-03-22T16:30:00.000Z");
  });

  it("never lets a 90-minute colour run past closing: 16:30 is the last weekday start", () => {
    const times = localTimes(availableSlots(salon, { serviceId: "colour", resourceId: "ana", ...day(TUE), busy: [] }));
    expect(times.at(-1)).toBe("16:30");
    expect(times).not.toContain("16:45");
  });

  it("keeps a colour clear of an 11:00–11:30 appointment on either side", () => {
    const busy: Appointment[] = [{ resourceId: "ana", start: local(TUE, "11:00"), end: local(TUE, "11:30") }];
    const times = localTimes(availableSlots(salon, { serviceId: "colour", resourceId: "ana", ...day(TUE), busy }));
    expect(times.slice(0, 3)).toEqual(["09:00", "09:15", "09:30"]);
    expect(times[3]).toBe("11:30");
    for (const blocked of ["09:45", "10:00", "10:45", "11:00", "11:15"]) expect(times).not.toContain(blocked);
  });

  it("lets a haircut end exactly when the next appointment starts and start when one ends", () => {
    const busy: Appointment[] = [{ resourceId: "ana", start: local(TUE, "11:00"), end: local(TUE, "11:30") }];
    const times = localTimes(availableSlots(salon, { serviceId: "haircut", resourceId: "ana", ...day(TUE), busy }));
    expect(times).toContain("10:30");
    expect(times).not.toContain("10:45");
    expect(times).toContain("11:30");
  });

  it("ignores another stylist's appointments", () => {
    const busy: Appointment[] = [{ resourceId: "ben", start: local(TUE, "09:00"), end: local(TUE, "18:00") }];
    expect(availableSlots(salon, { serviceId: "haircut", resourceId: "ana", ...day(TUE), busy })).toHaveLength(35);
  });

  it("blocks behind a long appointment even when shorter ones end inside it", () => {
    const busy: Appointment[] = [
      { resourceId: "ana", start: local(TUE, "09:00"), end: local(TUE, "15:00") },
      { resourceId: "ana", start: local(TUE, "10:00"), end: local(TUE, "10:30") },
      { resourceId: "ana", start: local(TUE, "16:00"), end: local(TUE, "16:15") },
    ];
    const times = localTimes(availableSlots(salon, { serviceId: "haircut", resourceId: "ana", ...day(TUE), busy }));
    expect(times).toEqual(["15:00", "15:15", "15:30", "16:15", "16:30", "16:45", "17:00", "17:15", "17:30"]);
  });

  it("ends Saturday at 14:00, so 13:30 is the last haircut", () => {
    const times = localTimes(availableSlots(salon, { serviceId: "haircut", resourceId: "ana", ...day(SAT), busy: [] }));
    expect(times[0]).toBe("09:00");
    expect(times.at(-1)).toBe("13:30");
  });

  it("has nothing for Ben on a Monday and nothing for anyone on Sunday", () => {
    expect(availableSlots(salon, { serviceId: "haircut", resourceId: "ben", ...day(MON), busy: [] })).toEqual([]);
    expect(availableSlots(salon, { serviceId: "beard", ...day("2027-03-21"), busy: [] })).toEqual([]);
  });

  it("honours exceptions: a day off, and replacement hours on another day", () => {
    const withLeave: BookingCalendar = {
      ...salon,
      resources: [{ ...ana, exceptions: [{ date: TUE, hours: [] }, { date: "2027-03-24", hours: [{ from: "13:00", to: "14:00" }] }] }, ben],
    };
    expect(availableSlots(withLeave, { serviceId: "haircut", resourceId: "ana", ...day(TUE), busy: [] })).toEqual([]);
    expect(localTimes(availableSlots(withLeave, { serviceId: "haircut", resourceId: "ana", ...day("2027-03-24"), busy: [] }))).toEqual([
      "13:00",
      "13:15",
      "13:30",
    ]);
    expect(availableSlots(withLeave, { serviceId: "haircut", resourceId: "ana", ...day("2027-03-25"), busy: [] })).toHaveLength(35);
  });

  it("drops slots that start before now, keeping one that starts exactly now", () => {
    const now = new Date("2027-03-23T14:07:00.000Z"); // 15:07 in Paris
    const times = localTimes(availableSlots(salon, { serviceId: "haircut", resourceId: "ana", ...day(TUE), busy: [], now }));
    expect(times[0]).toBe("15:15");
    const exact = availableSlots(salon, { serviceId: "haircut", resourceId: "ana", ...day(TUE), busy: [], now: local(TUE, "15:00") });
    expect(localTimes(exact)[0]).toBe("15:00");
  });

  it("returns slots starting in [from, to) across several days in order", () => {
    const slots = availableSlots(salon, { serviceId: "haircut", resourceId: "ana", from: local(MON, "17:00"), to: local(TUE, "09:30"), busy: [] });
    expect(localTimes(slots)).toEqual(["17:00", "17:15", "17:30", "09:00", "09:15"]);
  });
});

describe("any stylist", () => {
  it("lists every stylist's slots sorted by start then resource id", () => {
    const slots = availableSlots(salon, { serviceId: "haircut", ...day(TUE), busy: [] });
    expect(slots).toHaveLength(70);
    expect(slots.slice(0, 3).map((slot) => [slot.start.toISOString(), slot.resourceId])).toEqual([
      ["2027-03-23T08:00:00.000Z", "ana"],
      ["2027-03-23T08:00:00.000Z", "ben"],
      ["2027-03-23T08:15:00.000Z", "ana"],
    ]);
  });

  it("collapses to one slot per start, preferring the first free stylist in calendar order", () => {
    const busy: Appointment[] = [{ resourceId: "ana", start: local(TUE, "09:00"), end: local(TUE, "10:00") }];
    const slots = anyResourceSlots(salon, { serviceId: "haircut", ...day(TUE), busy });
    expect(slots).toHaveLength(35);
    expect(slots.slice(0, 5).map((slot) => [DateTime.fromJSDate(slot.start, { zone: ZONE }).toFormat("HH:mm"), slot.resourceId])).toEqual([
      ["09:00", "ben"],
      ["09:15", "ben"],
      ["09:30", "ben"],
      ["09:45", "ben"],
      ["10:00", "ana"],
    ]);
    const preferBen = anyResourceSlots({ ...salon, resources: [ben, ana] }, { serviceId: "haircut", ...day(TUE), busy: [] });
    expect(new Set(preferBen.map((slot) => slot.resourceId))).toEqual(new Set(["ben"]));
  });

  it("falls back to Ana alone on Monday", () => {
    const slots = anyResourceSlots(salon, { serviceId: "haircut", ...day(MON), busy: [] });
    expect(slots).toHaveLength(35);
    expect(slots.every((slot) => slot.resourceId === "ana")).toBe(true);
  });
});

describe("daylight saving time in Europe/Paris", () => {
  const mondayFirst = (date: string): string | undefined =>
    availableSlots(salon, { serviceId: "haircut", resourceId: "ana", ...day(date), busy: [] })[0]?.start.toISOString();

  it("keeps 09:00 local across spring forward: the UTC instant moves one hour earlier", () => {
    expect(mondayFirst("2027-03-22")).toBe("2027-03-22T08:00:00.000Z");
    expect(mondayFirst("2027-03-29")).toBe("2027-03-29T07:00:00.000Z");
  });

  it("keeps 09:00 local across fall back: the UTC instant moves one hour later", () => {
    expect(mondayFirst("2027-10-25")).toBe("2027-10-25T07:00:00.000Z");
    expect(mondayFirst("2027-11-01")).toBe("2027-11-01T08:00:00.000Z");
  });

  it("returns a whole week spanning the change with 09:00 local every open day", () => {
    const slots = anyResourceSlots(salon, { serviceId: "haircut", from: local("2027-03-27", "00:00"), to: local("2027-03-30", "00:00"), busy: [] });
    const firsts = new Map<string, string>();
    for (const slot of slots) {
      const at = DateTime.fromJSDate(slot.start, { zone: ZONE });
      const key = at.toISODate() ?? "";
      if (!firsts.has(key)) firsts.set(key, at.toFormat("HH:mm"));
    }
    expect([...firsts]).toEqual([
      ["2027-03-27", "09:00"],
      ["2027-03-29", "09:00"],
    ]);
  });

  const owl: Resource = {
    id: "owl",
    name: "Night owl",
    weeklyHours: { sun: [{ from: "01:00", to: "04:00" }] },
  };
  const night: BookingCalendar = { ...salon, resources: [owl] };

  it("spring forward: 01:00–04:00 is two real hours and no slot sits at a nonexistent 02:xx", () => {
    const slots = availableSlots(night, { serviceId: "beard", ...day("2027-03-28"), busy: [] });
    expect(localTimes(slots)).toEqual(["01:00", "01:15", "01:30", "01:45", "03:00", "03:15", "03:30", "03:45"]);
    expect(iso(slots)[0]).toBe("2027-03-28T00:00:00.000Z");
    expect(iso(slots)[4]).toBe("2027-03-28T01:00:00.000Z");
    // A 30-minute haircut at 01:45 CET runs to 03:15 CEST: 30 elapsed minutes.
    const haircuts = availableSlots(night, { serviceId: "haircut", ...day("2027-03-28"), busy: [] });
    expect(localTimes(haircuts)).toContain("01:45");
    expect(localTimes(haircuts).at(-1)).toBe("03:30");
  });

  it("fall back: 01:00–04:00 is four real hours, both 02:xx occurrences offered once each", () => {
    const slots = availableSlots(night, { serviceId: "beard", ...day("2027-10-31"), busy: [] });
    expect(slots).toHaveLength(16);
    expect(new Set(iso(slots)).size).toBe(16);
    const offsets = slots.map((slot) => DateTime.fromJSDate(slot.start, { zone: ZONE }).toFormat("HH:mm ZZ"));
    expect(offsets.slice(4, 12)).toEqual([
      "02:00 +02:00",
      "02:15 +02:00",
      "02:30 +02:00",
      "02:45 +02:00",
      "02:00 +01:00",
      "02:15 +01:00",
      "02:30 +01:00",
      "02:45 +01:00",
    ]);
    expect(iso(slots)[0]).toBe("2027-10-30T23:00:00.000Z");
    expect(iso(slots).at(-1)).toBe("2027-10-31T02:45:00.000Z");
  });

  it("fall back: an appointment in the first 02:xx blocks only that occurrence", () => {
    const busy: Appointment[] = [{ resourceId: "owl", start: new Date("2027-10-31T00:00:00.000Z"), end: new Date("2027-10-31T01:00:00.000Z") }];
    const offsets = availableSlots(night, { serviceId: "beard", ...day("2027-10-31"), busy }).map((slot) =>
      DateTime.fromJSDate(slot.start, { zone: ZONE }).toFormat("HH:mm ZZ"),
    );
    expect(offsets).not.toContain("02:00 +02:00");
    expect(offsets).toContain("02:00 +01:00");
    expect(offsets).toHaveLength(12);
  });
});

describe("sweep agrees with a brute-force check", () => {
  it("matches the naive overlap test on pseudo-random appointments", () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const window = { from: local("2027-03-22", "00:00"), to: local("2027-04-05", "00:00") };
    const span = window.to.getTime() - window.from.getTime();
    const busy: Appointment[] = Array.from({ length: 120 }, () => {
      const start = window.from.getTime() + Math.floor((random() * span) / 900_000) * 900_000;
      const minutes = [15, 30, 45, 90, 240][Math.floor(random() * 5)] ?? 30;
      return { resourceId: random() < 0.5 ? "ana" : "ben", start: new Date(start), end: new Date(start + minutes * 60_000) };
    });
    const query: SlotQuery = { serviceId: "colour", ...window, busy };
    const free = availableSlots(salon, query);
    const all = availableSlots(salon, { ...query, busy: [] });
    const expected = all.filter(
      (slot) =>
        !busy.some((a) => a.resourceId === slot.resourceId && a.start.getTime() < slot.end.getTime() && a.end.getTime() > slot.start.getTime()),
    );
    expect(free.length).toBeLessThan(all.length);
    expect(free).toEqual(expected);
  });
});

describe("validation", () => {
  const base: SlotQuery = { serviceId: "haircut", ...day(TUE), busy: [] };
  const cases: [string, () => unknown, string][] = [
    ["unknown service", () => availableSlots(salon, { ...base, serviceId: "perm" }), "serviceId"],
    ["unknown resource", () => availableSlots(salon, { ...base, resourceId: "zoe" }), "resourceId"],
    ["zero granularity", () => availableSlots({ ...salon, granularityMinutes: 0 }, base), "granularityMinutes"],
    ["invalid zone", () => availableSlots({ ...salon, timeZone: "Europe/Atlantis" }, base), "timeZone"],
    ["to before from", () => availableSlots(salon, { ...base, from: base.to, to: base.from }), "to"],
    ["invalid date", () => availableSlots(salon, { ...base, now: new Date(Number.NaN) }), "now"],
    [
      "malformed HH:MM",
      () => availableSlots({ ...salon, resources: [{ id: "x", name: "X", weeklyHours: { tue: [{ from: "9:00", to: "18:00" }] } }] }, base),
      "x.weeklyHours.tue.from",
    ],
    [
      "minutes out of range",
      () => availableSlots({ ...salon, resources: [{ id: "x", name: "X", weeklyHours: { tue: [{ from: "09:00", to: "18:60" }] } }] }, base),
      "x.weeklyHours.tue.to",
    ],
    [
      "interval ending before it starts",
      () => availableSlots({ ...salon, resources: [{ id: "x", name: "X", weeklyHours: { tue: [{ from: "18:00", to: "09:00" }] } }] }, base),
      "x.weeklyHours.tue",
    ],
    [
      "bad exception date",
      () => availableSlots({ ...salon, resources: [{ ...ana, exceptions: [{ date: "2027-02-30", hours: [] }] }] }, base),
      "ana.exceptions.2027-02-30",
    ],
    [
      "appointment ending before it starts",
      () => availableSlots(salon, { ...base, busy: [{ resourceId: "ana", start: local(TUE, "10:00"), end: local(TUE, "09:00") }] }),
      "busy",
    ],
  ];
  it.each(cases)("rejects %s with invalid_option", (_name, fn, field) => {
    const error = errorOf(fn);
    expect(error?.code).toBe("invalid_option");
    expect(error?.details.field).toBe(field);
  });

  it("accepts 24:00 as an end of day and an empty window", () => {
    const late: BookingCalendar = { ...salon, resources: [{ id: "x", name: "X", weeklyHours: { tue: [{ from: "23:00", to: "24:00" }] } }] };
    expect(localTimes(availableSlots(late, { ...base, serviceId: "haircut" })).at(-1)).toBe("23:30");
    expect(availableSlots(salon, { ...base, to: base.from })).toEqual([]);
  });
});
