// The one driver Kiosk, the floor and both peers run under, so they see the
// identical workload and are timed and charged the identical way.
import { performance } from "node:perf_hooks";
import type { PeerOptions } from "./types.ts";

/** What every customer types, one entry per turn. */
export const SCRIPT: readonly string[] = ["/start", "Latte", "2", "M", "no", "yes"];
/** 2 × Latte (320) at size M (+0). */
export const EXPECTED_TOTAL_MINOR = 640;

/** Counts what is in flight right now and the most that ever was, so a report can show the concurrency was real. */
export class InFlight {
  #now = 0;
  #max = 0;
  enter(): void {
    this.#now += 1;
    if (this.#now > this.#max) this.#max = this.#now;
  }
  leave(): void {
    this.#now -= 1;
  }
  get max(): number {
    return this.#max;
  }
}

/**
 * Runs `run(0)` … `run(count - 1)` with at most `concurrency` running at once,
 * the way a server holds many conversations at a time: each call is one
 * conversation whose turns it sends in order; the next conversation starts
 * as soon as one finishes.
 */
export async function eachConversation(count: number, concurrency: number, run: (conversation: number) => Promise<void>): Promise<void> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`conversations must be a non-negative integer, got ${count}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  let next = 0;
  const worker = async () => {
    // Bounded: every pass takes a new conversation number, up to `count`.
    for (let conversation = next++; conversation < count; conversation = next++) await run(conversation);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export interface DriveResult {
  /** Turns in the measured window (warm-up excluded). */
  turns: number;
  elapsedMs: number;
  /** process.cpuUsage() over the measured window, user + system, every thread of this process. */
  cpuMs: number;
  latenciesMs: number[];
  /** Most turns that were awaiting their system at one instant. */
  maxInFlight: number;
  concurrency: number;
  /** Replies the system sent in the measured window, and turns of it that got none. */
  replies: number;
  turnsWithoutReply: number;
  /** Conversations run in all, warm-up included: the orders expected at the end. */
  conversationsRun: number;
}

/**
 * Runs `warmUp` conversations untimed, then `opts.conversations` timed: each
 * conversation sends SCRIPT turn by turn, awaiting each turn's handling (its
 * state saved, its replies sent) before its next, with `opts.concurrency`
 * conversations in flight at once. `handle` resolves to the number of
 * replies the turn sent to that customer.
 */
export async function drive<T>(
  opts: PeerOptions,
  prepare: (customer: number, turn: number, text: string) => T,
  handle: (input: T) => Promise<number>,
): Promise<DriveResult> {
  const warmUp = opts.warmUp ?? Math.min(500, Math.floor(opts.conversations / 10));
  const conversation = async (customer: number, record: boolean, inFlight: InFlight, latenciesMs: number[], tally: { replies: number; silent: number }) => {
    for (const [turn, text] of SCRIPT.entries()) {
      const input = prepare(customer, turn, text);
      inFlight.enter();
      const t0 = performance.now();
      const replies = await handle(input);
      const ms = performance.now() - t0;
      inFlight.leave();
      if (!record) continue;
      latenciesMs.push(ms);
      tally.replies += replies;
      if (replies < 1) tally.silent += 1;
    }
  };
  await eachConversation(warmUp, opts.concurrency, (c) => conversation(c, false, new InFlight(), [], { replies: 0, silent: 0 }));

  const inFlight = new InFlight();
  const latenciesMs: number[] = [];
  const tally = { replies: 0, silent: 0 };
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await eachConversation(opts.conversations, opts.concurrency, (c) => conversation(warmUp + c, true, inFlight, latenciesMs, tally));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  return {
    turns: latenciesMs.length,
    elapsedMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    latenciesMs,
    maxInFlight: inFlight.max,
    concurrency: opts.concurrency,
    replies: tally.replies,
    turnsWithoutReply: tally.silent,
    conversationsRun: warmUp + opts.conversations,
  };
}

/** Replies sent per customer, counted where each system hands a reply to its channel. */
export class ReplyCounter {
  readonly #byCustomer = new Map<string, number>();
  add(customer: string): void {
    this.#byCustomer.set(customer, (this.#byCustomer.get(customer) ?? 0) + 1);
  }
  /** Runs one turn of `customer` and resolves to the replies it sent them (their turns never overlap). */
  async during(customer: string, turn: () => Promise<unknown>): Promise<number> {
    const before = this.#byCustomer.get(customer) ?? 0;
    await turn();
    return (this.#byCustomer.get(customer) ?? 0) - before;
  }
}
