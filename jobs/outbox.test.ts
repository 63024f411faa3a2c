import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeCalls } from "../adapters/call-progress.ts";
import { ChannelSendError, type ChannelSender, type Envelope } from "../core/index.ts";
import { openSqliteStore, type OutboxRow, type Store } from "../store/index.ts";
import { ManualClock } from "./clock.ts";
import { OutboxDispatcher } from "./outbox.ts";
import { useSqliteStore } from "../tests/helpers.ts";

const T0 = new Date("2025-03-01T09:00:00.000Z");
const alice = { botId: "b", channel: "test", userId: "alice" };

/** Records what it is asked to send; fails the sends whose text is listed. */
class Sender implements ChannelSender {
  readonly channel = "test";
  readonly sent: string[] = [];
  constructor(readonly failing = new Set<string>()) {}
  async send(envelope: Envelope): Promise<void> {
    const text = envelope.message.text ?? "";
    if (this.failing.has(text)) throw new Error(`platform refused '${text}'`);
    this.sent.push(text);
  }
}

describe("OutboxDispatcher over SQLite", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));

  const enqueue = (userId: string, ...texts: string[]) =>
    store.transaction((tx) => tx.enqueue({ botId: "b", channel: "test", userId }, texts.map((text) => ({ text })), T0));

  it("holds a conversation's later messages behind one that failed, but not other conversations'", async () => {
    const clock = new ManualClock(T0);
    const sender = new Sender(new Set(["a1"]));
    const outbox = new OutboxDispatcher({ store, clock, senders: new Map([["test", sender]]), backoffMs: () => 1000 });
    await enqueue("alice", "a1", "a2");
    await enqueue("bob", "b1");

    await outbox.flush();
    expect(sender.sent).toEqual(["b1"]);
    await outbox.flush();
    expect(sender.sent).toEqual(["b1"]);

    sender.failing.clear();
    clock.advance(1000);
    await outbox.flush();
    expect(sender.sent).toEqual(["b1", "a1", "a2"]);
  });

  it("stops holding back once a message is given up on", async () => {
    const clock = new ManualClock(T0);
    const sender = new Sender(new Set(["a1"]));
    const errors: OutboxRow[] = [];
    const outbox = new OutboxDispatcher({
      store,
      clock,
      senders: new Map([["test", sender]]),
      maxAttempts: 1,
      onError: (_error, row) => errors.push(row),
    });
    await enqueue("alice", "a1", "a2");

    await outbox.flush();
    expect(sender.sent).toEqual(["a2"]);
    expect(errors.map((r) => r.message.text)).toEqual(["a1"]);
    clock.advance(60 * 60_000);
    await outbox.flush();
    expect(sender.sent).toEqual(["a2"]);
  });
});

describe("OutboxDispatcher and a channel's send errors", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));

  const enqueue = (userId: string, ...texts: string[]) =>
    store.transaction((tx) => tx.enqueue({ botId: "b", channel: "test", userId }, texts.map((text) => ({ text })), T0));

  /** Throws the error `errors` holds for a text (once per listed error), else records the send. */
  class Scripted implements ChannelSender {
    readonly channel = "test";
    readonly sent: string[] = [];
    constructor(readonly errors: Map<string, ChannelSendError[]>) {}
    async send(envelope: Envelope): Promise<void> {
      const text = envelope.message.text ?? "";
      const error = this.errors.get(text)?.shift();
      if (error) throw error;
      this.sent.push(text);
    }
  }

  it("waits exactly as long as a rate limit says, holding the customer's later messages, and never gives up on it", async () => {
    const clock = new ManualClock(T0);
    const limited = () => new ChannelSendError("rate_limited", "429", { retryAfterMs: 7000 });
    const sender = new Scripted(new Map([["a1", [limited(), limited(), limited()]]]));
    const outbox = new OutboxDispatcher({ store, clock, senders: new Map([["test", sender]]), maxAttempts: 2, backoffMs: () => 1 });
    await enqueue("alice", "a1", "a2");
    await enqueue("bob", "b1");
    await outbox.flush();
    expect(sender.sent).toEqual(["b1"]);
    // Three rate limits in a row, with maxAttempts 2: still retried.
    for (let i = 0; i < 3; i++) {
      clock.advance(6999);
      await outbox.flush();
      expect(sender.sent).toEqual(["b1"]);
      clock.advance(1);
      await outbox.flush();
    }
    expect(sender.sent).toEqual(["b1", "a1", "a2"]);
  });

  it("gives up on a rejected message at once, recording why, and sends the next", async () => {
    const clock = new ManualClock(T0);
    const sender = new Scripted(new Map([["a1", [new ChannelSendError("rejected", "403: bot was blocked by the user")]]]));
    const errors: unknown[] = [];
    const outbox = new OutboxDispatcher({ store, clock, senders: new Map([["test", sender]]), onError: (error) => errors.push(error) });
    await enqueue("alice", "a1", "a2");
    await outbox.flush();
    expect(sender.sent).toEqual(["a2"]);
    const rows = await store.conversationOutbox({ botId: "b", channel: "test", userId: "alice" });
    expect(rows[0]?.nextAttemptAt).toBeNull();
    expect(rows.map((r) => [r.message.text, r.sentAt === null, r.lastError])).toEqual([
      ["a1", true, "403: bot was blocked by the user"],
      ["a2", false, null],
    ]);
    expect(errors).toHaveLength(1);
  });
});

