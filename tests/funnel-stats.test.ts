import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { Emulator } from "../adapters/emulator/emulator.ts";
import { statsCommand } from "../cli/stats.ts";
import { computeFunnel, type FunnelReport } from "../flows/index.ts";
import { captureStdio, say, useHarness } from "./helpers.ts";

/** A customer of the cafe on another channel than the emulator's, typing what buttons would say. */
function onChannel(emulator: Emulator, channel: string, userId: string) {
  const handle = (input: Parameters<Emulator["deliver"]>[0]["input"], key = `${channel}:${randomUUID()}`) =>
    emulator.runtime.handle({ botId: emulator.bot.id, channel, userId, key, input });
  return {
    async send(...texts: string[]) {
      for (const text of texts) expect((await handle({ kind: "text", text })).status).toBe("handled");
    },
    async pay() {
      const [order] = await emulator.store.listOrders({ botId: emulator.bot.id, channel, userId, status: "awaiting_payment" });
      if (!order) throw new Error(`${channel}:${userId} has no open invoice`);
      const report = emulator.payments.charge(order, "succeed");
      expect((await handle({ kind: "payment", report }, `payment:${report.provider}:${report.reference}`)).status).toBe("handled");
    },
  };
}

const STEPS = ["greet", "menu", "quantity", "options", "add", "more", "review", "counter", "checkout", "pay", "done"];

/** Reached and stopped per step of the main flow, as [step, reached, stopped]. */
const stepsOf = (funnel: Pick<FunnelReport, "flows">) => funnel.flows[0]?.steps.map((s) => [s.step, s.reached, s.stopped]);

