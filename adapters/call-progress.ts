import type { Envelope } from "../core/message.ts";
import { ChannelSendError } from "../core/send-error.ts";

/** How many of this message's platform calls earlier attempts made: 0 for a fresh message. */
export function callsDone(envelope: Pick<Envelope, "callsDone">): number {
  return envelope.callsDone ?? 0;
}

/**
 * Sends an outbox message that takes several platform calls (a card per
 * message, a long text in parts), starting after the calls earlier attempts
 * made (`envelope.callsDone`), so the customer does not see the first parts
 * twice. When a call fails, what it throws goes through `failure` (e.g. to
 * map a platform error to a ChannelSendError) and is rethrown as a
 * `ChannelSendError` carrying `callsDone`, the calls made so far; the outbox
 * keeps that on the row, so the next attempt resumes there even after a
 * restart. A failure before any call was made is rethrown as `failure` gave it.
 *
 * @example
 * await makeCalls(envelope, renderCalls(envelope.message), (call) => post(call), toSendError);
 */
export async function makeCalls<C>(
  envelope: Pick<Envelope, "callsDone">,
  calls: readonly C[],
  make: (call: C) => Promise<void>,
  failure: (error: unknown, call: C) => unknown = (error) => error,
): Promise<void> {
  const start = callsDone(envelope);
  for (let i = start; i < calls.length; i++) {
    const call = calls[i] as C;
    try {
      await make(call);
    } catch (error) {
      const thrown = await failure(error, call);
      if (i === 0) throw thrown;
      if (thrown instanceof ChannelSendError) throw thrown.withCallsDone(i);
      // Not the channel's word on it: retried with the outbox's backoff, as any other error is.
      throw new ChannelSendError("unavailable", thrown instanceof Error ? thrown.message : String(thrown), { cause: thrown, callsDone: i });
    }
  }
}