describe("OutboxDispatcher with a channel that takes several sends at once", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));

  it("sends to several conversations at once, each conversation's messages one at a time and in order", async () => {
    const inFlight = new Map<string, number>();
    let most = 0;
    const sent: Array<[string, string]> = [];
    const sender: ChannelSender = {
      channel: "test",
      concurrency: 4,
      async send(envelope) {
        const now = (inFlight.get(envelope.userId) ?? 0) + 1;
        if (now > 1) throw new Error(`two sends at once to ${envelope.userId}`);
        inFlight.set(envelope.userId, now);
        most = Math.max(most, [...inFlight.values()].reduce((a, b) => a + b, 0));
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight.set(envelope.userId, 0);
        sent.push([envelope.userId, envelope.message.text ?? ""]);
      },
    };
    const users = ["u1", "u2", "u3", "u4", "u5", "u6"];
    for (const user of users) {
      await store.transaction((tx) => tx.enqueue({ botId: "b", channel: "test", userId: user }, [1, 2, 3].map((n) => ({ text: `${user}-${n}` })), T0));
    }
    const outbox = new OutboxDispatcher({ store, clock: new ManualClock(T0), senders: new Map([["test", sender]]) });
    await outbox.flush();
    expect(most).toBe(4);
    expect(sent).toHaveLength(18);
    for (const user of users) expect(sent.filter(([u]) => u === user).map(([, t]) => t)).toEqual([`${user}-1`, `${user}-2`, `${user}-3`]);
    expect(await store.pendingOutbox(T0, 100)).toEqual([]);
  });
});

describe("OutboxDispatcher.flush", () => {
  it("sends what was queued by a flush that came just as a drain was finishing", async () => {
    const rows: OutboxRow[] = [];
    let release: (rows: OutboxRow[]) => void = () => {};
    let calls = 0;
    const store = {
      pendingOutbox: (): Promise<OutboxRow[]> => {
        calls += 1;
        // The first read is held until the test lets it go; later reads see the queue.
        if (calls === 1) return new Promise((resolve) => (release = resolve));
        return Promise.resolve(rows.splice(0));
      },
      markSent: async () => {},
      markFailed: async () => {},
    } as unknown as Store;
    const sender = new Sender();
    const outbox = new OutboxDispatcher({ store, clock: new ManualClock(T0), senders: new Map([["test", sender]]) });

    const first = outbox.flush();
    let second: Promise<void> | undefined;
    release([]);
    // Runs right after the drain saw an empty outbox and decided to stop, before it is cleaned up:
    // a turn committed a message and asks for it to be sent.
    queueMicrotask(() => {
      rows.push({ id: 1, botId: "b", channel: "test", userId: "u", message: { text: "hello" }, attempts: 0 });
      second = outbox.flush();
    });
    await first;
    await second;
    expect(sender.sent).toEqual(["hello"]);
  });
});

