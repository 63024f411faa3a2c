// The one driver both peers run under, so they see the identical workload and
// are timed the identical way.
import { performance } from "node:perf_hooks";
import type { PeerOptions } from "./types.ts";

/** What every customer types, one entry per turn. */
export const SCRIPT: readonly string[] = ["/start", "Latte", "2", "M", "no", "yes"];
/** 2 × Latte (320) at size M (+0). */
export const EXPECTED_TOTAL_MINOR = 640;

export interface DriveResult {
  turns: number;
  elapsedMs: number;
  latenciesMs: number[];
}

/**
 * Runs `conversations` customers through SCRIPT, `concurrency` at a time,
 * advancing the batch round-robin one turn per customer. Inputs are built
 * before the clock starts so latency covers only the framework's handling.
 */
export async function drive<T>(
  opts: PeerOptions,
  prepare: (customer: number, turn: number, text: string) => T,
  handle: (input: T) => Promise<void>,
): Promise<DriveResult> {
  if (!Number.isInteger(opts.conversations) || opts.conversations < 0) {
    throw new RangeError(`conversations must be a non-negative integer, got ${opts.conversations}`);
  }
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${opts.concurrency}`);
  }
  const latenciesMs: number[] = [];
  const started = performance.now();
  for (let first = 0; first < opts.conversations; first += opts.concurrency) {
    const last = Math.min(first + opts.concurrency, opts.conversations);
    for (const [turn, text] of SCRIPT.entries()) {
      for (let customer = first; customer < last; customer++) {
        const input = prepare(customer, turn, text);
        const t0 = performance.now();
        await handle(input);
        latenciesMs.push(performance.now() - t0);
      }
    }
  }
  return { turns: latenciesMs.length, elapsedMs: performance.now() - started, latenciesMs };
}
