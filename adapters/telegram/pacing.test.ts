import { describe, expect, it } from "vitest";
import { Pacer, type PacerOptions } from "./pacing.ts";

/** A clock that only moves when a sleep is asked for: each sleep moves it on by the time asked. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  const options: Pick<PacerOptions, "now" | "sleep"> = {
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
  return { options, sleeps, at: () => now, advance: (ms: number) => void (now += ms) };
}

describe("Pacer", () => {
  it("lets a chat's burst through at once, then one per interval", async () => {
    const time = fakeTime();
    const pacer = new Pacer({ ...time.options, perBot: { perSecond: 0, burst: 0 }, perChat: { perSecond: 1, burst: 3 } });
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      await pacer.wait("cafe", "42");
      times.push(time.at());
    }
    expect(times).toEqual([0, 0, 0, 1000, 2000, 3000]);
    // Another chat has its own bucket.
    await pacer.wait("cafe", "43");
    expect(time.at()).toBe(3000);
  });

  it("refills a bucket while the chat is quiet, up to its burst", async () => {
    const time = fakeTime();
    const pacer = new Pacer({ ...time.options, perBot: { perSecond: 0, burst: 0 }, perChat: { perSecond: 2, burst: 2 } });
    await pacer.wait("cafe", "42");
    await pacer.wait("cafe", "42");
    time.advance(10_000);
    const start = time.at();
    for (let i = 0; i < 3; i++) await pacer.wait("cafe", "42");
    // Two at once (the burst, not twenty), then half a second.
    expect(time.at() - start).toBe(500);
  });

  it("holds all of a bot's chats to the bot's rate, and keeps bots apart", async () => {
    const time = fakeTime();
    const pacer = new Pacer({ ...time.options, perBot: { perSecond: 10, burst: 5 }, perChat: { perSecond: 0, burst: 0 } });
    const times: number[] = [];
    for (let chat = 0; chat < 8; chat++) {
      await pacer.wait("cafe", String(chat));
      times.push(time.at());
    }
    expect(times).toEqual([0, 0, 0, 0, 0, 100, 200, 300]);
    await pacer.wait("salon", "1");
    expect(time.at()).toBe(300);
  });

  it("waits for whichever of the bot's and the chat's buckets is later", async () => {
    const time = fakeTime();
    const pacer = new Pacer({ ...time.options, perBot: { perSecond: 4, burst: 1 }, perChat: { perSecond: 1, burst: 1 } });
    await pacer.wait("cafe", "1");
    await pacer.wait("cafe", "2");
    expect(time.at()).toBe(250);
    await pacer.wait("cafe", "1");
    expect(time.at()).toBe(1000);
  });

  it("keeps both rates when sends wait at once: no window holds more than the burst plus the rate", async () => {
    let now = 0;
    const timers: Array<{ at: number; wake: () => void }> = [];
    const pacer = new Pacer({
      now: () => now,
      sleep: (ms) => new Promise<void>((resolve) => timers.push({ at: now + ms, wake: resolve })),
      perBot: { perSecond: 5, burst: 2 },
      perChat: { perSecond: 0, burst: 0 },
    });
    const sent: number[] = [];
    const all = Promise.all(Array.from({ length: 7 }, (_, i) => pacer.wait("cafe", String(i)).then(() => sent.push(now))));
    // Runs the timers in time order until every send went.
    while (sent.length < 7) {
      await new Promise((resolve) => setImmediate(resolve));
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (!next) continue;
      now = Math.max(now, next.at);
      next.wake();
    }
    await all;
    expect(sent).toEqual([0, 0, 200, 400, 600, 800, 1000]);
  });

  it("stops waiting when the signal aborts, counting nothing", async () => {
    const time = fakeTime();
    const pacer = new Pacer({ ...time.options, perBot: { perSecond: 0, burst: 0 }, perChat: { perSecond: 1, burst: 1 } });
    await pacer.wait("cafe", "42");
    const controller = new AbortController();
    controller.abort(new Error("closing"));
    await expect(pacer.wait("cafe", "42", controller.signal)).rejects.toThrow("closing");
    expect(time.sleeps).toEqual([]);
    await pacer.wait("cafe", "42");
    expect(time.at()).toBe(1000);
  });

  it("aborts a real wait in progress", async () => {
    const pacer = new Pacer({ perBot: { perSecond: 0, burst: 0 }, perChat: { perSecond: 0.001, burst: 1 } });
    await pacer.wait("cafe", "42");
    const controller = new AbortController();
    const waiting = pacer.wait("cafe", "42", controller.signal);
    setTimeout(() => controller.abort(), 10);
    const started = Date.now();
    await expect(waiting).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("holds a group to 20 messages a minute", async () => {
    const time = fakeTime();
    const pacer = new Pacer({ ...time.options, perBot: { perSecond: 0, burst: 0 }, perChat: { perSecond: 0, burst: 0 } });
    const times: number[] = [];
    for (let i = 0; i < 25; i++) {
      await pacer.wait("cafe", "-1001234567890");
      times.push(time.at());
    }
    expect(times.slice(0, 3)).toEqual([0, 0, 0]);
    // No 21 sends within a minute.
    for (let i = 0; i + 20 < times.length; i++) expect((times[i + 20] ?? 0) - (times[i] ?? 0)).toBeGreaterThan(60_000);
    // And no slower than that: the 20th goes at the minute (a few ms of rounding up to whole ms).
    expect(times[19]).toBeGreaterThanOrEqual(60_000);
    expect(times[19]).toBeLessThan(60_020);
    // A private chat with per-chat pacing off is not held.
    await pacer.wait("cafe", "42");
    expect(time.at()).toBe(times.at(-1));
  });

  it("never waits with every rate off", async () => {
    const time = fakeTime();
    const pacer = new Pacer({ ...time.options, perBot: { perSecond: 0, burst: 0 }, perChat: { perSecond: 0, burst: 0 }, perGroup: { perSecond: 0, burst: 0 } });
    for (let i = 0; i < 100; i++) await pacer.wait("cafe", "42");
    expect(time.sleeps).toEqual([]);
    expect(pacer.enabled).toBe(false);
  });
});