describe("OutboxDispatcher and customers who cannot be reached", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));

  const enqueue = (userId: string, ...texts: string[]) =>
    store.transaction((tx) => tx.enqueue({ botId: "b", channel: "test", userId }, texts.map((text) => ({ text })), T0));

  it("records their messages as not delivered without asking the channel, and sends to them again once reachable", async () => {
    const clock = new ManualClock(T0);
    const sender = new Sender();
    const errors: unknown[] = [];
    const outbox = new OutboxDispatcher({ store, clock, senders: new Map([["test", sender]]), onError: (error) => errors.push(error) });
    await store.setUnreachable(alice, "customer blocked the bot", T0);
    await enqueue("alice", "a1", "a2");
    await enqueue("bob", "b1");
    expect((await store.pendingOutbox(T0, 10)).map((r) => [r.userId, r.unreachable])).toEqual([
      ["alice", "customer blocked the bot"],
      ["alice", "customer blocked the bot"],
      ["bob", undefined],
    ]);
    await outbox.flush();
    expect(sender.sent).toEqual(["b1"]);
    expect(errors).toEqual([]);
    const rows = await store.conversationOutbox(alice);
    expect(rows.map((r) => [r.sentAt, r.nextAttemptAt, r.lastError])).toEqual([
      [null, null, "not sent: customer blocked the bot; nothing is sent to them until they start the bot again"],
      [null, null, "not sent: customer blocked the bot; nothing is sent to them until they start the bot again"],
    ]);

    // Reachable again: the row stays, with no reason, and counts for nothing.
    await store.setUnreachable(alice, null, new Date(T0.getTime() + 1000));
    await enqueue("alice", "a3");
    await outbox.flush();
    expect(sender.sent).toEqual(["b1", "a3"]);
  });

  it("reads a conversation's next messages afresh after the channel refused one and marked the customer unreachable", async () => {
    const clock = new ManualClock(T0);
    const sent: string[] = [];
    const sender: ChannelSender = {
      channel: "test",
      async send(envelope) {
        if (envelope.message.text === "a1") {
          // As Telegram's 403 does through TelegramSenderOptions.onForbidden.
          await store.setUnreachable(alice, "Forbidden: bot was blocked by the user", T0);
          throw new ChannelSendError("rejected", "403 Forbidden: bot was blocked by the user");
        }
        sent.push(envelope.message.text ?? "");
      },
    };
    const outbox = new OutboxDispatcher({ store, clock, senders: new Map([["test", sender]]) });
    await enqueue("alice", "a1", "a2", "a3");
    await enqueue("bob", "b1");
    await outbox.flush();
    expect(sent).toEqual(["b1"]);
    const rows = await store.conversationOutbox(alice);
    expect(rows.map((r) => [r.message.text, r.sentAt, r.nextAttemptAt, r.lastError])).toEqual([
      ["a1", null, null, "403 Forbidden: bot was blocked by the user"],
      ["a2", null, null, expect.stringMatching(/^not sent: Forbidden: bot was blocked by the user; /)],
      ["a3", null, null, expect.stringMatching(/^not sent: Forbidden: bot was blocked by the user; /)],
    ]);
  });
});

