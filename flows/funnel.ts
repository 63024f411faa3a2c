/**
 * The funnel of a bot (`kiosk stats`): how many conversations reached each
 * step of its flows, how many stopped there, how many paid, the revenue and
 * the average basket; in all, by channel and by UTC day. A pure function of
 * what the store recorded (`Store.funnelData`), so it is tested without one.
 *
 * Definitions:
 * - A conversation is one customer of the bot on one channel.
 * - It **reached** a step when a turn entered that step (recorded once per
 *   conversation, step and UTC day). In all and by channel a conversation
 *   counts once per step however many days it came back; by day, once a day.
 * - It **started** when it reached any step in the period: the funnel's
 *   `conversations`.
 * - It **stopped** at a step when that is the step it entered last in the
 *   period, its last turn is at least `idleMs` old, and no order of it was
 *   paid after it entered that step. An `end` step is where a flow finishes,
 *   not where a customer stops, so it is never a stop; an unpaid order that
 *   expired leaves its customer stopped at the pay step. A conversation still
 *   active within `idleMs` is not counted yet. By day, it counts on the day
 *   of that last step.
 * - It **paid** when one of its orders was paid in the period (the order's
 *   first move to `paid`), whatever became of the order after: preparing,
 *   ready, collected, delivered, and refunded too (the customer did pay).
 *   By day, on the day it was paid. `conversion` = paid / started.
 * - **Revenue** is per currency, in minor units: the totals of the orders paid
 *   in the period that are not refunded now; `orders` counts them and the
 *   average basket is revenue / orders, rounded to the minor unit. Refunded
 *   orders are counted apart (`refundedOrders`, `refunded`).
 */
import type { FunnelData, PaidOrder, StepVisitRow } from "../store/index.ts";

export interface FunnelStep {
  readonly step: string;
  readonly reached: number;
  readonly stopped: number;
}

export interface FlowFunnel {
  readonly flow: string;
  readonly steps: readonly FunnelStep[];
}

export interface FunnelRevenue {
  readonly currency: string;
  /** Paid orders not refunded. */
  readonly orders: number;
  /** Their totals, in minor units. */
  readonly revenue: number;
  /** revenue / orders, rounded to the minor unit. */
  readonly averageBasket: number;
  readonly refundedOrders: number;
  /** The refunded orders' totals, in minor units. */
  readonly refunded: number;
}

export interface Funnel {
  /** Conversations that reached any step. */
  readonly conversations: number;
  /** Conversations with an order paid. */
  readonly paid: number;
  /** paid / conversations, 0 to 1 (4 decimals); 0 when there is no conversation. */
  readonly conversion: number;
  /** The main flow first, then every other flow reached. */
  readonly flows: readonly FlowFunnel[];
  /** By currency, in code order. */
  readonly revenue: readonly FunnelRevenue[];
}

export interface FunnelReport extends Funnel {
  readonly byChannel: ReadonlyArray<Funnel & { readonly channel: string }>;
  readonly byDay: ReadonlyArray<Funnel & { readonly day: string }>;
}

export interface FunnelOptions {
  /** The bot's flows with their steps in the order written, and their `end` steps; the main flow first. */
  readonly flows: ReadonlyArray<{ readonly id: string; readonly steps: readonly string[]; readonly ends?: readonly string[] }>;
  /** The instant the report is made at: a conversation idle since `now - idleMs` stopped. */
  readonly now: Date;
  readonly idleMs: number;
}

/** Computes the funnel from what the store recorded; see the definitions at the top of this file. */
export function computeFunnel(data: FunnelData, options: FunnelOptions): FunnelReport {
  const stopped = stops(data, options);
  const total = funnelOf(data.visits, stopped, data.paidOrders, options.flows);
  const channels = distinct([...data.visits.map((v) => v.channel), ...stopped.map((c) => c.channel), ...data.paidOrders.map((o) => o.channel)]);
  const byChannel = channels.map((channel) => ({
    channel,
    ...funnelOf(
      data.visits.filter((v) => v.channel === channel),
      stopped.filter((c) => c.channel === channel),
      data.paidOrders.filter((o) => o.channel === channel),
      options.flows,
    ),
  }));
  const dayOf = (at: Date) => at.toISOString().slice(0, 10);
  const days = distinct([...data.visits.map((v) => v.day), ...stopped.map((c) => c.day), ...data.paidOrders.map((o) => dayOf(o.paidAt))]);
  const byDay = days.map((day) => ({
    day,
    ...funnelOf(
      data.visits.filter((v) => v.day === day),
      stopped.filter((c) => c.day === day),
      data.paidOrders.filter((o) => dayOf(o.paidAt) === day),
      options.flows,
    ),
  }));
  return { ...total, byChannel, byDay };
}

