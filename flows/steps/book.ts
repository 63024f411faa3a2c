import { DateTime } from "luxon";
import {
  anyResourceSlots,
  availableSlots,
  cancellationRefund,
  depositFor,
  type Booking,
  type Service,
  type Slot,
} from "../../commerce/index.ts";
import {
  calendarOf,
  customerBooking,
  describeBooking,
  findService,
  formatDay,
  formatTime,
  holdBooking,
  moveBooking,
  serviceName,
  upcomingBookings,
  type SlotPick,
} from "../bookings.ts";
import { parseDay, parseTimeOfDay } from "../dates.ts";
import { DEFAULT_BOOK, RESCHEDULE_SLOT } from "../defaults.ts";
import type { BookStep, BookingsStep, JsonValue } from "../ir.ts";
import { allNames } from "../locale.ts";
import type { ScreenChoice } from "../match.ts";
import { goto, WAIT, type Transition, type Turn } from "../turn.ts";
import { inputText, pick, type Input, type StepHandler } from "./types.ts";

/** Where the customer is inside the book step; kept in the conversation's phase. */
interface BookPhase {
  readonly stage: "service" | "resource" | "day" | "time" | "confirm";
  readonly service?: string;
  /** A resource id, or ANY. */
  readonly resource?: string;
  /** First day of the day buttons shown, "YYYY-MM-DD" in the business's zone. */
  readonly daysFrom?: string;
  readonly day?: string;
  /** Index of the first time button shown. */
  readonly timesFrom?: number;
  /** The slot picked, while the summary waits for a yes. */
  readonly start?: number;
  readonly slotResource?: string;
  /** The booking being moved, when rescheduling. */
  readonly reschedule?: string;
}

const ANY = "any";
const TIMES_PER_PAGE = 8;
const DAY = "day:";
const SLOT = "slot:";

function phaseOf(turn: Turn): BookPhase {
  const phase = turn.state.phase;
  return typeof phase === "object" && phase !== null && !Array.isArray(phase) && typeof phase.stage === "string"
    ? (phase as unknown as BookPhase)
    : { stage: "service" };
}

function setPhase(turn: Turn, phase: BookPhase): void {
  turn.state.phase = phase as unknown as JsonValue;
}

function zone(turn: Turn): string {
  return calendarOf(turn).timeZone;
}

function today(turn: Turn): string {
  return DateTime.fromJSDate(turn.now, { zone: zone(turn) }).toISODate() ?? "";
}

function addDays(day: string, days: number, timeZone: string): string {
  return DateTime.fromISO(day, { zone: timeZone }).plus({ days }).toISODate() ?? day;
}

function dayStart(turn: Turn, day: string): Date {
  return DateTime.fromISO(day, { zone: zone(turn) }).startOf("day").toJSDate();
}

function pickedService(turn: Turn, phase: BookPhase): Service {
  const service = phase.service === undefined ? undefined : findService(turn, phase.service);
  // The phase is written only by this step, with a service of the calendar; a redeploy may remove one.
  if (!service) throw new Error(`the calendar has no service '${phase.service ?? ""}' any more`);
  return service;
}

/** Free starts for the picked service and resource on one local day; a booking being moved does not block itself. */
async function slotsOn(turn: Turn, phase: BookPhase, day: string, moving: Booking | undefined): Promise<Slot[]> {
  const calendar = calendarOf(turn);
  const service = pickedService(turn, phase);
  const from = dayStart(turn, day);
  const to = dayStart(turn, addDays(day, 1, calendar.timeZone));
  const busy = (await turn.tx.busyAppointments(turn.bot.id, from, new Date(to.getTime() + service.durationMinutes * 60_000))).filter(
    (a) => !moving || a.resourceId !== moving.resourceId || a.start.getTime() !== moving.start.getTime(),
  );
  const query = { serviceId: service.id, from, to, busy, now: turn.now };
  return phase.resource === undefined || phase.resource === ANY
    ? anyResourceSlots(calendar, query)
    : availableSlots(calendar, { ...query, resourceId: phase.resource });
}

