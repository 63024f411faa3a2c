import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { ConversationAddress } from "../ports/conversations.ts";
import type { Db } from "./queries.ts";
import * as schema from "./schema.ts";

/**
 * What the channels keep about customers and their messages: Bot Framework
 * conversation references, when each customer last wrote, platform message
 * ids with their delivery statuses, and who cannot be reached.
 */

/** The Bot Framework conversation reference kept for a customer, or undefined. */
export function botFrameworkReference(db: Db, botId: string, userId: string): unknown {
  const r = schema.botframeworkReferences;
  return db.select().from(r).where(and(eq(r.botId, botId), eq(r.userId, userId))).get()?.reference;
}

/** Keeps a customer's Bot Framework conversation reference, replacing the one kept. */
export function saveBotFrameworkReference(db: Db, botId: string, userId: string, reference: unknown, at: Date): void {
  const r = schema.botframeworkReferences;
  db.insert(r)
    .values({ botId, userId, reference, updatedAt: at })
    .onConflictDoUpdate({ target: [r.botId, r.userId], set: { reference, updatedAt: at } })
    .run();
}

/** Records when the customer last wrote, never moving it back. */
export function recordInbound(db: Db, address: ConversationAddress, at: Date): void {
  const a = schema.customerActivity;
  // Only ever moves forward: a late redelivery does not shorten the window.
  db.insert(a)
    .values({ ...address, lastInboundAt: at })
    .onConflictDoUpdate({ target: [a.botId, a.channel, a.userId], set: { lastInboundAt: sql`max(${a.lastInboundAt}, ${at.getTime()})` } })
    .run();
}

/** When the customer last wrote, or undefined. */
export function lastInbound(db: Db, address: ConversationAddress): Date | undefined {
  const a = schema.customerActivity;
  return db.select().from(a).where(and(eq(a.botId, address.botId), eq(a.channel, address.channel), eq(a.userId, address.userId))).get()?.lastInboundAt;
}

/** Keeps a sent message's platform id, status `accepted`, unless it is kept already. */
export function savePlatformMessage(db: Db, entry: { channel: string; platformId: string; outboxId: number; at: Date }): void {
  const m = schema.platformMessages;
  db.insert(m).values({ channel: entry.channel, platformId: entry.platformId, outboxId: entry.outboxId, status: "accepted", updatedAt: entry.at }).onConflictDoNothing().run();
}

/** Records a platform message's status (a failure also on its outbox row), in one transaction; its outbox id, or undefined when unknown. */
export function recordDeliveryStatus(db: Db, status: { channel: string; platformId: string; status: string; error: string | null; at: Date }): number | undefined {
  const m = schema.platformMessages;
  return db.transaction((tx) => {
    const where = and(eq(m.channel, status.channel), eq(m.platformId, status.platformId));
    const row = tx.select().from(m).where(where).get();
    if (!row) return undefined;
    tx.update(m).set({ status: status.status, error: status.error, updatedAt: status.at }).where(where).run();
    if (status.error !== null) tx.update(schema.outbox).set({ lastError: status.error }).where(eq(schema.outbox.id, row.outboxId)).run();
    return row.outboxId;
  });
}

/** The platform ids and statuses of an outbox message, newest first. */
export function deliveryStatuses(db: Db, outboxId: number): Array<{ platformId: string; status: string; error: string | null }> {
  const m = schema.platformMessages;
  return db.select({ platformId: m.platformId, status: m.status, error: m.error }).from(m).where(eq(m.outboxId, outboxId)).orderBy(sql`${m.updatedAt} desc`).all();
}

/** Records (un)reachability unless a later change was applied; true when applied. */
export function setUnreachable(db: Db, address: ConversationAddress, reason: string | null, at: Date): boolean {
  const u = schema.unreachableCustomers;
  // Applied only when no later change was: Telegram may deliver an old my_chat_member after a newer one.
  const result = db
    .insert(u)
    .values({ botId: address.botId, channel: address.channel, userId: address.userId, reason, since: at, changedAt: at })
    .onConflictDoUpdate({
      target: [u.botId, u.channel, u.userId],
      set: {
        reason,
        // Being blocked again keeps the first time; becoming reachable records when.
        since: sql`case when ${u.reason} is not null and ${reason} is not null then ${u.since} else excluded.since end`,
        changedAt: at,
      },
      setWhere: sql`${u.changedAt} <= excluded.changed_at`,
    })
    .run();
  return result.changes === 1;
}

/** Why and since when a customer is unreachable, or undefined when reachable. */
export function unreachable(db: Db, address: ConversationAddress): { reason: string; since: Date } | undefined {
  const u = schema.unreachableCustomers;
  return db
    .select({ reason: u.reason, since: u.since })
    .from(u)
    .where(and(eq(u.botId, address.botId), eq(u.channel, address.channel), eq(u.userId, address.userId), isNotNull(u.reason)))
    .get() as { reason: string; since: Date } | undefined;
}
