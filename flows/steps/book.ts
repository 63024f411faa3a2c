import { DateTime } from "luxon";
import { cancellationRefund, depositFor, type Booking, type Slot } from "../../commerce/index.ts";
import {
  calendarOf,
  customerBooking,
  describeBooking,
  formatDay,
  formatTime,
  holdBooking,
  moveBooking,
  resourceName,
  serviceName,
  upcomingBookings,
  type SlotPick,
} from "../bookings.ts";
import { parseDay, parseTimeOfDay } from "../dates.ts";
import { RESCHEDULE_SLOT } from "../defaults.ts";
import type { BookStep, BookingsStep } from "../ir.ts";
import type { DayExamples } from "../texts-booking.ts";
import { allNames } from "../locale.ts";
import type { ScreenChoice } from "../match.ts";
import { goto, WAIT, type Transition, type Turn } from "../turn.ts";
import { ANY_RESOURCE, PART_RANGES, readBooking, type BookingReading } from "../understand/index.ts";
import { takeBookingSentence } from "./book-sentence.ts";
import {
  addDays,
  dayStart,
  horizonOf,
  lastDay,
  localMinutes,
  movingBooking,
  openDays,
  phaseOf,
  pickedService,
  setPhase,
  slotsOn,
  today,
  withReading,
  zone,
  type BookPhase,
} from "./book-phase.ts";
import { inputText, pick, type Input, type StepHandler } from "./types.ts";

const TIMES_PER_PAGE = 8;
const DAY = "day:";
const SLOT = "slot:";

function dayLabel(turn: Turn, day: string): string {
  return formatDay(turn, dayStart(turn, day));
}

/** A time of day as the customer reads it; set on the wall clock, so 10:00 stays 10:00 on the day clocks change. */
function clock(turn: Turn, day: string, minutes: number): string {
  return formatTime(turn, DateTime.fromISO(day, { zone: zone(turn) }).set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toJSDate());
}

const lines = (...parts: readonly (string | undefined)[]) => parts.filter(Boolean).join("\n");

/** Time labels in the customer's language; the autumn hour that repeats shows its offset to tell the two apart. */
function timeChoices(turn: Turn, slots: readonly Slot[]): ScreenChoice[] {
  const labels = slots.map((s) => formatTime(turn, s.start));
  return slots.map((slot, i) => {
    const label = labels[i] ?? "";
    const repeated = labels.indexOf(label) !== labels.lastIndexOf(label);
    const offset = DateTime.fromJSDate(slot.start, { zone: zone(turn) }).toFormat("'UTC'ZZ");
    return { label: repeated ? `${label} (${offset})` : label, payload: `${SLOT}${slot.start.getTime()}:${slot.resourceId}` };
  });
}

async function askService(turn: Turn, step: BookStep, lead?: string): Promise<Transition> {
  const choices = calendarOf(turn).services.map((s) => ({
    label: turn.texts.serviceLabel(serviceName(turn, s), s.durationMinutes, turn.money(s.price)),
    payload: `service:${s.id}`,
    aliases: allNames(s.name, s),
  }));
  turn.ask(lines(lead, step.prompt === undefined ? turn.texts.chooseService : await turn.render(step.prompt)), choices);
  return WAIT;
}

function askResource(turn: Turn, phase: BookPhase, lead?: string): Transition {
  setPhase(turn, { ...phase, stage: "resource" });
  const resources = calendarOf(turn).resources.map((r) => ({ label: r.name, payload: `resource:${r.id}`, aliases: Object.values(r.aliases ?? {}).flat() }));
  turn.ask(lines(lead, turn.texts.chooseResource(serviceName(turn, pickedService(turn, phase)))), [
    { label: turn.texts.anyResource, payload: `resource:${ANY_RESOURCE}` },
    ...resources,
  ]);
  return WAIT;
}

/**
 * What the day question's text offers to type: the first day shown by its
 * weekday and the last by its date, in the customer's language and in the
 * order the date reader takes ("27/03" day first, "03/27" in the US,
 * "3月27日"), so that typing either is taken.
 */