async function movingBooking(turn: Turn, phase: BookPhase): Promise<Booking | undefined> {
  return phase.reschedule === undefined ? undefined : customerBooking(turn, phase.reschedule);
}

function lastDay(turn: Turn, step: BookStep): string {
  return addDays(today(turn), step.horizonDays ?? DEFAULT_BOOK.horizonDays, zone(turn));
}

/** The next open days with a free slot, from `from` within the horizon. */
async function openDays(turn: Turn, step: BookStep, phase: BookPhase, from: string): Promise<{ days: string[]; more: boolean }> {
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

function dayLabel(turn: Turn, day: string): string {
  return formatDay(turn, dayStart(turn, day));
}

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

async function askService(turn: Turn, step: BookStep): Promise<void> {
  const choices = calendarOf(turn).services.map((s) => ({
    label: turn.texts.serviceLabel(serviceName(turn, s), s.durationMinutes, turn.money(s.price)),
    payload: `service:${s.id}`,
    aliases: allNames(s.name, s),
  }));
  turn.ask(step.prompt === undefined ? turn.texts.chooseService : await turn.render(step.prompt), choices);
}

function askResource(turn: Turn, phase: BookPhase): void {
  const resources = calendarOf(turn).resources.map((r) => ({ label: r.name, payload: `resource:${r.id}` }));
  turn.ask(turn.texts.chooseResource(serviceName(turn, pickedService(turn, phase))), [{ label: turn.texts.anyResource, payload: `resource:${ANY}` }, ...resources]);
}

async function askDay(turn: Turn, step: BookStep, phase: BookPhase, lead?: string): Promise<Transition> {
  const from = phase.daysFrom ?? today(turn);
  const { days, more } = await openDays(turn, step, phase, from);
  if (days.length === 0 && from === today(turn)) {
    turn.say(turn.texts.noFreeDays(step.horizonDays ?? DEFAULT_BOOK.horizonDays));
    return goto(null);
  }
  const choices: ScreenChoice[] = days.map((d) => ({ label: dayLabel(turn, d), payload: DAY + d }));
  const last = days.at(-1);
  if (more && last !== undefined) choices.push({ label: turn.texts.laterDays, payload: `days:${addDays(last, 1, zone(turn))}` });
  setPhase(turn, { ...phase, stage: "day", daysFrom: from });
  turn.ask([lead, turn.texts.chooseDay].filter(Boolean).join("\n"), choices);
  return WAIT;
}

async function askTime(turn: Turn, step: BookStep, phase: BookPhase, day: string, lead?: string): Promise<Transition> {
  const slots = await slotsOn(turn, phase, day, await movingBooking(turn, phase));
  if (slots.length === 0) return askDay(turn, step, { ...phase, daysFrom: undefined }, turn.texts.dayFull(dayLabel(turn, day)));
  const from = Math.min(phase.day === day ? (phase.timesFrom ?? 0) : 0, Math.max(0, slots.length - 1));
  const page = timeChoices(turn, slots).slice(from, from + TIMES_PER_PAGE);
  const choices = [...page];
  if (from > 0) choices.push({ label: turn.texts.earlierTimes, payload: `times:${Math.max(0, from - TIMES_PER_PAGE)}` });
  if (from + TIMES_PER_PAGE < slots.length) choices.push({ label: turn.texts.laterTimes, payload: `times:${from + TIMES_PER_PAGE}` });
  choices.push({ label: turn.texts.otherDay, payload: "days:again" });
  setPhase(turn, { ...phase, stage: "time", day, timesFrom: from });
  turn.ask([lead, turn.texts.chooseTime(dayLabel(turn, day))].filter(Boolean).join("\n"), choices);
  return WAIT;
}

async function askConfirm(turn: Turn, phase: BookPhase): Promise<void> {
  const moving = await movingBooking(turn, phase);
  const service = pickedService(turn, phase);
  const { texts } = turn;
  const start = new Date(phase.start ?? 0);
  const { what, when } = describeBooking(turn, { serviceId: service.id, resourceId: phase.slotResource ?? "", start });
  const policy = turn.bot.bookingPolicy;
  const lines = [texts.bookingSummary(what, when, service.durationMinutes, turn.money(service.price))];
  if (phase.reschedule === undefined) {
    const deposit = depositFor(service);
    lines.push(deposit > 0 ? texts.depositTerms(turn.money(deposit), policy.holdMinutes, policy.freeCancelHours) : texts.noDepositTerms(policy.freeCancelHours));
  } else if (moving && moving.depositPaid > 0 && cancellationRefund(moving, turn.now) === 0) {
    // Moved after the free-cancellation line, the deposit stays non-refundable (freeCancelAfterMove).
    lines.push(texts.rescheduleNonRefundable);
  }
  lines.push(texts.confirmBookingQuestion);
  turn.ask(lines.join("\n"), [
    { label: texts.yes, payload: "yes", aliases: texts.yesWords },
    { label: texts.no, payload: "no", aliases: texts.noWords },
  ]);
}

/** Goes on from a picked service: straight to the day when there is one resource to book. */
async function afterService(turn: Turn, step: BookStep, phase: BookPhase): Promise<Transition> {
  const resources = calendarOf(turn).resources;
  if (resources.length === 1) return askDay(turn, step, { ...phase, resource: resources[0]?.id });
  setPhase(turn, { ...phase, stage: "resource" });
  askResource(turn, phase);
  return WAIT;
}

async function receiveDay(turn: Turn, step: BookStep, phase: BookPhase, input: Input): Promise<Transition> {
  const choice = pick(input, turn.state.screen);
  if (choice?.payload.startsWith(DAY)) return askTime(turn, step, phase, choice.payload.slice(DAY.length));
  if (choice?.payload.startsWith("days:")) return askDay(turn, step, { ...phase, daysFrom: choice.payload.slice(5) });
  const day = parseDay(inputText(input), { locale: turn.state.locale, timeZone: zone(turn), now: turn.now });
  if (day === undefined || day < today(turn) || day > lastDay(turn, step)) turn.refuse();
  if (day === undefined) return askDay(turn, step, phase, turn.texts.dayNotUnderstood);
  if (day < today(turn)) return askDay(turn, step, phase, turn.texts.dayInPast(dayLabel(turn, day)));
  if (day > lastDay(turn, step)) return askDay(turn, step, phase, turn.texts.dayTooFar(step.horizonDays ?? DEFAULT_BOOK.horizonDays));
  return askTime(turn, step, phase, day);
}

async function receiveTime(turn: Turn, step: BookStep, phase: BookPhase, input: Input): Promise<Transition> {
  const day = phase.day ?? today(turn);
  const slots = await slotsOn(turn, phase, day, await movingBooking(turn, phase));
  // A typed time is read as a time before anything else: "11:00" is one typo
  // from the button "10:00", and "9" means 09:00, not button 9.
  const text = inputText(input);
  const minutes = input.kind === "text" ? parseTimeOfDay(text, { locale: turn.state.locale }) : undefined;
  let slot: Slot | undefined;
  if (minutes !== undefined) {
    slot = slots.find((s) => {
      const local = DateTime.fromJSDate(s.start, { zone: zone(turn) });
      return local.hour * 60 + local.minute === minutes;
    });
  } else {
    const choice = pick(input, turn.state.screen);
    if (choice?.payload === "days:again") return askDay(turn, step, { ...phase, daysFrom: undefined });
    if (choice?.payload.startsWith("times:")) return askTime(turn, step, { ...phase, timesFrom: Number(choice.payload.slice(6)) }, day);
    if (choice?.payload.startsWith(SLOT)) slot = slots.find((s) => `${SLOT}${s.start.getTime()}:${s.resourceId}` === choice.payload);
    // A day typed at the time question moves to that day.
    if (!choice && parseDay(text, { locale: turn.state.locale, timeZone: zone(turn), now: turn.now }) !== undefined) return receiveDay(turn, step, phase, input);
    if (!choice) {
      turn.refuse();
      return askTime(turn, step, phase, day, turn.texts.timeNotUnderstood);
    }
  }
  if (!slot) {
    turn.refuse();
    return askTime(turn, step, phase, day, turn.texts.timeNotOffered);
  }
  const picked: BookPhase = { ...phase, stage: "confirm", start: slot.start.getTime(), slotResource: slot.resourceId };
  setPhase(turn, picked);
  await askConfirm(turn, picked);
  return WAIT;
}

/** The picked slot if it is still free now, in this turn's transaction; with "any", another free resource at that time will do. */
async function stillFree(turn: Turn, phase: BookPhase, moving: Booking | undefined): Promise<SlotPick | undefined> {
  const slots = await slotsOn(turn, phase, phase.day ?? today(turn), moving);
  const at = (s: Slot) => s.start.getTime() === phase.start;
  const slot = slots.find((s) => at(s) && s.resourceId === phase.slotResource) ?? (phase.resource === ANY ? slots.find(at) : undefined);
  return slot && { serviceId: pickedService(turn, phase).id, resourceId: slot.resourceId, start: slot.start };
}

async function receiveConfirm(turn: Turn, step: BookStep, phase: BookPhase, input: Input): Promise<Transition> {
  const choice = pick(input, turn.state.screen);
  if (choice?.payload === "no") return askTime(turn, step, phase, phase.day ?? today(turn));
  if (choice?.payload !== "yes") {
    turn.refuse();
    turn.say(turn.texts.chooseOne);
    await askConfirm(turn, phase);
    return WAIT;
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
  return afterService(turn, step, { stage: "resource", service: booking.serviceId, reschedule: booking.id });
}

async function prompt(turn: Turn, step: BookStep): Promise<void> {
  const phase = phaseOf(turn);
  switch (phase.stage) {
    case "service":
      return askService(turn, step);
    case "resource":
      return askResource(turn, phase);
    case "day":
      await askDay(turn, step, phase);
      return;
    case "time":
      await askTime(turn, step, phase, phase.day ?? today(turn));
      return;
    case "confirm":
      return askConfirm(turn, phase);
  }
}

export const book: StepHandler<BookStep> = {
  async enter(turn, step) {
    const reschedule = turn.state.slots[RESCHEDULE_SLOT];
    if (typeof reschedule === "string") return enterReschedule(turn, step, reschedule);
    const services = calendarOf(turn).services;
    const only = services.length === 1 ? services[0] : undefined;
    if (only) return afterService(turn, step, { stage: "resource", service: only.id });
    setPhase(turn, { stage: "service" });
    await askService(turn, step);
    return WAIT;
  },
  prompt,
  async receive(turn, step, input) {
    const phase = phaseOf(turn);
    switch (phase.stage) {
      case "service": {
        const choice = pick(input, turn.state.screen);
        if (!choice?.payload.startsWith("service:")) {
          turn.refuse();
          turn.say(turn.texts.chooseOne);
          await askService(turn, step);
          return WAIT;
        }
        return afterService(turn, step, { stage: "resource", service: choice.payload.slice(8) });
      }
      case "resource": {
        const choice = pick(input, turn.state.screen);
        if (!choice?.payload.startsWith("resource:")) {
          turn.refuse();
          turn.say(turn.texts.chooseOne);
          askResource(turn, phase);
          return WAIT;
        }
        return askDay(turn, step, { ...phase, resource: choice.payload.slice(9), daysFrom: undefined });
      }
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
