import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { NewRefund, RefundFilter, RefundRow, RefundStatus } from "../ports/refunds.ts";
import type { Db } from "./queries.ts";
import { rowId, toRefund } from "./rows.ts";
import * as schema from "./schema.ts";

/** Refunds: recorded by a turn, then asked of the provider (and retried) by the refund job. */

function refundWhere(filter: RefundFilter): SQL | undefined {
  const r = schema.refunds;
  return and(
    filter.botId === undefined ? undefined : eq(r.botId, filter.botId),
    filter.channel === undefined ? undefined : eq(r.channel, filter.channel),
    filter.userId === undefined ? undefined : eq(r.userId, filter.userId),
    filter.orderId === undefined ? undefined : eq(r.orderId, rowId(filter.orderId)),
    filter.status === undefined ? undefined : eq(r.status, filter.status),
  );
}

/** Inserts a pending refund unless one for the same payment is recorded already; true when inserted. */
export function recordRefund(db: Db, refund: NewRefund): boolean {
  const result = db
    .insert(schema.refunds)
    .values({
      botId: refund.botId,
      channel: refund.channel,
      userId: refund.userId,
      orderId: rowId(refund.orderId),
      provider: refund.provider,
      paymentReference: refund.paymentReference,
      providerReference: refund.providerReference ?? null,
      amount: refund.amount,
      currency: refund.currency,
      reason: refund.reason,
      status: "pending",
      createdAt: refund.at,
      updatedAt: refund.at,
    })
    .onConflictDoNothing()
    .run();
  return result.changes === 1;
}

/** Up to `limit` pending refunds due at `now`, by id. */
export function pendingRefunds(db: Db, now: Date, limit: number): RefundRow[] {
  const r = schema.refunds;
  return db
    .select()
    .from(r)
    .where(and(eq(r.status, "pending"), sql`coalesce(${r.nextAttemptAt}, 0) <= ${now.getTime()}`))
    .orderBy(asc(r.id))
    .limit(limit)
    .all()
    .map(toRefund);
}

/** Closes a pending refund with its outcome, counting the attempt. */
export function settleRefund(db: Db, id: number, status: Exclude<RefundStatus, "pending">, note: string | null, at: Date): void {
  const r = schema.refunds;
  db.update(r)
    .set({ status, lastError: note, attempts: sql`${r.attempts} + 1`, updatedAt: at })
    .where(and(eq(r.id, id), eq(r.status, "pending")))
    .run();
}

/** Counts a failed attempt of a pending refund and sets when to try again. */
export function retryRefund(db: Db, id: number, error: string, retryAt: Date, at: Date): void {
  const r = schema.refunds;
  db.update(r)
    .set({ lastError: error, nextAttemptAt: retryAt, attempts: sql`${r.attempts} + 1`, updatedAt: at })
    .where(and(eq(r.id, id), eq(r.status, "pending")))
    .run();
}

/** The refunds matching the filter, by id. */
export function listRefunds(db: Db, filter: RefundFilter): RefundRow[] {
  return db.select().from(schema.refunds).where(refundWhere(filter)).orderBy(asc(schema.refunds.id)).all().map(toRefund);
}