function dayExamples(turn: Turn, days: readonly string[]): DayExamples | undefined {
  const first = days[0];
  const last = days.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const local = (day: string) => DateTime.fromISO(day, { zone: zone(turn) }).setLocale(turn.state.locale);
  const chinese = turn.state.locale.startsWith("zh");
  const weekday = local(first).toLocaleString({ weekday: "long" });
  return {
    weekday: chinese ? weekday : weekday.toLowerCase(),
    date: local(last).toLocaleString(chinese ? { month: "long", day: "numeric" } : { day: "numeric", month: "numeric" }),
  };
}

async function askDay(turn: Turn, step: BookStep, phase: BookPhase, lead?: string, notUnderstood = false): Promise<Transition> {
  const from = phase.daysFrom ?? today(turn);
  const { days, more } = await openDays(turn, step, phase, from);
  if (days.length === 0 && from === today(turn)) {
    turn.say(lines(lead, turn.texts.noFreeDays(horizonOf(step))));
    return goto(null);
  }
  const choices: ScreenChoice[] = days.map((d) => ({ label: dayLabel(turn, d), payload: DAY + d }));
  const last = days.at(-1);
  if (more && last !== undefined) choices.push({ label: turn.texts.laterDays, payload: `days:${addDays(last, 1, zone(turn))}` });
  setPhase(turn, { ...phase, stage: "day", daysFrom: from });
  const examples = dayExamples(turn, days);
  turn.ask(lines(lead, notUnderstood ? turn.texts.dayNotUnderstood(examples) : turn.texts.chooseDay(examples)), choices);
  return WAIT;
}

/** The page of times to show: the one asked for, or the one around `near` (a time the customer typed that cannot be had). */
function firstShown(phase: BookPhase, day: string, slots: readonly Slot[], near: number | undefined, minutesOf: (s: Slot) => number): number {
  if (near !== undefined) {
    const after = slots.findIndex((s) => minutesOf(s) >= near);
    return Math.max(0, Math.min((after === -1 ? slots.length : after) - TIMES_PER_PAGE / 2, slots.length - TIMES_PER_PAGE));
  }
  return Math.min(phase.day === day ? (phase.timesFrom ?? 0) : 0, Math.max(0, slots.length - 1));
}

async function askTime(turn: Turn, step: BookStep, phase: BookPhase, day: string, lead?: string, near?: number): Promise<Transition> {
  const moving = await movingBooking(turn, phase);
  const all = await slotsOn(turn, phase, day, moving);
  if (all.length === 0) return askDay(turn, step, { ...phase, day: undefined, daysFrom: addDays(day, 1, zone(turn)) }, lines(lead, await dayUnavailable(turn, phase, day, moving)));
  const minutesOf = (s: Slot) => localMinutes(turn, s.start);
  let slots = all;
  let intro = lead;
  if (phase.part !== undefined) {
    const range = PART_RANGES[phase.part];
    const inPart = all.filter((s) => minutesOf(s) >= range.from && minutesOf(s) < range.to);
    if (inPart.length > 0) slots = inPart;
    else intro = lines(lead, turn.texts.partFull(turn.texts.partOfDay(phase.part), dayLabel(turn, day)), turn.texts.nearestTimes);
  }
  const from = firstShown(phase, day, slots, near, minutesOf);
  const page = timeChoices(turn, slots).slice(from, from + TIMES_PER_PAGE);
  const choices = [...page];
  if (from > 0) choices.push({ label: turn.texts.earlierTimes, payload: `times:${Math.max(0, from - TIMES_PER_PAGE)}` });
  if (from + TIMES_PER_PAGE < slots.length) choices.push({ label: turn.texts.laterTimes, payload: `times:${from + TIMES_PER_PAGE}` });
  choices.push({ label: turn.texts.otherDay, payload: "days:again" });
  const { minutes: _asked, ...rest } = phase;
  setPhase(turn, { ...rest, stage: "time", day, timesFrom: from });
  turn.ask(lines(intro, turn.texts.chooseTime(dayLabel(turn, day))), choices);
  return WAIT;
}

