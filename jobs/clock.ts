import { Duration } from "luxon";
import type { Clock } from "../core/clock.ts";

export type { Clock };

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to: no sleeps in tests, fast-forward in the emulator. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start: Date = new Date()) {
    this.#ms = start.getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`a clock only moves forward; got ${ms} ms`);
    this.#ms += ms;
    return this.now();
  }
}

/**
 * Real time plus an offset that only grows once started: the emulator's
 * clock. It fast-forwards by adding to the offset; it may start at any
 * instant (`startAt`, e.g. a fixed Monday morning for tests) or at a saved
 * offset (a restart keeps the emulator's time). Real channels' runtimes read
 * real time, never one of these.
 */
export class OffsetClock implements Clock {
  readonly #base: Clock;
  #offsetMs: number;

  constructor(base: Clock = systemClock, start: { readonly offsetMs?: number; readonly startAt?: Date } = {}) {
    this.#base = base;
    this.#offsetMs = start.startAt !== undefined ? start.startAt.getTime() - base.now().getTime() : (start.offsetMs ?? 0);
    if (!Number.isFinite(this.#offsetMs)) throw new RangeError(`a clock's start must be a valid instant or offset; got ${String(start.startAt ?? start.offsetMs)}`);
  }

  now(): Date {
    return new Date(this.#base.now().getTime() + this.#offsetMs);
  }

  /** How far ahead of real time this clock is, in ms. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`a clock only moves forward; got ${ms} ms`);
    this.#offsetMs += ms;
    return this.now();
  }
}

/**
 * The furthest a clock may be moved at once: P366D, a year and a leap day.
 * The emulator's HTTP API, `kiosk chat --jsonl`, its terminal and
 * transcripts all parse through parseIsoDuration, so they share this cap.
 */
export const MAX_ADVANCE = "P366D";
export const MAX_ADVANCE_MS = 366 * 24 * 3600_000;

/**
 * Parses an ISO 8601 duration ("PT16M", "P1DT2H") to milliseconds, at most
 * MAX_ADVANCE. Throws a RangeError saying what to write for anything that
 * is not a duration, is negative, or is longer.
 */
export function parseIsoDuration(text: string): number {
  const duration = Duration.fromISO(text);
  if (!duration.isValid) {
    throw new RangeError(`'${text}' is not an ISO 8601 duration (try PT15M, PT2H or P1D)`);
  }
  const ms = duration.toMillis();
  if (ms < 0) throw new RangeError(`'${text}' is negative; the clock only moves forward`);
  if (!(ms <= MAX_ADVANCE_MS)) throw new RangeError(`'${text}' is more than ${MAX_ADVANCE}; move the clock at most ${MAX_ADVANCE} at a time`);
  return ms;
}
