import type { ChannelSender, Envelope } from "../message.ts";

export const EMULATOR_CHANNEL = "emulator";

/** The emulator's channel: delivered messages are kept per customer and announced to listeners. */
export class EmulatorChannel implements ChannelSender {
  readonly channel = EMULATOR_CHANNEL;
  readonly delivered: Envelope[] = [];
  readonly #listeners = new Set<(envelope: Envelope) => void>();
  /** Outbox ids already delivered: a retried send after a crash is not shown twice. */
  readonly #seen = new Set<number>();

  async send(envelope: Envelope): Promise<void> {
    if (this.#seen.has(envelope.id)) return;
    this.#seen.add(envelope.id);
    this.delivered.push(envelope);
    for (const listener of this.#listeners) listener(envelope);
  }

  onMessage(listener: (envelope: Envelope) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
