/**
 * A booking typed at a menu: "I'd like a haircut tomorrow at 10" at a
 * welcome question whose routes lead to a book step means that route, and
 * what the sentence said. The reading waits in a reserved slot for the book
 * step, which takes it in as if it had been typed there.
 */
import type { AskChoiceStep, JsonValue } from "../ir.ts";
import { goto, type Transition, type Turn } from "../turn.ts";
import { readBooking, type BookingReading, type PartOfDay } from "../understand/index.ts";
import { isJsonObject, type Input } from "./types.ts";

/** The reserved slot: `{ service?, resource?, day?, minutes?, part? }`, taken once by the book step. */
export const BOOKING_SENTENCE_SLOT = "_booking";

const PARTS: readonly PartOfDay[] = ["morning", "afternoon", "evening"];

/** The route of `step` that leads to a book step reading sentences, when the bot has a calendar. */
function bookingRoute(turn: Turn, step: AskChoiceStep): { value: string; target: string } | undefined {
  if (!turn.bot.calendar) return undefined;
  for (const [value, target] of Object.entries(step.routes ?? {})) {
    const to = turn.flow.steps.get(target);
    if (to?.type === "book" && to.understand !== false) return { value, target };
  }
  return undefined;
}

/** The transition to the book step with what `input` says of a booking; undefined when it says nothing of one. */
export function bookingAtChoice(turn: Turn, step: AskChoiceStep, input: Input): Transition | undefined {
  const route = input.kind === "text" ? bookingRoute(turn, step) : undefined;
  const calendar = turn.bot.calendar;
  if (!route || !calendar || input.kind !== "text") return undefined;
  const reading = readBooking(input.text, calendar, { locale: turn.state.locale, timeZone: calendar.timeZone, now: turn.now });
  // A stylist's name or "friday" alone at the welcome is not yet a wish to book; a service, or a day with a time, is.
  const wantsBooking = reading.service !== undefined || (reading.day !== undefined && (reading.minutes !== undefined || reading.part !== undefined));
  if (!wantsBooking) return undefined;
  turn.state.slots[step.slot] = route.value;
  const kept: Record<string, JsonValue> = {};
  if (reading.service !== undefined) kept.service = reading.service;
  if (reading.resource !== undefined) kept.resource = reading.resource;
  if (reading.day !== undefined) kept.day = reading.day;
  if (reading.minutes !== undefined) kept.minutes = reading.minutes;
  if (reading.part !== undefined) kept.part = reading.part;
  turn.state.slots[BOOKING_SENTENCE_SLOT] = kept;
  return goto(route.target);
}

/** The sentence kept for the book step, read back and forgotten; undefined when there is none. */
export function takeBookingSentence(turn: Turn): BookingReading | undefined {
  const kept = turn.state.slots[BOOKING_SENTENCE_SLOT];
  delete turn.state.slots[BOOKING_SENTENCE_SLOT];
  if (!isJsonObject(kept)) return undefined;
  const text = (key: string) => (typeof kept[key] === "string" ? (kept[key] as string) : undefined);
  const part = PARTS.find((p) => p === kept.part);
  return {
    ...(text("service") === undefined ? {} : { service: text("service") }),
    ...(text("resource") === undefined ? {} : { resource: text("resource") }),
    ...(text("day") === undefined ? {} : { day: text("day") }),
    ...(typeof kept.minutes === "number" ? { minutes: kept.minutes } : {}),
    ...(part === undefined ? {} : { part }),
    unknown: [],
    rule: "kept from the menu",
  };
}