async function askConfirm(turn: Turn, phase: BookPhase, lead?: string): Promise<Transition> {
  setPhase(turn, { ...phase, stage: "confirm" });
  const moving = await movingBooking(turn, phase);
  const service = pickedService(turn, phase);
  const { texts } = turn;
  const start = new Date(phase.start ?? 0);
  const { what, when } = describeBooking(turn, { serviceId: service.id, resourceId: phase.slotResource ?? "", start });
  const policy = turn.bot.bookingPolicy;
  const summary = [lead, texts.bookingSummary(what, when, service.durationMinutes, turn.money(service.price))];
  if (phase.reschedule === undefined) {
    const deposit = depositFor(service);
    summary.push(deposit > 0 ? texts.depositTerms(turn.money(deposit), policy.holdMinutes, policy.freeCancelHours) : texts.noDepositTerms(policy.freeCancelHours));
  } else if (moving && moving.depositPaid > 0 && cancellationRefund(moving, turn.now) === 0) {
    // Moved after the free-cancellation line, the deposit stays non-refundable (freeCancelAfterMove).
    summary.push(texts.rescheduleNonRefundable);
  }
  summary.push(texts.confirmBookingQuestion);
  turn.ask(lines(...summary), [
    { label: texts.yes, payload: "yes", aliases: texts.yesWords },
    { label: texts.no, payload: "no", aliases: texts.noWords },
  ]);
  return WAIT;
}

/** Why nothing can be booked on `day`: closed (for the business, or the resource chosen), or full. */
async function dayUnavailable(turn: Turn, phase: BookPhase, day: string, moving: Booking | undefined): Promise<string> {
  if ((await slotsOn(turn, phase, day, moving, "open")).length > 0) return turn.texts.dayFull(dayLabel(turn, day));
  const who = phase.resource === undefined || phase.resource === ANY_RESOURCE ? undefined : resourceName(turn, phase.resource);
  return turn.texts.closedOn(dayLabel(turn, day), who);
}

/** Why `minutes` on `day` cannot be booked: closed, outside the hours, past, or taken. */
async function whyNot(turn: Turn, phase: BookPhase, day: string, minutes: number, moving: Booking | undefined): Promise<{ reason: string; closed: boolean }> {
  const { texts } = turn;
  const time = clock(turn, day, minutes);
  const open = await slotsOn(turn, phase, day, moving, "open");
  if (open.length === 0) return { reason: await dayUnavailable(turn, phase, day, moving), closed: true };
  const at = open.find((s) => localMinutes(turn, s.start) === minutes);
  if (!at) {
    const first = localMinutes(turn, open[0]?.start ?? new Date());
    const last = localMinutes(turn, open.at(-1)?.start ?? new Date());
    const outside = minutes < first || minutes > last;
    return { reason: outside ? texts.outsideHours(time, dayLabel(turn, day), clock(turn, day, first), clock(turn, day, last)) : texts.timeNotOffered, closed: false };
  }
  return { reason: at.start.getTime() <= turn.now.getTime() ? texts.timePassed(time) : texts.timeTaken(time), closed: false };
}

/** The time asked for on the day asked for: the summary when it is free, else why not and the nearest free times (or days). */
async function tryTime(turn: Turn, step: BookStep, phase: BookPhase, day: string, minutes: number, lead?: string): Promise<Transition> {
  const moving = await movingBooking(turn, phase);
  const free = await slotsOn(turn, phase, day, moving);
  const slot = free.find((s) => localMinutes(turn, s.start) === minutes);
  const { minutes: _asked, ...rest } = phase;
  if (slot) return askConfirm(turn, { ...rest, day, start: slot.start.getTime(), slotResource: slot.resourceId }, lead);
  turn.refuse();
  const { reason, closed } = await whyNot(turn, phase, day, minutes, moving);
  if (closed || free.length === 0) return askDay(turn, step, { ...rest, day: undefined, daysFrom: addDays(day, 1, zone(turn)) }, lines(lead, reason));
  return askTime(turn, step, rest, day, lines(lead, reason, turn.texts.nearestTimes), minutes);
}

