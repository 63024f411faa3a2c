import { describe, expect, it } from "vitest";
import { Runtime } from "./runtime.ts";
import type { Store } from "../store/index.ts";
import { useSqliteStore } from "../tests/helpers.ts";
import { ManualClock } from "./clock.ts";
import { RetentionSweeper } from "./retention.ts";

const T0 = new Date("2027-01-04T09:00:00.000Z");
const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const alice = { botId: "cafe", channel: "telegram", userId: "42" };

/** The idempotency key of one event of each kind, as the server writes them. */
const KEYS = [
  "telegram:cafe:700001",
  "whatsapp:cafe:wamid.HBgLMzM2MTIzNDU2NzgVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA",
  "messenger:cafe:m_1a2b3c",
  "botframework:cafe:msteams:1712345678901",
  "checkout:evt_1PkXyz",
  "payment:checkout:cs_test_a1",
  "timer:17",
  "emulator:7d8e6f1a-0000-4000-8000-000000000001",
];

async function seenKeys(store: Store): Promise<string[]> {
  const seen: string[] = [];
  // markEventSeen is false for a key still kept: the only way to read the table through the port.
  await store.transaction(async (tx) => {
    for (const key of KEYS) if (!(await tx.markEventSeen(key, T0))) seen.push(key);
    throw new Error("rolled back: only looking");
  }).catch(() => undefined);
  return seen;
}

describe("RetentionSweeper over SQLite", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));

  it("keeps each idempotency key for its platform's redelivery window plus a margin, then drops it", async () => {
    await store.transaction(async (tx) => {
      for (const key of KEYS) await tx.markEventSeen(key, T0);
    });
    const clock = new ManualClock(T0);
    const sweeper = new RetentionSweeper({ store, clock });
    const sweepAt = async (ms: number) => {
      clock.advance(ms - (clock.now().getTime() - T0.getTime()));
      return (await sweeper.run()).seenEvents;
    };

    expect(await sweepAt(DAY - 1)).toBe(0);
    expect(await seenKeys(store)).toEqual(KEYS);
    // A fired timer's key: a day.
    expect(await sweepAt(DAY + 1)).toBe(1);
    expect(await seenKeys(store)).not.toContain("timer:17");
    // Telegram keeps an update 24 h, Teams re-sends within seconds: two days.
    expect(await sweepAt(2 * DAY - 1)).toBe(0);
    expect(await sweepAt(2 * DAY + 1)).toBe(2);
    // Stripe retries for 3 days: four.
    expect(await sweepAt(4 * DAY - 1)).toBe(0);
    expect(await sweepAt(4 * DAY + 1)).toBe(2);
    expect(await seenKeys(store)).toEqual([KEYS[1], KEYS[2], KEYS[7]]);
    // Meta retries for up to 7 days: eight; unknown kinds get the longest window.
    expect(await sweepAt(8 * DAY - 1)).toBe(0);
    expect(await sweepAt(8 * DAY + 1)).toBe(3);
    expect(await seenKeys(store)).toEqual([]);
  });

  it("works in bounded steps, each reading and deleting at most its batch", async () => {
    await store.transaction(async (tx) => {
      for (let i = 0; i < 23; i++) await tx.markEventSeen(`telegram:cafe:${800000 + i}`, T0);
      await tx.markEventSeen("telegram:cafe:900000", new Date(T0.getTime() + 3 * DAY));
    });
    const steps: Array<{ limit: number; deleted: number }> = [];
    // The sweeper needs only these two calls of the port.
    const watched = {
      pruneSeenEvents: async (options: Parameters<Store["pruneSeenEvents"]>[0]) => {
        const step = await store.pruneSeenEvents(options);
        steps.push({ limit: options.limit, deleted: step.deleted });
        return step;
      },
      pruneOutbox: (options: Parameters<Store["pruneOutbox"]>[0]) => store.pruneOutbox(options),
    } as unknown as Store;
    const clock = new ManualClock(new Date(T0.getTime() + 3 * DAY));
    expect((await new RetentionSweeper({ store: watched, clock, batchSize: 5 }).run()).seenEvents).toBe(23);
    expect(steps.length).toBe(5);
    expect(steps.every((s) => s.limit === 5 && s.deleted <= 5)).toBe(true);
  });

  it("deletes messages sent or given up on after the retention days, with their delivery statuses, and keeps the rest", async () => {
    const at = (days: number) => new Date(T0.getTime() + days * DAY);
    const [sent, failed, retrying, unsent] = await store.transaction((tx) => tx.enqueue(alice, [{ text: "sent" }, { text: "given up" }, { text: "retrying" }, { text: "unsent" }], T0));
    if (sent === undefined || failed === undefined || retrying === undefined || unsent === undefined) throw new Error("not queued");
    await store.markSent([sent], T0);
    await store.savePlatformMessage({ channel: "telegram", platformId: "m1", outboxId: sent, at: T0 });
    await store.markFailed(failed, { error: "403: bot was blocked by the user", retryAt: null });
    await store.markFailed(retrying, { error: "503", retryAt: at(40) });
    const [recent] = await store.transaction((tx) => tx.enqueue(alice, [{ text: "recent" }], at(20)));
    if (recent === undefined) throw new Error("not queued");
    await store.markSent([recent], at(20));

    const sweepAt = async (ms: number) => (await new RetentionSweeper({ store, clock: new ManualClock(new Date(ms)), retentionDays: 30 }).run()).outbox;
    expect(await sweepAt(at(30).getTime() - 1)).toBe(0);
    expect(await sweepAt(at(30).getTime() + 1)).toBe(2);
    expect((await store.conversationOutbox(alice)).map((m) => m.message.text)).toEqual(["retrying", "unsent", "recent"]);
    expect(await store.deliveryStatuses(sent)).toEqual([]);
    expect(await sweepAt(at(51).getTime())).toBe(1);
    expect((await store.conversationOutbox(alice)).map((m) => m.message.text)).toEqual(["retrying", "unsent"]);
  });

  it("runs once an hour by its clock, the first time at once", async () => {
    await store.transaction((tx) => tx.markEventSeen("telegram:cafe:1", T0));
    const clock = new ManualClock(new Date(T0.getTime() + 3 * DAY));
    const sweeper = new RetentionSweeper({ store, clock });
    expect(await sweeper.runIfDue()).toEqual({ seenEvents: 1, outbox: 0 });
    await store.transaction((tx) => tx.markEventSeen("telegram:cafe:2", T0));
    clock.advance(HOUR - 1);
    expect(await sweeper.runIfDue()).toBeUndefined();
    clock.advance(1);
    expect(await sweeper.runIfDue()).toEqual({ seenEvents: 1, outbox: 0 });
  });

  it("is started by the runtime's poll at start, on the runtime's clock", async () => {
    await store.transaction((tx) => tx.markEventSeen("telegram:cafe:1", T0));
    const runtime = new Runtime({ store, clock: new ManualClock(new Date(T0.getTime() + 3 * DAY)), bots: [], senders: [] });
    await runtime.start();
    await runtime.retention.settled();
    expect(await store.transaction((tx) => tx.markEventSeen("telegram:cafe:1", T0))).toBe(true);
    await runtime.close();
  });
});
