/**
 * OutboxDispatcher sending: several conversations at once and each in order,
 * a flush that races the end of a drain, customers who cannot be reached, and
 * a paced channel that moves on without a slow conversation.
 */
import { describe, expect, it } from "vitest";
import { ChannelSendError, type ChannelSender } from "../core/index.ts";
import type { OutboxRow, Store } from "../store/index.ts";
import { ManualClock } from "./clock.ts";
import { OutboxDispatcher } from "./outbox.ts";
import { alice, enqueueTexts, pacedWithSlowFirst, Sender, T0 } from "../tests/outbox-kit.ts";
import { useSqliteStore, waitFor as until } from "../tests/helpers.ts";

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

  const enqueue = (userId: string, ...texts: string[]) => enqueueTexts(store, userId, texts);

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

describe("OutboxDispatcher with a paced channel and a slow conversation", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));

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
