import type { ChannelSender, Envelope } from "../../core/message.ts";

export const EMULATOR_CHANNEL = "emulator";

/** The emulator's channel: delivered messages are kept per customer and announced to listeners. */
export class EmulatorSender implements ChannelSender {
  readonly channel = EMULATOR_CHANNEL;
  readonly delivered: Envelope[] = [];
  readonly #keep: boolean;
  readonly #listeners = new Set<(envelope: Envelope) => void>();
  /** Outbox ids already delivered: a retried send after a crash is not shown twice. */
  readonly #seen = new Set<number>();

  /**
   * `keep: false` (a long-running server) keeps nothing in `delivered`: the
   * listeners see each message and the store's outbox is the history.
   */
  constructor(options: { keep?: boolean } = {}) {
    this.#keep = options.keep ?? true;
  }

  async send(envelope: Envelope): Promise<void> {
    if (this.#seen.has(envelope.id)) return;
    // Without `keep`, ids only need remembering until the outbox marks them sent: the newest 10,000 suffice.
    if (!this.#keep && this.#seen.size >= 10_000) {
      const oldest = this.#seen.values().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
    this.#seen.add(envelope.id);
    // What the customer sees: the locale the engine stamps on each message is for channels that format amounts themselves.
    const { locale, ...message } = envelope.message;
    const shown: Envelope = { ...envelope, message };
    if (this.#keep) this.delivered.push(shown);
    for (const listener of this.#listeners) listener(shown);
  }

  onMessage(listener: (envelope: Envelope) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
