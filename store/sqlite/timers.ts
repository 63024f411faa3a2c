import type { TimerRow, TimerSpec } from "../ports/timers.ts";
import type { Queries } from "./queries.ts";
import { toTimer } from "./rows.ts";

/** Timers: scheduled by key (scheduling a key again replaces its timer), taken by id when due. */

/** Inserts a timer, or replaces the one with the same key. */
export function scheduleTimer(q: Queries, timer: TimerSpec): void {
  q.scheduleTimer.run({ ...timer });
}

/** Deletes the timer with this key, if any. */
export function cancelTimer(q: Queries, key: string): void {
  q.cancelTimer.run({ key });
}

/** Deletes a timer; false when it was gone already. */
export function takeTimer(q: Queries, id: number): boolean {
  return q.takeTimer.run({ id }).changes === 1;
}

/** Up to `limit` timers due at `now`, soonest first. */
export function dueTimers(q: Queries, now: Date, limit: number): TimerRow[] {
  return q.dueTimers.all({ now: now.getTime(), limit }).map(toTimer);
}