/**
 * Goes on to what is still missing, in order: the service, who, the day,
 * the time (or the times in the part of the day asked for). A day that
 * cannot be booked says why.
 */
async function advance(turn: Turn, step: BookStep, phase: BookPhase, lead?: string): Promise<Transition> {
  const calendar = calendarOf(turn);
  const only = calendar.services.length === 1 ? calendar.services[0] : undefined;
  if (phase.service === undefined && only) return advance(turn, step, { ...phase, service: only.id }, lead);
  if (phase.service === undefined) {
    setPhase(turn, { ...phase, stage: "service" });
    return askService(turn, step, lead);
  }
  const single = calendar.resources.length === 1 ? calendar.resources[0] : undefined;
  if (phase.resource === undefined && single) return advance(turn, step, { ...phase, resource: single.id }, lead);
  if (phase.resource === undefined) return askResource(turn, phase, lead);
  const day = phase.day;
  if (day === undefined) return askDay(turn, step, { ...phase, daysFrom: undefined }, lead);
  if (day < today(turn) || day > lastDay(turn, step)) {
    turn.refuse();
    const reason = day < today(turn) ? turn.texts.dayInPast(dayLabel(turn, day)) : turn.texts.dayTooFar(horizonOf(step), dayLabel(turn, lastDay(turn, step)));
    return askDay(turn, step, { ...phase, day: undefined, daysFrom: undefined }, lines(lead, reason));
  }
  if (phase.minutes !== undefined) return tryTime(turn, step, phase, day, phase.minutes, lead);
  return askTime(turn, step, phase, day, lead);
}

/** "Noted: Haircut · Tuesday 8 December · 10:00." — what a sentence was read as, said before what is asked next. */
function noted(turn: Turn, reading: BookingReading, phase: BookPhase): string | undefined {
  const parts: string[] = [];
  const service = reading.service === undefined ? undefined : calendarOf(turn).services.find((s) => s.id === reading.service);
  if (service) parts.push(serviceName(turn, service));
  if (reading.resource !== undefined) parts.push(reading.resource === ANY_RESOURCE ? turn.texts.anyResource : resourceName(turn, reading.resource));
  const day = reading.day ?? phase.day;
  if (reading.day !== undefined) parts.push(dayLabel(turn, reading.day));
  if (reading.minutes !== undefined && day !== undefined) parts.push(clock(turn, day, reading.minutes));
  if (reading.part !== undefined) parts.push(turn.texts.partOfDay(reading.part));
  return parts.length >= 2 ? turn.texts.bookingNoted(parts) : undefined;
}

const saysSomething = (reading: BookingReading) =>
  reading.service !== undefined || reading.resource !== undefined || reading.day !== undefined || reading.minutes !== undefined || reading.part !== undefined;

/** A typed sentence read against the calendar, when the step reads sentences; undefined when it says nothing of a booking. */
function readSentence(turn: Turn, step: BookStep, input: Input): BookingReading | undefined {
  if (input.kind !== "text" || step.understand === false) return undefined;
  const reading = readBooking(input.text, calendarOf(turn), { locale: turn.state.locale, timeZone: zone(turn), now: turn.now });
  return saysSomething(reading) ? reading : undefined;
}

/** A sentence that says something of the booking, at any stage: taken in, then on to what is still missing. */
async function takeSentence(turn: Turn, step: BookStep, phase: BookPhase, reading: BookingReading): Promise<Transition> {
  const picked = phase.start === undefined ? undefined : localMinutes(turn, new Date(phase.start));
  return advance(turn, step, withReading(phase, reading, picked), noted(turn, reading, phase));
}

async function receiveService(turn: Turn, step: BookStep, phase: BookPhase, input: Input): Promise<Transition> {
  const choice = pick(input, turn.state.screen);
  if (choice?.payload.startsWith("service:")) return advance(turn, step, { ...phase, service: choice.payload.slice(8) });
  const reading = readSentence(turn, step, input);
  if (reading) return takeSentence(turn, step, phase, reading);
  turn.refuse();
  return askService(turn, step, turn.texts.serviceHelp);
}

