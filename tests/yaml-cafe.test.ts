import { describe, expect, it } from "vitest";
import yamlCafe from "./fixtures/yaml-cafe/index.ts";
import { last, textsOf, useHarness } from "./helpers.ts";

describe("the cafe with its order flow written in YAML", () => {
  const harness = useHarness();

  it("takes an order for two medium lattes to an invoice of €6.40, and is paid", async () => {
    const emulator = await harness.open({ bot: yamlCafe });
    const alice = emulator.customer("alice");

    expect(textsOf(await alice.send("/start"))).toEqual(["Welcome to Café Lumière! ☕", "What would you like? Pick a category, or just type what you want."]);
    expect(textsOf(await alice.send("Latte"))).toEqual(["How many Latte? (1–10)"]);
    expect(textsOf(await alice.send("2"))).toEqual(["Which size for your Latte?"]);
    expect(textsOf(await alice.press("M"))).toEqual(["Added 2 × Latte (M) — €6.40. Cart total: €6.40.", "Anything else?"]);
    expect(textsOf(await alice.send("no"))).toEqual(["Your order:\n1. 2 × Latte (M) — €6.40\nTotal: €6.40"]);

    const placed = await alice.send("yes");
    expect(last(placed).invoice).toEqual({ order: "1", title: "Café Lumière order #1", amount: 640, currency: "EUR" });
    expect(textsOf(await alice.pay("succeed")).at(-1)).toBe("Enjoy! Send anything to order again.");
    expect((await emulator.orders()).map((o) => [o.botId, o.status, o.total, o.currency])).toEqual([["yaml-cafe", "paid", 640, "EUR"]]);
  });
});
