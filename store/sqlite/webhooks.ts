import { and, asc, desc, eq, gt, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { EventData, MerchantEvent, MerchantEventType } from "../ports/events.ts";
import type { WebhookDelivery, WebhookDeliveryFilter, WebhookDeliveryStatus } from "../ports/webhooks.ts";
import { eventNumber } from "./events.ts";
import type { Db } from "./queries.ts";
import * as schema from "./schema.ts";

/**
 * Webhook deliveries: one row per merchant event the deliverer saw, and per
 * bot and endpoint a cursor in `store_settings` (`webhook_cursor:<bot>:<endpoint>`,
 * the number of the highest event seen).
 */

const MAX_LIST = 1000;
const d = schema.webhookDeliveries;
const e = schema.merchantEvents;

function cursorName(botId: string, endpoint: string): string {
  return `webhook_cursor:${botId}:${endpoint}`;
}

function toDelivery(row: { delivery: typeof d.$inferSelect; event: typeof e.$inferSelect }): WebhookDelivery {
  const { delivery, event } = row;
  const merchantEvent: MerchantEvent = {
    id: `evt_${event.id}`,
    botId: event.botId,
    type: event.type as MerchantEventType,
    created: event.createdAt,
    data: JSON.parse(event.data) as EventData,
  };
  return {
    event: merchantEvent,
    status: delivery.status as WebhookDeliveryStatus,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt,
    deliveredAt: delivery.deliveredAt,
  };
}

function rowNumber(eventId: string): number {
  const n = eventNumber(eventId);
  if (n === undefined) throw new RangeError(`'${eventId}' is not an event id (evt_<n>)`);
  return n;
}

/** Run in one immediate transaction (see SqliteStore). */
export function enqueueWebhookEvents(db: Db, botId: string, endpoint: string, now: Date, limit: number): number {
  const s = schema.storeSettings;
  const name = cursorName(botId, endpoint);
  const saved = db.select({ value: s.value }).from(s).where(eq(s.name, name)).get()?.value;
  const save = (value: number) => db.insert(s).values({ name, value: String(value) }).onConflictDoUpdate({ target: s.name, set: { value: String(value) } }).run();
  if (saved === undefined) {
    // A new endpoint: it hears of what happens from now on, not of the bot's past.
    const latest = db.select({ id: e.id }).from(e).where(eq(e.botId, botId)).orderBy(desc(e.id)).limit(1).get()?.id ?? 0;
    save(latest);
    return 0;
  }
  const after = Number(saved);
  const fresh = db
    .select({ id: e.id })
    .from(e)
    .where(and(eq(e.botId, botId), gt(e.id, after)))
    .orderBy(asc(e.id))
    .limit(limit)
    .all();
  const last = fresh.at(-1);
  if (last === undefined) return 0;
  db.insert(d)
    .values(fresh.map((row) => ({ eventId: row.id, botId, status: "pending", attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now })))
    .onConflictDoNothing()
    .run();
  save(last.id);
  return fresh.length;
}

/** Run in one immediate transaction (see SqliteStore). */
export function claimWebhookDeliveries(db: Db, botIds: readonly string[], now: Date, leaseUntil: Date, limit: number): WebhookDelivery[] {
  if (botIds.length === 0) return [];
  const rows = db
    .select({ delivery: d, event: e })
    .from(d)
    .innerJoin(e, eq(e.id, d.eventId))
    .where(and(eq(d.status, "pending"), inArray(d.botId, [...botIds]), lte(d.nextAttemptAt, now)))
    .orderBy(asc(d.eventId))
    .limit(limit)
    .all();
  if (rows.length === 0) return [];
  db.update(d)
    .set({ nextAttemptAt: leaseUntil })
    .where(inArray(d.eventId, rows.map((r) => r.delivery.eventId)))
    .run();
  return rows.map(toDelivery);
}

function settle(db: Db, eventId: string, set: Partial<typeof d.$inferInsert>, at: Date): void {
  db.update(d)
    .set({ ...set, attempts: sql`${d.attempts} + 1`, updatedAt: at })
    .where(and(eq(d.eventId, rowNumber(eventId)), eq(d.status, "pending")))
    .run();
}

export function markWebhookDelivered(db: Db, eventId: string, at: Date): void {
  settle(db, eventId, { status: "delivered", deliveredAt: at, lastError: null }, at);
}

export function retryWebhookDelivery(db: Db, eventId: string, error: string, retryAt: Date, at: Date): void {
  settle(db, eventId, { lastError: error, nextAttemptAt: retryAt }, at);
}

export function giveUpWebhookDelivery(db: Db, eventId: string, error: string, at: Date): void {
  settle(db, eventId, { status: "gave_up", lastError: error }, at);
}

export function retryGivenUpWebhook(db: Db, eventId: string, at: Date): boolean {
  const n = eventNumber(eventId);
  if (n === undefined) return false;
  const result = db
    .update(d)
    .set({ status: "pending", attempts: 0, nextAttemptAt: at, updatedAt: at })
    .where(and(eq(d.eventId, n), eq(d.status, "gave_up")))
    .run();
  return result.changes === 1;
}

export function listWebhookDeliveries(db: Db, filter: WebhookDeliveryFilter): WebhookDelivery[] {
  const where: SQL | undefined = and(filter.botId === undefined ? undefined : eq(d.botId, filter.botId), filter.status === undefined ? undefined : eq(d.status, filter.status));
  const limit = Math.min(Math.max(1, filter.limit ?? MAX_LIST), MAX_LIST);
  return db.select({ delivery: d, event: e }).from(d).innerJoin(e, eq(e.id, d.eventId)).where(where).orderBy(asc(d.eventId)).limit(limit).all().map(toDelivery);
}
