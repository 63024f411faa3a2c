import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChannelSender, Envelope } from "../core/index.ts";
import cafe from "../bots/cafe/index.ts";
import { defineBot, englishTexts } from "../flows/index.ts";
import { ManualClock } from "../jobs/index.ts";
import { Runtime } from "../jobs/runtime.ts";
import { openSqliteStore } from "../store/index.ts";
import { CROISSANT_STOCK, T0, placeCroissantOrder, textsOf, useHarness } from "./helpers.ts";

describe("faults", () => {
  const harness = useHarness();
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps a payment report whose turn failed, so the provider's retry still pays the order", async () => {
    let broken = true;
    const bot = defineBot({
      ...cafe.definition,
      texts: {
        receipt: (order, lines, total) => {
          if (broken) throw new Error("receipt printer jammed");
          return englishTexts.receipt(order, lines, total);
        },
      },
    });
    const emulator = await harness.open({ bot, onError: () => {} });
    const fay = emulator.customer("fay");
    await placeCroissantOrder(fay, 1);
    const report = { provider: "test", reference: "ch_1", orderId: "1", outcome: "succeeded", amount: 180, currency: "EUR" } as const;
    const delivery = { key: "payment:test:ch_1", userId: "fay", input: { kind: "payment", report } } as const;

    const failed = await emulator.deliver(delivery);
    expect(failed.status).toBe("failed");
    expect((await emulator.orders())[0]?.status).toBe("awaiting_payment");
    // No apology for a platform event: the customer did nothing wrong and hears nothing yet.
    expect(textsOf(fay.inbox).some((t) => t.startsWith("Sorry, something went wrong"))).toBe(false);

    broken = false;
    const retried = await emulator.collect(() => emulator.deliver(delivery));
    expect((await emulator.orders())[0]?.status).toBe("paid");
    expect(textsOf(retried.map((e) => e.message))[0]).toMatch(/^Paid, thank you! Receipt for order #1:/);
  });

  it("fires due timers from the runtime's poller on real time, without anyone calling tick", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const clock = new ManualClock(T0);
    const delivered: Envelope[] = [];
    const sender: ChannelSender = {
      channel: "emulator",
      send: async (envelope) => {
        delivered.push(envelope);
      },
    };
    const runtime = new Runtime({ store: openSqliteStore({ file: harness.db }), clock, bots: [cafe], senders: [sender], pollIntervalMs: 1000 });
    harness.defer(() => runtime.close());
    await runtime.start();
    for (const [i, text] of ["/start", "croissant", "2", "no", "checkout"].entries()) {
      await runtime.handle({ key: `t${i}`, botId: "cafe", channel: "emulator", userId: "gus", input: { kind: "text", text } });
    }
    expect(delivered.at(-1)?.message.invoice).toMatchObject({ order: "1", amount: 360 });

    clock.advance(16 * 60_000);
    expect(delivered.at(-1)?.message.text).not.toMatch(/expired/);
    await vi.advanceTimersByTimeAsync(1000);
    // The tick the interval started is asynchronous store work; wait for its message.
    await vi.waitFor(() => expect(delivered.at(-1)?.message.text).toBe(englishTexts.orderExpired("1")));
    const { orders, croissants } = await readBack(harness.db);
    expect(orders.map((o) => o.status)).toEqual(["expired"]);
    expect(croissants).toBe(CROISSANT_STOCK);
  });
});

/** Reads the file through a second connection, as another process would. */
async function readBack(file: string) {
  const store = openSqliteStore({ file });
  try {
    return {
      orders: await store.listOrders({}),
      croissants: await store.transaction((tx) => tx.stockLeft("cafe", "croissant")),
    };
  } finally {
    await store.close();
  }
}
