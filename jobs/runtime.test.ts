import { describe, expect, it } from "vitest";
import { placeCroissantOrder, textsOf, useHarness } from "../tests/helpers.ts";

describe("Runtime.stop", () => {
  const harness = useHarness();

  it("fires no timer once a shutdown began; the timer stays due and fires at the next start", async () => {
    const first = await harness.open();
    await placeCroissantOrder(first.customer("bob"), 2);
    first.runtime.stop();
    // The unpaid order's 15-minute expiry comes due during the shutdown: it must not fire now.
    await first.advance("PT16M");
    expect((await first.orders())[0]?.status).toBe("awaiting_payment");
    expect(await first.runtime.close()).toEqual({ unsent: 0 });

    const second = await harness.open({ clock: new Date(first.clock.now().getTime()) });
    expect((await second.orders())[0]?.status).toBe("expired");
    expect(textsOf(second.customer("bob").inbox)).toEqual(["Order #1 expired unpaid, and its items were released. Type menu to order again."]);
  });
});
