import { and, eq, gte, min } from "drizzle-orm";
import type { OrderStatus } from "../../commerce/index.ts";
import type { FunnelData, StepVisit } from "../ports/step-visits.ts";
import type { Db, Queries } from "./queries.ts";
import * as schema from "./schema.ts";

/** The steps conversations entered, once per step per UTC day, and what the funnel reads. */

export function recordStepVisit(q: Queries, visit: StepVisit): void {
  const day = visit.at.toISOString().slice(0, 10);
  q.recordStepVisit.run({ botId: visit.botId, channel: visit.channel, userId: visit.userId, flowId: visit.flowId, stepId: visit.stepId, day, at: visit.at, turn: visit.turn, entry: visit.entry });
}

export function funnelData(db: Db, query: { botId: string; since?: Date }): FunnelData {
  const v = schema.stepVisits;
  const c = schema.conversations;
  const o = schema.orders;
  const t = schema.orderTransitions;
  const { since } = query;
  const visits = db
    .select({ channel: v.channel, userId: v.userId, flowId: v.flowId, stepId: v.stepId, day: v.day, lastAt: v.lastAt, lastTurn: v.lastTurn, lastEntry: v.lastEntry })
    .from(v)
    .where(and(eq(v.botId, query.botId), since === undefined ? undefined : gte(v.firstAt, since)))
    .all();
  const conversations = db
    .select({ channel: c.channel, userId: c.userId, flowId: c.flowId, stepId: c.stepId, updatedAt: c.updatedAt })
    .from(c)
    .where(eq(c.botId, query.botId))
    .all();
  // Paid once: the first transition to `paid`, whatever the order's status is now.
  const paidAt = min(t.at);
  const paidOrders = db
    .select({ id: o.id, channel: o.channel, userId: o.userId, status: o.status, total: o.total, currency: o.currency, paidAt })
    .from(o)
    .innerJoin(t, and(eq(t.orderId, o.id), eq(t.toStatus, "paid")))
    .where(eq(o.botId, query.botId))
    .groupBy(o.id)
    .all()
    .flatMap((r) => {
      if (r.paidAt === null) return [];
      const at = new Date(r.paidAt);
      if (since !== undefined && at < since) return [];
      return [{ id: String(r.id), channel: r.channel, userId: r.userId, status: r.status as OrderStatus, total: r.total, currency: r.currency, paidAt: at }];
    });
  return { visits, conversations, paidOrders };
}
