import { describe, expect, it } from "vitest";
import { ChannelSendError } from "../core/index.ts";
import type { RefundRow, Store } from "../store/index.ts";
import { useSqliteStore } from "../tests/helpers.ts";
import { ManualClock } from "./clock.ts";
import { RefundRunner, type Refunder, type RefundOutcome } from "./refunds.ts";

const T0 = new Date("2025-03-01T09:00:00.000Z");

/** Answers each refund call with the next scripted outcome (an error is thrown); records what it was asked. */
class ScriptedRefunder implements Refunder {
  readonly asked: string[] = [];
  constructor(
    readonly provider: string,
    readonly script: Array<RefundOutcome | Error>,
  ) {}
  async refund(refund: RefundRow): Promise<RefundOutcome> {
    this.asked.push(refund.paymentReference);
    const next = this.script.shift() ?? { status: "refunded" };
    if (next instanceof Error) throw next;
    return next;
  }
}

describe("RefundRunner over SQLite", () => {
  let store: Store;
  useSqliteStore((opened) => (store = opened));
  const clock = new ManualClock(T0);

  const owe = (provider: string, paymentReference: string) =>
    store.transaction((tx) =>
      tx.recordRefund({ botId: "b", channel: "telegram", userId: "42", orderId: "1", provider, paymentReference, amount: 750, currency: "XTR", reason: "test", at: clock.now() }),
    );
  const statuses = async () => (await store.listRefunds({})).map((r) => [r.paymentReference, r.status, r.attempts]);

  it("asks the provider once per refund, waits out an outage with backoff, and never asks again once done", async () => {
    const telegram = new ScriptedRefunder("telegram", [new ChannelSendError("unavailable", "telegram: 502"), { status: "refunded", note: "done" }]);
    const runner = new RefundRunner({ store, clock, refunders: [telegram], backoffMs: () => 60_000 });
    await owe("telegram", "stx1");
    expect(await runner.runDue()).toBe(0);
    expect(await statuses()).toEqual([["stx1", "pending", 1]]);
    // Not due again until the backoff has passed.
    expect(await runner.runDue()).toBe(0);
    expect(telegram.asked).toEqual(["stx1"]);
    clock.advance(60_000);
    expect(await runner.runDue()).toBe(1);
    await runner.runDue();
    expect(telegram.asked).toEqual(["stx1", "stx1"]);
    expect(await statuses()).toEqual([["stx1", "refunded", 2]]);
  });

  it("starts no refund once stopped (a shutdown): the one under way finishes, the next stays pending for the next start", async () => {
    let shutdown = () => {};
    const asked: string[] = [];
    const telegram: Refunder = {
      provider: "telegram",
      async refund(refund) {
        asked.push(refund.paymentReference);
        // The shutdown begins while the first refund call is under way.
        shutdown();
        return { status: "refunded" };
      },
    };
    const runner = new RefundRunner({ store, clock, refunders: [telegram] });
    shutdown = () => runner.stop();
    await owe("telegram", "stx1");
    await owe("telegram", "stx2");
    expect(await runner.runDue()).toBe(1);
    expect(await runner.runDue()).toBe(0);
    expect(asked).toEqual(["stx1"]);
    expect(await statuses()).toEqual([
      ["stx1", "refunded", 1],
      ["stx2", "pending", 0],
    ]);
    expect(await new RefundRunner({ store, clock, refunders: [telegram] }).runDue()).toBe(1);
    expect(await statuses()).toEqual([
      ["stx1", "refunded", 1],
      ["stx2", "refunded", 1],
    ]);
  });

  it("marks a refund the provider refuses for good as failed, and one with no refund call as manual", async () => {
    const failures: string[] = [];
    const telegram = new ScriptedRefunder("telegram", [new ChannelSendError("rejected", "telegram: 400 CHARGE_NOT_FOUND")]);
    const runner = new RefundRunner({ store, clock, refunders: [telegram], onSettled: (r, status, note) => failures.push(`${r.paymentReference} ${status} ${note}`) });
    await owe("telegram", "stxGone");
    await owe("checkout", "evt_1");
    expect(await runner.runDue()).toBe(2);
    expect(await statuses()).toEqual([
      ["stxGone", "failed", 1],
      ["evt_1", "manual", 1],
    ]);
    expect(failures).toEqual(["stxGone failed telegram: 400 CHARGE_NOT_FOUND", "evt_1 manual no refund call for provider 'checkout'; refund payment evt_1 by hand"]);
  });

  it("gives up after its attempts and keeps the last error", async () => {
    const outage = () => new Error("connect ECONNREFUSED");
    const telegram = new ScriptedRefunder("telegram", [outage(), outage(), outage()]);
    const runner = new RefundRunner({ store, clock, refunders: [telegram], maxAttempts: 3, backoffMs: () => 0 });
    await owe("telegram", "stx3");
    for (let i = 0; i < 5; i++) await runner.runDue();
    expect(telegram.asked).toHaveLength(3);
    const [refund] = await store.listRefunds({});
    expect(refund).toMatchObject({ status: "failed", attempts: 3, lastError: "connect ECONNREFUSED" });
  });
});