describe("funnel: kiosk stats on a scripted day of cafe conversations", () => {
  const harness = useHarness();

  /**
   * Day 1 (2025-03-01): 10 customers. On the emulator: 3 stop at the menu, 2
   * at the quantity, 1 places an order and never pays, 1 pays 2 lattes
   * (€6.40). On Telegram: 1 places an order and never pays, 2 pay 2
   * croissants each (€3.60). Day 2: a new customer stops at the menu; the
   * latte customer comes back and pays a croissant (€1.80).
   */
  async function scriptedDays(): Promise<Emulator> {
    const emulator = await harness.open();
    for (const name of ["mia", "max", "moe"]) await emulator.customer(name).send("/start");
    for (const name of ["quin", "quil"]) await say(emulator.customer(name), "/start", "latte");
    const una = emulator.customer("una");
    await say(una, "/start", "croissant", "2", "no");
    await una.press("Place order");
    const pat = emulator.customer("pat");
    await say(pat, "/start", "latte", "2");
    await pat.press("M");
    await pat.press("No");
    await pat.press("Place order");
    await pat.pay("succeed");
    const ulf = onChannel(emulator, "telegram", "101");
    await ulf.send("/start", "croissant", "2", "no", "Place order");
    for (const id of ["102", "103"]) {
      const payer = onChannel(emulator, "telegram", id);
      await payer.send("/start", "croissant", "2", "no", "Place order");
      await payer.pay();
    }
    // Day 2: the unpaid orders expire as the clock moves (their customers stay stopped at pay, on day 1).
    await emulator.advance("P1D");
    await emulator.customer("mona").send("/start");
    await say(pat, "hi", "croissant", "1", "no");
    await pat.press("Place order");
    await pat.pay("succeed");
    return emulator;
  }

  it("counts reached, stopped, paid, revenue and average basket, in all, by channel and by day", async () => {
    const emulator = await scriptedDays();
    const flows = [{ id: "order", steps: STEPS, ends: ["done"] }];
    const later = new Date(emulator.clock.now().getTime() + 3_600_000);
    const report = computeFunnel(await emulator.store.funnelData({ botId: "cafe" }), { flows, now: later, idleMs: 30 * 60_000 });

    expect(report).toMatchObject({ conversations: 11, paid: 3, conversion: 0.2727 });
    // 11 came in (10 on day 1, 1 new on day 2); 4 stopped at the menu, 2 at the quantity, 2 at pay (their orders expired unpaid).
    expect(stepsOf(report)).toEqual([
      ["greet", 11, 0],
      ["menu", 11, 4],
      ["quantity", 7, 2],
      ["options", 5, 0],
      ["add", 5, 0],
      ["more", 5, 0],
      ["review", 5, 0],
      ["counter", 5, 0],
      ["checkout", 5, 0],
      ["pay", 5, 2],
      ["done", 3, 0],
    ]);
    // 2 lattes €6.40 + 2 × 2 croissants €3.60 + 1 croissant €1.80 = €15.40 over 4 orders.
    expect(report.revenue).toEqual([{ currency: "EUR", orders: 4, revenue: 1540, averageBasket: 385, refundedOrders: 0, refunded: 0 }]);

    expect(report.byChannel.map((c) => [c.channel, c.conversations, c.paid, c.conversion, c.revenue[0]?.revenue, c.revenue[0]?.averageBasket])).toEqual([
      ["emulator", 8, 1, 0.125, 820, 410],
      ["telegram", 3, 2, 0.6667, 720, 360],
    ]);
    const telegram = report.byChannel.find((c) => c.channel === "telegram");
    expect(stepsOf(telegram ?? report)?.filter(([, , stopped]) => stopped !== 0)).toEqual([["pay", 3, 1]]);

    expect(report.byDay.map((d) => [d.day, d.conversations, d.paid, d.conversion, d.revenue[0]?.orders, d.revenue[0]?.revenue, d.revenue[0]?.averageBasket])).toEqual([
      ["2025-03-01", 10, 3, 0.3, 3, 1360, 453],
      ["2025-03-02", 2, 1, 0.5, 1, 180, 180],
    ]);
    const [day1, day2] = report.byDay;
    expect(stepsOf(day1 ?? report)?.map(([step, , stopped]) => [step, stopped]).filter(([, n]) => n !== 0)).toEqual([
      ["menu", 3],
      ["quantity", 2],
      ["pay", 2],
    ]);
    // Day 2: the returning customer counts again that day (greet to done); the new one stopped at the menu.
    expect(stepsOf(day2 ?? report)).toEqual(STEPS.map((step) => [step, step === "greet" || step === "menu" ? 2 : 1, step === "menu" ? 1 : 0]));

    // Not idle long enough yet: the customer who just arrived at the menu has not stopped there.
    const now = computeFunnel(await emulator.store.funnelData({ botId: "cafe" }), { flows, now: emulator.clock.now(), idleMs: 30 * 60_000 });
    expect(stepsOf(now)?.find(([step]) => step === "menu")).toEqual(["menu", 11, 3]);

    // From day 2 on: only what happened then.
    const since = computeFunnel(await emulator.store.funnelData({ botId: "cafe", since: new Date("2025-03-02T00:00:00Z") }), { flows, now: later, idleMs: 30 * 60_000 });
    expect(since).toMatchObject({ conversations: 2, paid: 1, conversion: 0.5, revenue: [{ currency: "EUR", orders: 1, revenue: 180, averageBasket: 180 }] });
    expect(since.byDay.map((d) => d.day)).toEqual(["2025-03-02"]);
  });

  it("a step entered again the same day counts once; again the next day, once more that day", async () => {
    const emulator = await harness.open();
    const ana = emulator.customer("ana");
    await say(ana, "/start", "menu", "menu");
    await emulator.advance("P1D");
    await ana.send("menu");
    const report = computeFunnel(await emulator.store.funnelData({ botId: "cafe" }), { flows: [{ id: "order", steps: STEPS }], now: emulator.clock.now(), idleMs: 0 });
    expect(stepsOf(report)?.slice(0, 2)).toEqual([
      ["greet", 1, 0],
      ["menu", 1, 1],
    ]);
    expect(report.byDay.map((d) => [d.day, stepsOf(d)?.[1]])).toEqual([
      ["2025-03-01", ["menu", 1, 0]],
      ["2025-03-02", ["menu", 1, 1]],
    ]);
  });

  it("a customer's export lists the steps they reached; erasing them keeps the funnel's numbers under the pseudonym", async () => {
    const emulator = await harness.open();
    await say(emulator.customer("ana"), "/start", "latte");
    const address = { botId: "cafe", channel: "emulator", userId: "ana" };
    expect((await emulator.store.customerRecord(address)).stepVisits.map((v) => [v.flowId, v.stepId, v.day])).toEqual([
      ["order", "greet", "2025-03-01"],
      ["order", "menu", "2025-03-01"],
      ["order", "quantity", "2025-03-01"],
    ]);
    const options = { flows: [{ id: "order", steps: STEPS }], now: emulator.clock.now(), idleMs: 0 };
    const before = computeFunnel(await emulator.store.funnelData({ botId: "cafe" }), options);
    expect((await emulator.store.eraseCustomer(address, emulator.clock.now())).stepVisits).toBe(3);
    expect((await emulator.store.customerRecord(address)).stepVisits).toEqual([]);
    const after = computeFunnel(await emulator.store.funnelData({ botId: "cafe" }), options);
    expect(stepsOf(after)).toEqual(stepsOf(before));
    expect(stepsOf(after)?.slice(0, 3)).toEqual([
      ["greet", 1, 0],
      ["menu", 1, 0],
      ["quantity", 1, 1],
    ]);
  });

  it("kiosk stats prints the funnel as a table, and as JSON with --json; --since limits it", async () => {
    const emulator = await scriptedDays();
    await emulator.close();

    const json = captureStdio();
    expect(await statsCommand(["bots/cafe", "--db", harness.db, "--json"])).toBe(0);
    const report = JSON.parse(json.out());
    vi.restoreAllMocks();
    expect(report).toMatchObject({ bot: "cafe", since: null, idle: "PT30M", conversations: 11, paid: 3, conversion: 0.2727 });
    expect(report.flows[0].steps.map((s: { step: string; reached: number; stopped: number }) => [s.step, s.reached, s.stopped])).toEqual([
      ["greet", 11, 0],
      ["menu", 11, 4],
      ["quantity", 7, 2],
      ["options", 5, 0],
      ["add", 5, 0],
      ["more", 5, 0],
      ["review", 5, 0],
      ["counter", 5, 0],
      ["checkout", 5, 0],
      ["pay", 5, 2],
      ["done", 3, 0],
    ]);
    expect(report.byChannel.map((c: { channel: string; paid: number }) => [c.channel, c.paid])).toEqual([
      ["emulator", 1],
      ["telegram", 2],
    ]);

    const text = captureStdio();
    expect(await statsCommand(["bots/cafe", "--db", harness.db])).toBe(0);
    const out = text.out();
    vi.restoreAllMocks();
    expect(out).toContain("conversations 11, paid 3, conversion 27.3%\n");
    expect(out).toContain("revenue €15.40 (4 orders, average €3.85)\n");
    expect(out).toMatch(/^menu +11 +4 +100\.0%$/m);
    expect(out).toMatch(/^pay +5 +2 +45\.5%$/m);
    expect(out).toMatch(/^telegram +3 +2 +66\.7% {2}€7\.20 \(2 orders, average €3\.60\)$/m);
    expect(out).toMatch(/^2025-03-02 +2 +1 +50\.0% {2}€1\.80 \(1 order, average €1\.80\)$/m);

    const since = captureStdio();
    expect(await statsCommand(["cafe", "--db", harness.db, "--json", "--since", "2025-03-02"])).toBe(0);
    expect(JSON.parse(since.out())).toMatchObject({ bot: "cafe", since: "2025-03-02T00:00:00.000Z", conversations: 2, paid: 1 });
    vi.restoreAllMocks();

    const bad = captureStdio();
    expect(await statsCommand(["bots/cafe", "--db", harness.db, "--since", "yesterday"])).toBe(2);
    expect(bad.err()).toBe("kiosk stats: --since 'yesterday' is not an ISO date or instant (e.g. 2026-11-24 or 2026-11-24T09:00:00Z)\n");
  });
});