describe("OutboxDispatcher and a message that takes several platform calls", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kiosk-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Makes three calls per message (`<text>.1` to `.3`) through makeCalls; fails the calls listed, once each. */
  class ThreeCalls implements ChannelSender {
    readonly channel = "test";
    readonly made: string[] = [];
    constructor(readonly failing = new Set<string>()) {}
    async send(envelope: Envelope): Promise<void> {
      const text = envelope.message.text ?? "";
      await makeCalls(envelope, [1, 2, 3].map((n) => `${text}.${n}`), async (call) => {
        if (this.failing.delete(call)) throw new ChannelSendError("unavailable", `503 on ${call}`);
        this.made.push(call);
      });
    }
  }

  it("starts after the calls made before a restart: a new store, dispatcher and sender on the same file send only the rest", async () => {
    const file = join(dir, "kiosk.db");
    const clock = new ManualClock(T0);
    const before = openSqliteStore({ file });
    try {
      await before.transaction((tx) => tx.enqueue(alice, [{ text: "m" }, { text: "n" }], T0));
      const sender = new ThreeCalls(new Set(["m.2"]));
      await new OutboxDispatcher({ store: before, clock, senders: new Map([["test", sender]]), backoffMs: () => 1000 }).flush();
      expect(sender.made).toEqual(["m.1"]);
      const [row] = await before.pendingOutbox(new Date(T0.getTime() + 1000), 10);
      expect(row).toMatchObject({ id: 1, callsDone: 1, attempts: 1 });
    } finally {
      await before.close();
    }

    const after = openSqliteStore({ file });
    try {
      clock.advance(1000);
      const sender = new ThreeCalls();
      await new OutboxDispatcher({ store: after, clock, senders: new Map([["test", sender]]) }).flush();
      expect(sender.made).toEqual(["m.2", "m.3", "n.1", "n.2", "n.3"]);
      const rows = await after.conversationOutbox(alice);
      expect(rows.map((r) => [r.message.text, r.sentAt !== null, r.lastError])).toEqual([
        ["m", true, "503 on m.2"],
        ["n", true, null],
      ]);
    } finally {
      await after.close();
    }
  });

  it("keeps counting across several failed attempts of one message", async () => {
    const store = openSqliteStore({ file: join(dir, "kiosk.db") });
    try {
      const clock = new ManualClock(T0);
      await store.transaction((tx) => tx.enqueue(alice, [{ text: "m" }], T0));
      const sender = new ThreeCalls(new Set(["m.2", "m.3"]));
      const outbox = new OutboxDispatcher({ store, clock, senders: new Map([["test", sender]]), backoffMs: () => 1000 });
      await outbox.flush();
      clock.advance(1000);
      await outbox.flush();
      expect((await store.pendingOutbox(new Date(T0.getTime() + 5000), 1))[0]?.callsDone).toBe(2);
      clock.advance(1000);
      await outbox.flush();
      expect(sender.made).toEqual(["m.1", "m.2", "m.3"]);
      expect(await store.pendingOutbox(new Date(T0.getTime() + 5000), 1)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

/**
 * A paced channel (4 sends at once) on which the message "s1" waits until
 * `open()`, as a paced chat does; `sent` lists the texts sent, in order.
 */
function pacedWithSlowFirst(): { sender: ChannelSender; sent: string[]; open: () => void } {
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

describe("OutboxDispatcher with a paced channel and a slow conversation", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));

  const until = async (what: string, check: () => boolean) => {
    for (const deadline = Date.now() + 5000; !check(); ) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it("moves on without it, so others' new messages go at once, and keeps its own messages in order behind it", async () => {
    const { sender, sent, open } = pacedWithSlowFirst();
    const enqueue = (userId: string, text: string) => store.transaction((tx) => tx.enqueue({ botId: "b", channel: "test", userId }, [{ text }], T0));
    const outbox = new OutboxDispatcher({ store, clock: new ManualClock(T0), senders: new Map([["test", sender]]), detachAfterMs: 20 });

    await enqueue("slow", "s1");
    const first = outbox.flush();
    await new Promise((resolve) => setTimeout(resolve, 40));
    await enqueue("bob", "b1");
    await enqueue("slow", "s2");
    const second = outbox.flush();
    await until("b1 to be sent", () => sent.includes("b1"));
    expect(sent).toEqual(["b1"]);

    open();
    await Promise.all([first, second]);
    expect(sent).toEqual(["b1", "s1", "s2"]);
    expect(await store.pendingOutbox(new Date(T0.getTime() + 3_600_000), 10)).toEqual([]);
    // Each once: nothing more goes on another flush.
    await outbox.flush();
    expect(sent).toEqual(["b1", "s1", "s2"]);
  });
});

/** A shutdown's deadline the test ends by hand: `stop()` ends the sending, `cut()` cuts the sends in flight. */
function handDeadline() {
  const stop = new AbortController();
  const cut = new AbortController();
  return { deadline: { stop: stop.signal, cut: cut.signal }, stop: () => stop.abort(), cut: () => cut.abort() };
}

describe("OutboxDispatcher.close at a shutdown's deadline", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));

  const enqueue = (userId: string, texts: readonly string[]) =>
    store.transaction((tx) => tx.enqueue({ botId: "b", channel: "test", userId }, texts.map((text) => ({ text })), T0));
  const texts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
  const until = async (what: string, check: () => boolean) => {
    for (const deadline = Date.now() + 5000; !check(); ) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };

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