/** Whether `a` was entered after `b`: by time, then by the conversation's turn, then by place in the turn. */
function later(a: StepVisitRow, b: StepVisitRow): boolean {
  const at = a.lastAt.getTime() - b.lastAt.getTime();
  if (at !== 0) return at > 0;
  return a.lastTurn !== b.lastTurn ? a.lastTurn > b.lastTurn : a.lastEntry > b.lastEntry;
}

const keyOf = (c: { readonly channel: string; readonly userId: string }) => `${c.channel}\u0000${c.userId}`;

/** Where each idle conversation stopped: the step it entered last, unless that finished its flow or it paid after. */
function stops(data: FunnelData, options: FunnelOptions): StepVisitRow[] {
  const cutoff = options.now.getTime() - options.idleMs;
  const ends = new Set(options.flows.flatMap((f) => (f.ends ?? []).map((step) => `${f.id}\u0000${step}`)));
  const lastTurn = new Map(data.conversations.map((c) => [keyOf(c), c.updatedAt.getTime()]));
  const lastStep = new Map<string, StepVisitRow>();
  for (const v of data.visits) {
    const k = keyOf(v);
    const seen = lastStep.get(k);
    if (!seen || later(v, seen)) lastStep.set(k, v);
  }
  const paidAt = new Map<string, number>();
  for (const o of data.paidOrders) paidAt.set(keyOf(o), Math.max(paidAt.get(keyOf(o)) ?? 0, o.paidAt.getTime()));
  return [...lastStep].flatMap(([k, v]) => {
    if ((lastTurn.get(k) ?? v.lastAt.getTime()) > cutoff) return [];
    if (ends.has(`${v.flowId}\u0000${v.stepId}`)) return [];
    if ((paidAt.get(k) ?? -1) >= v.lastAt.getTime()) return [];
    return [v];
  });
}

function funnelOf(
  visits: FunnelData["visits"],
  stopped: readonly StepVisitRow[],
  paidOrders: readonly PaidOrder[],
  flows: FunnelOptions["flows"],
): Funnel {
  const key = keyOf;
  const conversations = new Set(visits.map(key)).size;
  const paid = new Set(paidOrders.map(key)).size;
  // Flows and steps as written; a flow or step reached that is no longer written (an older version) comes after.
  const order = new Map(flows.map((f) => [f.id, [...f.steps]]));
  for (const v of visits) {
    const steps = order.get(v.flowId) ?? [];
    if (!order.has(v.flowId)) order.set(v.flowId, steps);
    if (!steps.includes(v.stepId)) steps.push(v.stepId);
  }
  const main = flows[0]?.id;
  const flowFunnels: FlowFunnel[] = [];
  for (const [flow, steps] of order) {
    const reachedFlow = visits.some((v) => v.flowId === flow);
    if (flow !== main && !reachedFlow) continue;
    flowFunnels.push({
      flow,
      steps: steps.map((step) => ({
        step,
        reached: new Set(visits.filter((v) => v.flowId === flow && v.stepId === step).map(key)).size,
        stopped: stopped.filter((c) => c.flowId === flow && c.stepId === step).length,
      })),
    });
  }
  const revenue = distinct(paidOrders.map((o) => o.currency)).map((currency) => {
    const inCurrency = paidOrders.filter((o) => o.currency === currency);
    const kept = inCurrency.filter((o) => o.status !== "refunded");
    const refunded = inCurrency.filter((o) => o.status === "refunded");
    const sum = kept.reduce((s, o) => s + o.total, 0);
    return {
      currency,
      orders: kept.length,
      revenue: sum,
      averageBasket: kept.length === 0 ? 0 : Math.round(sum / kept.length),
      refundedOrders: refunded.length,
      refunded: refunded.reduce((s, o) => s + o.total, 0),
    };
  });
  const conversion = conversations === 0 ? 0 : Math.round((paid / conversations) * 10_000) / 10_000;
  return { conversations, paid, conversion, flows: flowFunnels, revenue };
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
