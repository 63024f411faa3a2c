import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChannelSendError, type ChannelSender, type Envelope } from "../adapters/index.ts";
import { openSqliteStore, type OutboxRow, type Store } from "../store/index.ts";
import { ManualClock } from "./clock.ts";
import { OutboxDispatcher } from "./outbox.ts";

const T0 = new Date("2025-03-01T09:00:00.000Z");

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
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kiosk-"));
    store = openSqliteStore({ file: join(dir, "kiosk.db") });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

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
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kiosk-"));
    store = openSqliteStore({ file: join(dir, "kiosk.db") });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

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
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kiosk-"));
    store = openSqliteStore({ file: join(dir, "kiosk.db") });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

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
