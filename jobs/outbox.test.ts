import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeCalls } from "../adapters/call-progress.ts";
import { ChannelSendError, type ChannelSender, type Envelope } from "../adapters/index.ts";
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
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const sent: string[] = [];
    const sender: ChannelSender = {
      channel: "test",
      concurrency: 4,
      paced: true,
      async send(envelope) {
        // The first message to "slow" waits, as a paced chat does.
        if (envelope.message.text === "s1") await gate;
        sent.push(envelope.message.text ?? "");
      },
    };
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
