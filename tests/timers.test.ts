import { describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import { defineBot, englishTexts } from "../flows/index.ts";
import { CROISSANT_STOCK, placeCroissantOrder, useHarness } from "./helpers.ts";

describe("timers", () => {
  const harness = useHarness();

  it("rolls back a timer turn that fails, reports it once per tick, and fires it again on the next tick", async () => {
    let broken = true;
    let runs = 0;
    const bot = defineBot({
      ...cafe.definition,
      texts: {
        orderExpired: (order) => {
          runs += 1;
          if (broken) throw new Error("the translation service is down");
          return englishTexts.orderExpired(order);
        },
      },
    });
    const errors: Array<{ error: unknown; context: string }> = [];
    const emulator = await harness.open({ bot, onError: (error, context) => errors.push({ error, context }) });
    await placeCroissantOrder(emulator.customer("ann"), 2);

    expect(await emulator.advance("PT16M")).toEqual([]);
    expect(runs).toBe(1);
    expect(errors.map((e) => e.context)).toEqual(["turn timer:1 of cafe/emulator/ann"]);
    expect((errors[0]?.error as Error).message).toContain("the translation service is down");
    // Rolled back: the order still waits for payment and holds its stock.
    expect((await emulator.orders())[0]?.status).toBe("awaiting_payment");
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK - 2);

    broken = false;
    const fired = await emulator.advance("PT1M");
    expect(runs).toBe(2);
    expect(fired.map((e) => e.message.text)).toEqual(["Order #1 expired unpaid, and its items were released. Type menu to order again."]);
    expect((await emulator.orders())[0]?.status).toBe("expired");
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK);
    expect(errors).toHaveLength(1);
  });
});
