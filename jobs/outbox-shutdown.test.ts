/**
 * OutboxDispatcher.close at a shutdown's deadline: what is sent, what is cut
 * and what is left, exactly, for the next start.
 */
import { describe, expect, it } from "vitest";
import { makeCalls } from "../adapters/call-progress.ts";
import { ChannelSendError, type ChannelSender } from "../core/index.ts";
import type { Store } from "../store/index.ts";
import { ManualClock } from "./clock.ts";
import { OutboxDispatcher } from "./outbox.ts";
import { alice, enqueueTexts, pacedWithSlowFirst, Sender, T0 } from "../tests/outbox-kit.ts";
import { useSqliteStore, waitFor as until } from "../tests/helpers.ts";

/** A shutdown's deadline the test ends by hand: `stop()` ends the sending, `cut()` cuts the sends in flight. */
function handDeadline() {
  const stop = new AbortController();
  const cut = new AbortController();
  return { deadline: { stop: stop.signal, cut: cut.signal }, stop: () => stop.abort(), cut: () => cut.abort() };
}

describe("OutboxDispatcher.close at a shutdown's deadline", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));

  const enqueue = (userId: string, texts: readonly string[]) => enqueueTexts(store, userId, texts);
  const texts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

  it("starts no send after the deadline, records the one that finished, and leaves the rest for the next start, each sent once", async () => {
    await enqueue("alice", texts("a", 25));
    await enqueue("bob", texts("b", 25));
    const { deadline, stop } = handDeadline();
    const sent: string[] = [];
    const sender: ChannelSender = {
      channel: "test",
      async send(envelope) {
        sent.push(envelope.message.text ?? "");
        // The grace period ends while the 10th message is on its way: it still counts as sent.
        if (sent.length === 10) stop();
      },
    };
    await new OutboxDispatcher({ store, clock: new ManualClock(T0), senders: new Map([["test", sender]]) }).close(deadline);
    expect(sent).toHaveLength(10);
    expect(await store.unsentOutboxCount()).toBe(40);

    // The next start sends exactly the rest.
    const next = new Sender();
    await new OutboxDispatcher({ store, clock: new ManualClock(T0), senders: new Map([["test", next]]) }).close();
    expect(next.sent).toHaveLength(40);
    expect([...sent, ...next.sent].sort()).toEqual([...texts("a", 25), ...texts("b", 25)].sort());
    expect(await store.unsentOutboxCount()).toBe(0);
  });

  it("on a channel that sends to several conversations at once, lets the sends in flight finish and starts no other", async () => {
    for (const user of texts("u", 8)) await enqueue(user, texts(`${user}-`, 5));
    const { deadline, stop } = handDeadline();
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    let started = 0;
    const sent: string[] = [];
    const sender: ChannelSender = {
      channel: "test",
      concurrency: 4,
      async send(envelope) {
        started += 1;
        await gate;
        sent.push(envelope.message.text ?? "");
      },
    };
    const closed = new OutboxDispatcher({ store, clock: new ManualClock(T0), senders: new Map([["test", sender]]) }).close(deadline);
    await until("four sends in flight", () => started === 4);
    stop();
    open();
    await closed;
    expect(started).toBe(4);
    expect(sent.sort()).toEqual(["u1-1", "u2-1", "u3-1", "u4-1"]);
    expect(await store.unsentOutboxCount()).toBe(36);
    expect((await store.pendingOutbox(T0, 100)).map((r) => r.message.text)).not.toContain("u1-1");
  });

  it("cuts a send still in flight at the cut: its message stays due, with only the platform calls already made kept", async () => {
    await store.transaction((tx) => tx.enqueue(alice, [{ text: "m" }, { text: "n" }], T0));
    const { deadline, stop, cut } = handDeadline();
    const made: string[] = [];
    let hanging = false;
    const sender: ChannelSender = {
      channel: "test",
      async send(envelope, signal) {
        const text = envelope.message.text ?? "";
        await makeCalls(envelope, [1, 2, 3].map((n) => `${text}.${n}`), async (call) => {
          if (call === "m.2" && signal) {
            // A platform that does not answer: the call ends only when it is cut, as fetch does.
            hanging = true;
            await new Promise((_, reject) => signal.addEventListener("abort", () => reject(new ChannelSendError("unavailable", "aborted")), { once: true }));
          }
          made.push(call);
        });
      },
    };
    const closed = new OutboxDispatcher({ store, clock: new ManualClock(T0), senders: new Map([["test", sender]]) }).close(deadline);
    await until("m.2 to hang", () => hanging);
    stop();
    cut();
    await closed;
    expect(made).toEqual(["m.1"]);
    const rows = await store.pendingOutbox(T0, 10);
    expect(rows.map((r) => [r.message.text, r.callsDone])).toEqual([
      ["m", 1],
      ["n", 0],
    ]);
    // n was never started: its row is as the turn wrote it.
    expect(rows[1]).toMatchObject({ attempts: 0 });

    const next: string[] = [];
    const rest: ChannelSender = {
      channel: "test",
      send: (envelope) => makeCalls(envelope, [1, 2, 3].map((n) => `${envelope.message.text ?? ""}.${n}`), async (call) => void next.push(call)),
    };
    await new OutboxDispatcher({ store, clock: new ManualClock(T0), senders: new Map([["test", rest]]) }).close();
    expect(next).toEqual(["m.2", "m.3", "n.1", "n.2", "n.3"]);
  });

  it("leaves a message whose first call was cut exactly as it was", async () => {
    await store.transaction((tx) => tx.enqueue(alice, [{ text: "m" }], T0));
    const { deadline, stop, cut } = handDeadline();
    let hanging = false;
    const sender: ChannelSender = {
      channel: "test",
      send: (_envelope, signal) =>
        new Promise<void>((_, reject) => {
          hanging = true;
          signal?.addEventListener("abort", () => reject(new ChannelSendError("unavailable", "aborted")), { once: true });
        }),
    };
    const closed = new OutboxDispatcher({ store, clock: new ManualClock(T0), senders: new Map([["test", sender]]) }).close(deadline);
    await until("the send to hang", () => hanging);
    stop();
    cut();
    await closed;
    const [row] = await store.conversationOutbox(alice);
    expect(row).toMatchObject({ sentAt: null, attempts: 0, lastError: null });
    expect((await store.pendingOutbox(T0, 1))[0]?.callsDone).toBe(0);
    expect(await store.unsentOutboxCount()).toBe(1);
  });

  it("lets go of a send that ignores its signal once the cut has passed, leaving its message unsent", async () => {
    await store.transaction((tx) => tx.enqueue(alice, [{ text: "m" }], T0));
    const { deadline, stop, cut } = handDeadline();
    let started = false;
    // Never answers and takes no signal, as a connector without one would hang.
    const sender: ChannelSender = { channel: "test", send: () => new Promise<void>(() => (started = true)) };
    const closed = new OutboxDispatcher({ store, clock: new ManualClock(T0), senders: new Map([["test", sender]]) }).close(deadline);
    await until("the send to start", () => started);
    stop();
    cut();
    await closed;
    const [row] = await store.conversationOutbox(alice);
    expect(row).toMatchObject({ sentAt: null, attempts: 0, lastError: null });
  });

  it("waits for a paced conversation finishing in the background and records what it sent before the store may close", async () => {
    const { sender, sent, open } = pacedWithSlowFirst();
    const outbox = new OutboxDispatcher({ store, clock: new ManualClock(T0), senders: new Map([["test", sender]]), detachAfterMs: 20 });
    await enqueue("slow", ["s1", "s2"]);
    void outbox.flush();
    // bob's message goes only once the pass has moved on without "slow".
    await enqueue("bob", ["b1"]);
    void outbox.flush();
    await until("b1 to be sent", () => sent.includes("b1"));

    const { deadline, stop } = handDeadline();
    stop();
    let closed = false;
    const closing = outbox.close(deadline).then(() => (closed = true));
    // Everything else the close does can happen now: only the background send holds it.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    open();
    await closing;
    expect(sent).toEqual(["b1", "s1"]);
    // s1 is recorded as sent; s2, behind it, waits for the next start.
    expect((await store.pendingOutbox(T0, 10)).map((r) => r.message.text)).toEqual(["s2"]);
  });
});
