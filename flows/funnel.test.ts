import { describe, expect, it } from "vitest";
import type { FunnelData, PaidOrder, StepVisitRow } from "../store/index.ts";
import { computeFunnel } from "./funnel.ts";

const at = (time: string) => new Date(`2027-03-22T${time}Z`);
const visit = (userId: string, stepId: string, time: string, extra: Partial<StepVisitRow> = {}): StepVisitRow => ({
  channel: "telegram",
  userId,
  flowId: "order",
  stepId,
  day: "2027-03-22",
  lastAt: at(time),
  lastTurn: 1,
  lastEntry: 0,
  ...extra,
});
const order = (userId: string, status: PaidOrder["status"], total: number, currency = "EUR"): PaidOrder => ({ id: userId, channel: "telegram", userId, status, total, currency, paidAt: at("10:00:00") });
const flows = [
  { id: "order", steps: ["menu", "pay", "done"], ends: ["done"] },
  { id: "support", steps: ["ask"] },
];

describe("computeFunnel", () => {
  it("counts a refunded order as paid but not as revenue, per currency", () => {
    const data: FunnelData = {
      visits: [visit("a", "pay", "09:00:00"), visit("b", "pay", "09:00:00"), visit("c", "pay", "09:00:00")],
      conversations: [],
      paidOrders: [order("a", "collected", 500), order("b", "refunded", 300), order("c", "paid", 120, "XTR")],
    };
    const report = computeFunnel(data, { flows, now: at("12:00:00"), idleMs: 0 });
    expect(report).toMatchObject({ conversations: 3, paid: 3, conversion: 1 });
    expect(report.revenue).toEqual([
      { currency: "EUR", orders: 1, revenue: 500, averageBasket: 500, refundedOrders: 1, refunded: 300 },
      { currency: "XTR", orders: 1, revenue: 120, averageBasket: 120, refundedOrders: 0, refunded: 0 },
    ]);
    // Paid after entering pay: none of them stopped there.
    expect(report.flows[0]?.steps.find((s) => s.step === "pay")?.stopped).toBe(0);
  });

  it("stops a conversation at the step it entered last, never at an end step, and only once idle", () => {
    const data: FunnelData = {
      visits: [
        // Same turn: menu then pay; pay came last.
        visit("a", "menu", "09:00:00", { lastEntry: 0 }),
        visit("a", "pay", "09:00:00", { lastEntry: 1 }),
        // Same time, later turn: back at the menu.
        visit("b", "pay", "09:00:00", { lastTurn: 1 }),
        visit("b", "menu", "09:00:00", { lastTurn: 2 }),
        // Finished.
        visit("c", "done", "09:00:00"),
        // Still active.
        visit("d", "menu", "11:50:00"),
        // A step of an older version, and another flow.
        visit("e", "size", "09:00:00"),
        visit("f", "ask", "09:00:00", { flowId: "support" }),
      ],
      conversations: [{ channel: "telegram", userId: "d", flowId: "order", stepId: "menu", updatedAt: at("11:55:00") }],
      paidOrders: [],
    };
    const report = computeFunnel(data, { flows, now: at("12:00:00"), idleMs: 30 * 60_000 });
    expect(report.flows.map((f) => [f.flow, f.steps.map((s) => [s.step, s.reached, s.stopped])])).toEqual([
      [
        "order",
        [
          ["menu", 3, 1],
          ["pay", 2, 1],
          ["done", 1, 0],
          ["size", 1, 1],
        ],
      ],
      ["support", [["ask", 1, 1]]],
    ]);
    expect(report).toMatchObject({ conversations: 6, paid: 0, conversion: 0, revenue: [] });
  });

  it("is empty, not a division by zero, when nothing happened", () => {
    const report = computeFunnel({ visits: [], conversations: [], paidOrders: [] }, { flows, now: at("12:00:00"), idleMs: 0 });
    expect(report).toEqual({ conversations: 0, paid: 0, conversion: 0, flows: [{ flow: "order", steps: [["menu"], ["pay"], ["done"]].map(([step]) => ({ step, reached: 0, stopped: 0 })) }], revenue: [], byChannel: [], byDay: [] });
  });
});
