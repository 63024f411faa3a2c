import { and, asc, count, desc, eq, gt, gte, lt } from "drizzle-orm";
import type { Booking, Order } from "../../commerce/index.ts";
import type { AdminChange, BookingsQuery, FlowVersionInUse, RecentOrdersQuery } from "../ports/admin-reads.ts";
import type { Db } from "./queries.ts";
import { rowId, toBooking, toOrder } from "./rows.ts";
import * as schema from "./schema.ts";

/** The admin API's reads: orders by time, bookings by day, stock, flow versions in use. */

export function recentOrders(db: Db, query: RecentOrdersQuery): Order[] {
  const o = schema.orders;
  return db
    .select()
    .from(o)
    .where(
      and(
        eq(o.botId, query.botId),
        query.status === undefined ? undefined : eq(o.status, query.status),
        query.channel === undefined ? undefined : eq(o.channel, query.channel),
        query.from === undefined ? undefined : gte(o.createdAt, query.from),
        query.to === undefined ? undefined : lt(o.createdAt, query.to),
      ),
    )
    .orderBy(desc(o.createdAt), desc(o.id))
    .limit(query.limit)
    .all()
    .map(toOrder);
}

export function bookingsBetween(db: Db, query: BookingsQuery): Booking[] {
  const b = schema.bookings;
  return db
    .select()
    .from(b)
    .where(
      and(
        eq(b.botId, query.botId),
        query.resourceId === undefined ? undefined : eq(b.resourceId, query.resourceId),
        query.status === undefined ? undefined : eq(b.status, query.status),
        // Overlapping [from, to): starts before `to`, ends after `from`.
        query.to === undefined ? undefined : lt(b.start, query.to),
        query.from === undefined ? undefined : gt(b.end, query.from),
      ),
    )
    .orderBy(asc(b.start), asc(b.id))
    .all()
    .map(toBooking);
}

export function stockLevels(db: Db, botId: string): Array<{ productId: string; units: number }> {
  const s = schema.stock;
  return db.select({ productId: s.productId, units: s.units }).from(s).where(eq(s.botId, botId)).orderBy(asc(s.productId)).all();
}

export function flowVersionsInUse(db: Db, botId: string): FlowVersionInUse[] {
  const c = schema.conversations;
  return db
    .select({ flowId: c.flowId, key: c.flowVersion, conversations: count() })
    .from(c)
    .where(eq(c.botId, botId))
    .groupBy(c.flowId, c.flowVersion)
    .orderBy(asc(c.flowId), asc(c.flowVersion))
    .all();
}

export function orderOf(db: Db, botId: string, id: string): Order | undefined {
  if (!/^[1-9]\d{0,15}$/.test(id)) return undefined;
  const o = schema.orders;
  const row = db.select().from(o).where(and(eq(o.id, rowId(id)), eq(o.botId, botId))).get();
  return row && toOrder(row);
}

/** Sets the units left and records the change; call inside a transaction. Returns the units before (null: not tracked). */
export function setStockLevel(db: Db, change: { botId: string; productId: string; units: number; keyId: number; at: Date }): number | null {
  const s = schema.stock;
  const before = db.select({ units: s.units }).from(s).where(and(eq(s.botId, change.botId), eq(s.productId, change.productId))).get()?.units ?? null;
  db.insert(s)
    .values({ botId: change.botId, productId: change.productId, units: change.units })
    .onConflictDoUpdate({ target: [s.botId, s.productId], set: { units: change.units } })
    .run();
  db.insert(schema.adminChanges)
    .values({ botId: change.botId, keyId: change.keyId, subject: "stock", target: change.productId, before, after: change.units, at: change.at })
    .run();
  return before;
}

export function adminChanges(db: Db, botId: string, limit: number): AdminChange[] {
  const c = schema.adminChanges;
  return db
    .select()
    .from(c)
    .where(eq(c.botId, botId))
    .orderBy(desc(c.id))
    .limit(limit)
    .all()
    .map((r) => ({ botId: r.botId, keyId: r.keyId, subject: r.subject, target: r.target, before: r.before, after: r.after, at: r.at }));
}
