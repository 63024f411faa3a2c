import type { FastifyBaseLogger } from "fastify";
import { IN_FLIGHT_MS, type SendDeadline } from "../jobs/index.ts";
import type { Runtime } from "../jobs/runtime.ts";

/** Time left after the sending ends for the rest of closing (requests still open, the store). */
const CLOSE_MARGIN_MS = 5_000;

/**
 * How long a process with this grace period may take to close before it is
 * killed (close-with-grace's delay): the grace, the time calls in flight get
 * to be answered, and a margin for the rest. A supervisor's own kill timeout
 * (Kubernetes' terminationGracePeriodSeconds, systemd's TimeoutStopSec)
 * should be at least this.
 */
export function killTimeoutMs(graceMs: number): number {
  return graceMs + IN_FLIGHT_MS + CLOSE_MARGIN_MS;
}

/**
 * Closes a runtime at a shutdown's deadline (see `Runtime.close`) and logs
 * how many messages it left in its outbox for the next start. The same for
 * every runtime a server runs; `name` tells them apart in the log.
 *
 * @example
 * const unsent = await closeRuntime(runtime, new ShutdownDeadline(10_000), app.log);
 */
export async function closeRuntime(runtime: Runtime, deadline: SendDeadline, log: FastifyBaseLogger, name?: string): Promise<number> {
  const { unsent } = await runtime.close(deadline);
  const who = name === undefined ? "shutdown" : `shutdown (${name})`;
  const messages = `${unsent} ${unsent === 1 ? "message" : "messages"} left in the outbox`;
  log.info({ unsent }, unsent === 0 ? `${who}: ${messages}; every message was sent` : `${who}: ${messages}; they are sent at the next start`);
  return unsent;
}