async function receiveResource(turn: Turn, step: BookStep, phase: BookPhase, input: Input): Promise<Transition> {
  const choice = pick(input, turn.state.screen);
  if (choice?.payload.startsWith("resource:")) return advance(turn, step, { ...phase, resource: choice.payload.slice(9), daysFrom: undefined });
  const reading = readSentence(turn, step, input);
  if (reading) return takeSentence(turn, step, phase, reading);
  turn.refuse();
  // One word not understood where a name is asked is a name the calendar does not have.
  const typed = inputText(input).trim();
  const name = /^\p{Lu}\p{L}+$/u.test(typed) ? turn.texts.unknownResource(typed) : undefined;
  return askResource(turn, phase, lines(name, turn.texts.resourceHelp));
}

async function receiveDay(turn: Turn, step: BookStep, phase: BookPhase, input: Input): Promise<Transition> {
  const choice = pick(input, turn.state.screen);
  if (choice?.payload.startsWith(DAY)) return advance(turn, step, { ...phase, day: choice.payload.slice(DAY.length) });
  if (choice?.payload.startsWith("days:")) return askDay(turn, step, { ...phase, daysFrom: choice.payload.slice(5) });
  const reading = readSentence(turn, step, input);
  if (reading) return takeSentence(turn, step, phase, reading);
  // A step that reads no sentences still takes a day typed alone.
  const day = input.kind === "text" ? parseDay(input.text, { locale: turn.state.locale, timeZone: zone(turn), now: turn.now }) : undefined;
  if (day !== undefined) return advance(turn, step, { ...phase, day });
  turn.refuse();
  return askDay(turn, step, phase, undefined, true);
}

async function receiveTime(turn: Turn, step: BookStep, phase: BookPhase, input: Input): Promise<Transition> {
  const day = phase.day ?? today(turn);
  // A typed time is read before the buttons: "11:00" is one typo from the
  // button "10:00", and "9" means 09:00, not button 9. A sentence may name
  // another day too ("wednesday at 11").
  const reading = readSentence(turn, step, input);
  if (reading) return takeSentence(turn, step, phase, reading);
  const minutes = input.kind === "text" ? parseTimeOfDay(input.text, { locale: turn.state.locale }) : undefined;
  if (minutes !== undefined) return tryTime(turn, step, phase, day, minutes);
  const choice = pick(input, turn.state.screen);
  if (choice?.payload === "days:again") return askDay(turn, step, { ...phase, day: undefined, part: undefined, daysFrom: undefined });
  if (choice?.payload.startsWith("times:")) return askTime(turn, step, { ...phase, timesFrom: Number(choice.payload.slice(6)) }, day);
  if (choice?.payload.startsWith(SLOT)) {
    const slots = await slotsOn(turn, phase, day, await movingBooking(turn, phase));
    const slot = slots.find((s) => `${SLOT}${s.start.getTime()}:${s.resourceId}` === choice.payload);
    if (slot) return askConfirm(turn, { ...phase, start: slot.start.getTime(), slotResource: slot.resourceId });
    turn.refuse();
    return askTime(turn, step, phase, day, turn.texts.slotTaken);
  }
  const typedDay = dayAlone(turn, input);
  if (typedDay) return takeSentence(turn, step, phase, typedDay);
  turn.refuse();
  return askTime(turn, step, phase, day, turn.texts.timeNotUnderstood);
}

/** A day typed at the time question, when the step reads no sentences: it moves to that day. */
function dayAlone(turn: Turn, input: Input): BookingReading | undefined {
  const day = input.kind === "text" ? parseDay(input.text, { locale: turn.state.locale, timeZone: zone(turn), now: turn.now }) : undefined;
  return day === undefined ? undefined : { day, unknown: [], rule: "day" };
}

