import type { Aliases } from "../catalog.ts";
/** Days of the week as keys of a resource's weekly hours (ISO order, Monday first). */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/**
 * An opening interval in wall-clock time of the calendar's zone, "HH:MM"
 * (24-hour). `to` may be "24:00" for "until midnight". Intervals never cross
 * midnight: a night shift is two intervals on two days.
 */
export interface OpeningInterval {
  readonly from: string;
  readonly to: string;
}

/** A bookable offering: how long it takes and what it costs. */
export interface Service {
  readonly id: string;
  /** The name in the bot's default locale. */
  readonly name: string;
  /** The name in other locales: `{ fr: "Coupe" }`. */
  readonly names?: Readonly<Record<string, string>>;
  /** Other words customers use for it, by locale (`{ en: ["cut"], "zh-CN": ["理发"] }`); typed text matches them as it matches the names. */
  readonly aliases?: Aliases;
  readonly durationMinutes: number;
  /** Integer in the currency's minor unit (DESIGN.md "Commerce rules"). */
  readonly price: number;
  /** Share of the price taken upfront, 0–100; absent means none. */
  readonly depositPercent?: number;
}

/** One day whose hours replace the weekly pattern, e.g. a holiday or a swapped shift. */
export interface HoursException {
  /** Local date in the calendar's zone, "YYYY-MM-DD". */
  readonly date: string;
  /** `[]` means the resource is off that whole day. */
  readonly hours: readonly OpeningInterval[];
}

/** Someone or something that can be booked: a stylist, a chair, a room. */
export interface Resource {
  readonly id: string;
  readonly name: string;
  /** Other ways customers write the name, by locale (`{ "zh-CN": ["安娜"] }`). */
  readonly aliases?: Aliases;
  readonly weeklyHours: Partial<Record<Weekday, readonly OpeningInterval[]>>;
  readonly exceptions?: readonly HoursException[];
}

/** A business's bookable world; availability is defined in `timeZone`. */
export interface BookingCalendar {
  /** IANA zone name, e.g. "Europe/Paris". */
  readonly timeZone: string;
  /** ISO 4217 code of every service's price. */
  readonly currency: string;
  /** Slots start every this many minutes from each opening interval's start. */
  readonly granularityMinutes: number;
  readonly services: readonly Service[];
  readonly resources: readonly Resource[];
}

/**
 * Time a resource is taken, booked or merely held: a hold blocks exactly like
 * a confirmed booking, otherwise two customers could pay for the same chair.
 * `start`/`end` are UTC instants, `end` exclusive.
 */
export interface Appointment {
  readonly resourceId: string;
  readonly start: Date;
  readonly end: Date;
}

/** A bookable start for a service on one resource; `end` is exclusive. */
export interface Slot {
  readonly start: Date;
  readonly end: Date;
  readonly resourceId: string;
}
