import type { Store, TimerRow } from "../store/index.ts";
import type { Clock } from "./clock.ts";

export interface TimerRunnerOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Runs the timer's turn; that turn deletes the timer row in its own transaction. */
  readonly fire: (timer: TimerRow) => Promise<void>;
  readonly onError?: (error: unknown, timer: TimerRow) => void;
}

const BATCH = 100;

/**
 * Fires due timers from the store. Timers are rows, so a restart picks up
 * whatever came due while the process was down.
 */
export class TimerRunner {
  readonly #options: TimerRunnerOptions;
  #running: Promise<number> | undefined;
  #stopped = false;

  constructor(options: TimerRunnerOptions) {
    this.#options = options;
  }

  /** Fires no more timers (a shutdown): the turn of the one firing finishes, the rest stay due for the next start. */
  stop(): void {
    this.#stopped = true;
  }

  /** Fires every timer due at the clock's current time; resolves to how many fired. */
  runDue(): Promise<number> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(): Promise<number> {
    const { store, clock, fire, onError } = this.#options;
    let fired = 0;
    const failed = new Set<number>();
    // Bounded: a timer's turn deletes it, and one that fails is not retried in this run.
    for (let pass = 0; pass < 1000 && !this.#stopped; pass++) {
      const due = (await store.dueTimers(clock.now(), BATCH + failed.size)).filter((t) => !failed.has(t.id));
      if (due.length === 0) return fired;
      for (const timer of due) {
        if (this.#stopped) return fired;
        try {
          await fire(timer);
          fired += 1;
        } catch (error) {
          failed.add(timer.id);
          onError?.(error, timer);
        }
      }
    }
    return fired;
  }
}
