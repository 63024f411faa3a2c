/**
 * What the outbox tests (outbox-*.test.ts) share: a fixed start, a customer,
 * a sender that records or refuses texts, and a paced channel with one slow
 * conversation. Only tests import this module.
 */
import type { ChannelSender, Envelope } from "../core/index.ts";
import type { Store } from "../store/index.ts";

/** When every message of these tests is queued, and where their clocks start. */
export const T0 = new Date("2025-03-01T09:00:00.000Z");

/** A customer of bot "b" on the channel "test". */
export const alice = { botId: "b", channel: "test", userId: "alice" };

/** Records what it is asked to send; fails the sends whose text is listed. */
export class Sender implements ChannelSender {
  readonly channel = "test";
  readonly sent: string[] = [];
  constructor(readonly failing = new Set<string>()) {}
  async send(envelope: Envelope): Promise<void> {
    const text = envelope.message.text ?? "";
    if (this.failing.has(text)) throw new Error(`platform refused '${text}'`);
    this.sent.push(text);
  }
}

/** Queues one text message per text for `userId` of bot "b" on the channel "test", as a turn committing at T0 would. */
export function enqueueTexts(store: Store, userId: string, texts: readonly string[]): Promise<number[]> {
  return store.transaction((tx) => tx.enqueue({ botId: "b", channel: "test", userId }, texts.map((text) => ({ text })), T0));
}

/**
 * A paced channel (4 sends at once) on which the message "s1" waits until
 * `open()`, as a paced chat does; `sent` lists the texts sent, in order.
 */
export function pacedWithSlowFirst(): { sender: ChannelSender; sent: string[]; open: () => void } {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const sent: string[] = [];
  const sender: ChannelSender = {
    channel: "test",
    concurrency: 4,
    paced: true,
    async send(envelope) {
      if (envelope.message.text === "s1") await gate;
      sent.push(envelope.message.text ?? "");
    },
  };
  return { sender, sent, open: () => open() };
}
