import { and, asc, eq, getTableColumns, gt, gte, inArray, isNotNull, isNull, lt, lte, ne, sql } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema.ts";

export type Db = BetterSQLite3Database<typeof schema>;

const p = sql.placeholder;

/**
 * Every statement a turn or the outbox runs, prepared once: building and
 * preparing SQL per call costs more than running it.
 *
 * Placeholders bound to a column (`eq(column, p(...))` in values) get the
 * column's encoder (Date → ms, object → JSON); placeholders inside raw `sql`
 * and comparisons do not, so callers pass ms there.
 */
export function prepareQueries(db: Db) {
  const c = schema.conversations;
  const s = schema.stock;
  const o = schema.outbox;
  const t = schema.timers;
  const orders = schema.orders;
  const b = schema.bookings;
  // Statuses that take a resource's time (commerce/booking/booking.ts `blocksSlot`).
  const blocking = inArray(b.status, ["held", "confirmed"]);
  // Half-open intervals overlap when each starts before the other ends, so end == start does not clash.
  const overlapsWindow = and(lt(b.start, sql`${p("end")}`), gt(b.end, sql`${p("start")}`));
  const byAddress = and(eq(c.botId, p("botId")), eq(c.channel, p("channel")), eq(c.userId, p("userId")));
  const stockKey = and(eq(s.botId, p("botId")), eq(s.productId, p("productId")));
  return {
    seeEvent: db.insert(schema.seenEvents).values({ key: p("key"), at: p("at") }).onConflictDoNothing().prepare(),
    loadConversation: db.select().from(c).where(byAddress).prepare(),
    insertConversation: db
      .insert(c)
      .values({
        botId: p("botId"),
        channel: p("channel"),
        userId: p("userId"),
        flowId: p("flowId"),
        flowVersion: p("flowVersion"),
        stepId: p("stepId"),
        locale: p("locale"),
        data: p("data"),
        version: p("version"),
        updatedAt: p("updatedAt"),
      })
      .onConflictDoNothing()
      .prepare(),
    updateConversation: db
      .update(c)
      .set({
        flowId: sql`${p("flowId")}`,
        flowVersion: sql`${p("flowVersion")}`,
        stepId: sql`${p("stepId")}`,
        locale: sql`${p("locale")}`,
        data: sql`${p("data")}`,
        updatedAt: sql`${p("updatedAt")}`,
        version: sql`${p("version")}`,
      })
      .where(and(byAddress, eq(c.version, p("expectedVersion"))))
      .prepare(),
    stockLeft: db.select({ units: s.units }).from(s).where(stockKey).prepare(),
    takeStock: db
      .update(s)
      .set({ units: sql`${s.units} - ${p("quantity")}` })
      .where(and(stockKey, sql`${s.units} >= ${p("quantity")}`))
      .prepare(),
    returnStock: db
      .update(s)
      .set({ units: sql`${s.units} + ${p("quantity")}` })
      .where(stockKey)
      .prepare(),
    insertOrder: db
      .insert(orders)
      .values({
        botId: p("botId"),
        channel: p("channel"),
        userId: p("userId"),
        status: p("status"),
        items: p("items"),
        total: p("total"),
        currency: p("currency"),
        createdAt: p("at"),
        updatedAt: p("at"),
      })
      .returning()
      .prepare(),
    getOrder: db.select().from(orders).where(eq(orders.id, p("id"))).prepare(),
    moveOrder: db
      .update(orders)
      .set({ status: sql`${p("to")}`, updatedAt: sql`${p("at")}` })
      .where(and(eq(orders.id, p("id")), eq(orders.status, p("from"))))
      .prepare(),
    // One row per conversation, step and day (the funnel counts a conversation once there); entering it again moves only what came last.
    recordStepVisit: db
      .insert(schema.stepVisits)
      .values({ botId: p("botId"), channel: p("channel"), userId: p("userId"), flowId: p("flowId"), stepId: p("stepId"), day: p("day"), firstAt: p("at"), lastAt: p("at"), lastTurn: p("turn"), lastEntry: p("entry") })
      .onConflictDoUpdate({
        target: [schema.stepVisits.botId, schema.stepVisits.channel, schema.stepVisits.userId, schema.stepVisits.flowId, schema.stepVisits.stepId, schema.stepVisits.day],
        set: { lastAt: sql`excluded.last_at`, lastTurn: sql`excluded.last_turn`, lastEntry: sql`excluded.last_entry` },
        // Only forward: a turn's time never goes back, but a clock set back (the emulator's) must not reorder what came last.
        setWhere: sql`excluded.last_at >= ${schema.stepVisits.lastAt}`,
      })
      .prepare(),
    recordTransition: db
      .insert(schema.orderTransitions)
      .values({ orderId: p("orderId"), fromStatus: p("from"), toStatus: p("to"), cause: p("cause"), at: p("at") })
      .prepare(),
    bookingClash: db
      .select({ id: b.id })
      .from(b)
      .where(and(eq(b.botId, p("botId")), eq(b.resourceId, p("resourceId")), blocking, overlapsWindow))
      .limit(1)
      .prepare(),
    insertBooking: db
      .insert(b)
      .values({
        botId: p("botId"),
        channel: p("channel"),
        userId: p("userId"),
        serviceId: p("serviceId"),
        resourceId: p("resourceId"),
        start: p("start"),
        end: p("end"),
        status: "held",
        price: p("price"),
        deposit: p("deposit"),
        currency: p("currency"),
        // Raw, so a null passes; callers give ms.
        freeCancelUntil: sql`${p("freeCancelUntil")}`,
        createdAt: p("at"),
        updatedAt: p("at"),
      })
      .returning()
      .prepare(),
    getBooking: db.select().from(b).where(eq(b.id, p("id"))).prepare(),
    bookingByOrder: db.select().from(b).where(eq(b.orderId, p("orderId"))).prepare(),
    setBookingOrder: db.update(b).set({ orderId: sql`${p("orderId")}` }).where(eq(b.id, p("id"))).prepare(),
    bookingClashExcept: db
      .select({ id: b.id })
      .from(b)
      .where(and(eq(b.botId, p("botId")), eq(b.resourceId, p("resourceId")), blocking, overlapsWindow, ne(b.id, p("id"))))
      .limit(1)
      .prepare(),
    rescheduleBooking: db
      .update(b)
      .set({
        resourceId: sql`${p("resourceId")}`,
        start: sql`${p("start")}`,
        end: sql`${p("end")}`,
        freeCancelUntil: sql`${p("freeCancelUntil")}`,
        updatedAt: sql`${p("at")}`,
      })
      .where(and(eq(b.id, p("id")), eq(b.status, "confirmed")))
      .returning()
      .prepare(),
    moveBooking: db
      .update(b)
      .set({
        status: sql`${p("to")}`,
        updatedAt: sql`${p("at")}`,
        depositPaid: sql`coalesce(${p("depositPaid")}, ${b.depositPaid})`,
        depositRefunded: sql`coalesce(${p("depositRefunded")}, ${b.depositRefunded})`,
      })
      .where(and(eq(b.id, p("id")), eq(b.status, p("from"))))
      .prepare(),
    recordBookingTransition: db
      .insert(schema.bookingTransitions)
      .values({ bookingId: p("bookingId"), fromStatus: p("from"), toStatus: p("to"), cause: p("cause"), at: p("at") })
      .prepare(),
    busyAppointments: db
      .select({ resourceId: b.resourceId, start: b.start, end: b.end })
      .from(b)
      .where(and(eq(b.botId, p("botId")), blocking, overlapsWindow))
      .orderBy(asc(b.start), asc(b.id))
      .prepare(),
    enqueue: db
      .insert(o)
      .values({
        botId: p("botId"),
        channel: p("channel"),
        userId: p("userId"),
        message: p("message"),
        createdAt: p("at"),
        nextAttemptAt: p("at"),
      })
      .returning({ id: o.id })
      .prepare(),
    // Unsent and not given up on (a null next attempt), by id from a watermark: a range scan of the rowid.
    // Each row says why its customer cannot be reached (null when they can): a lookup on the primary key.
    unsentFrom: db
      .select({
        ...getTableColumns(o),
        // A scalar subquery on the key rather than a join: drizzle maps a joined row field by field.
        // Spelled out: drizzle writes columns unqualified in a one-table select, which inside a subquery would name the inner table's.
        unreachable: sql<string | null>`(select u.reason from unreachable_customers u where u.bot_id = "outbox"."bot_id" and u.channel = "outbox"."channel" and u.user_id = "outbox"."user_id")`,
      })
      .from(o)
      .where(and(gte(o.id, p("from")), isNull(o.sentAt), isNotNull(o.nextAttemptAt)))
      .orderBy(asc(o.id))
      .limit(p("limit"))
      .prepare(),
    lastOutboxId: db.select({ id: sql<number>`max(${o.id})` }).from(o).prepare(),
    // The same rows as unsentFrom, counted: what a shutdown leaves for the next start.
    unsentCount: db
      .select({ count: sql<number>`count(*)` })
      .from(o)
      .where(and(gte(o.id, p("from")), isNull(o.sentAt), isNotNull(o.nextAttemptAt)))
      .prepare(),
    markFailed: db
      .update(o)
      .set({
        attempts: sql`${o.attempts} + 1`,
        lastError: sql`${p("error")}`,
        // Raw, so a null (given up on) passes; callers give ms.
        nextAttemptAt: sql`${p("retryAt")}`,
        callsDone: sql`coalesce(${p("callsDone")}, ${o.callsDone})`,
      })
      .where(eq(o.id, p("id")))
      .prepare(),
    markSent: db
      .update(o)
      .set({ sentAt: sql`${p("at")}`, attempts: sql`${o.attempts} + 1` })
      .where(eq(o.id, p("id")))
      .prepare(),
    scheduleTimer: db
      .insert(t)
      .values({
        key: p("key"),
        botId: p("botId"),
        channel: p("channel"),
        userId: p("userId"),
        name: p("name"),
        data: p("data"),
        fireAt: p("fireAt"),
      })
      .onConflictDoUpdate({
        target: t.key,
        set: { name: sql`excluded.name`, data: sql`excluded.data`, fireAt: sql`excluded.fire_at` },
      })
      .prepare(),
    cancelTimer: db.delete(t).where(eq(t.key, p("key"))).prepare(),
    takeTimer: db.delete(t).where(eq(t.id, p("id"))).prepare(),
    dueTimers: db
      .select()
      .from(t)
      .where(lte(t.fireAt, sql`${p("now")}`))
      .orderBy(asc(t.fireAt), asc(t.id))
      .limit(p("limit"))
      .prepare(),
  };
}

export type Queries = ReturnType<typeof prepareQueries>;