/** The picked slot if it is still free now, in this turn's transaction; with "any", another free resource at that time will do. */
async function stillFree(turn: Turn, phase: BookPhase, moving: Booking | undefined): Promise<SlotPick | undefined> {
  const slots = await slotsOn(turn, phase, phase.day ?? today(turn), moving);
  const at = (s: Slot) => s.start.getTime() === phase.start;
  const slot = slots.find((s) => at(s) && s.resourceId === phase.slotResource) ?? (phase.resource === ANY_RESOURCE ? slots.find(at) : undefined);
  return slot && { serviceId: pickedService(turn, phase).id, resourceId: slot.resourceId, start: slot.start };
}

async function receiveConfirm(turn: Turn, step: BookStep, phase: BookPhase, input: Input): Promise<Transition> {
  const choice = pick(input, turn.state.screen);
  if (choice?.payload === "no") return askTime(turn, step, phase, phase.day ?? today(turn));
  if (choice?.payload !== "yes") {
    // "actually 11", "with Ben instead", "plutôt jeudi": the summary changes, and is asked again.
    const reading = readSentence(turn, step, input);
    if (reading) return takeSentence(turn, step, phase, reading);
    turn.refuse();
    return askConfirm(turn, phase, turn.texts.confirmHelp);
  }
  const moving = await movingBooking(turn, phase);
  const slot = await stillFree(turn, phase, moving);
  if (moving) {
    const moved = slot && (await moveBooking(turn, moving, slot));
    if (!moved) {
      turn.refuse();
      return askTime(turn, step, phase, phase.day ?? today(turn), turn.texts.slotTaken);
    }
    delete turn.state.slots[RESCHEDULE_SLOT];
    return goto(null);
  }
  const held = slot && (await holdBooking(turn, slot));
  if (!held) {
    turn.refuse();
    return askTime(turn, step, phase, phase.day ?? today(turn), turn.texts.slotTaken);
  }
  return goto(turn.nextOf(step));
}

async function enterReschedule(turn: Turn, step: BookStep, bookingId: string): Promise<Transition> {
  const booking = await customerBooking(turn, bookingId);
  if (!booking || booking.status !== "confirmed" || booking.start.getTime() <= turn.now.getTime()) {
    delete turn.state.slots[RESCHEDULE_SLOT];
    turn.say(turn.texts.bookingClosed(bookingId));
    return goto(null);
  }
  const { what, when } = describeBooking(turn, booking);
  turn.say(turn.texts.rescheduling(what, when));
  return advance(turn, step, { stage: "resource", service: booking.serviceId, reschedule: booking.id });
}

async function prompt(turn: Turn, step: BookStep): Promise<void> {
  const phase = phaseOf(turn);
  switch (phase.stage) {
    case "service":
      await askService(turn, step);
      return;
    case "resource":
      askResource(turn, phase);
      return;
    case "day":
      await askDay(turn, step, phase);
      return;
    case "time":
      await askTime(turn, step, phase, phase.day ?? today(turn));
      return;
    case "confirm":
      await askConfirm(turn, phase);
      return;
  }
}

export const book: StepHandler<BookStep> = {
  async enter(turn, step) {
    const reschedule = turn.state.slots[RESCHEDULE_SLOT];
    if (typeof reschedule === "string") return enterReschedule(turn, step, reschedule);
    // A sentence typed where the flow came from ("a haircut tomorrow at 10" at the welcome) starts the booking.
    const sentence = takeBookingSentence(turn);
    const start: BookPhase = { stage: "service" };
    return sentence ? takeSentence(turn, step, start, sentence) : advance(turn, step, start);
  },
  prompt,
  async receive(turn, step, input) {
    const phase = phaseOf(turn);
    switch (phase.stage) {
      case "service":
        return receiveService(turn, step, phase, input);
      case "resource":
        return receiveResource(turn, step, phase, input);
      case "day":
        return receiveDay(turn, step, phase, input);
      case "time":
        return receiveTime(turn, step, phase, input);
      case "confirm":
        return receiveConfirm(turn, step, phase, input);
    }
  },
};

export const bookings: StepHandler<BookingsStep> = {
  async enter(turn, step) {
    turn.say(await upcomingBookings(turn));
    return goto(turn.nextOf(step));
  },
};
