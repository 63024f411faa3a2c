/**
 * OutboxDispatcher when a send fails: a conversation's later messages held
 * behind the failed one, rate limits waited out, rejections given up on at
 * once, and a message of several platform calls resumed where it stopped.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeCalls } from "../adapters/call-progress.ts";
import { ChannelSendError, type ChannelSender, type Envelope } from "../core/index.ts";
import { openSqliteStore, type OutboxRow, type Store } from "../store/index.ts";
import { ManualClock } from "./clock.ts";
import { OutboxDispatcher } from "./outbox.ts";
import { alice, enqueueTexts, Sender, T0 } from "../tests/outbox-kit.ts";
import { useSqliteStore } from "../tests/helpers.ts";

describe("OutboxDispatcher over SQLite", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));

  const enqueue = (userId: string, ...texts: string[]) => enqueueTexts(store, userId, texts);

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

  const enqueue = (userId: string, ...texts: string[]) => enqueueTexts(store, userId, texts);

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
