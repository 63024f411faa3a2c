import { Mutex } from "async-mutex";

/** One customer of one bot, as the emulator's per-customer maps (locks, turns being collected, recordings) key it. */
export const customerKey = (botId: string, userId: string): string => `${botId}\u0000${userId}`;

/** One lock per key: one turn at a time per customer. A lock is dropped once nobody holds or awaits it, so idle customers cost nothing. */
export class KeyedLocks {
  readonly #locks = new Map<string, Mutex>();

  /** Runs `fn` alone for this key. */
  async exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let lock = this.#locks.get(key);
    if (!lock) this.#locks.set(key, (lock = new Mutex()));
    try {
      return await lock.runExclusive(fn);
    } finally {
      // A waiter takes the lock as it is released, so an unlocked one has no waiters.
      if (!lock.isLocked() && this.#locks.get(key) === lock) this.#locks.delete(key);
    }
  }
}

/** Work started and not yet finished (turns, fast-forwards, slow payments): what closing waits for. */
export class WorkInFlight {
  readonly #work = new Set<Promise<unknown>>();

  /** Counts `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#work.add(work);
    const done = () => this.#work.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves once nothing is in flight, including work started while waiting. */
  async settled(): Promise<void> {
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }
}
