import { asc, gt, inArray } from "drizzle-orm";
import type { PruneStep, SeenEventsWindow } from "../ports/retention.ts";
import type { Db } from "./queries.ts";
import * as schema from "./schema.ts";

/**
 * Retention: bounded steps that drop what is no longer needed. Each step
 * reads at most `limit` rows by primary key (no scan of the whole table, no
 * extra index on a hot insert path) and deletes among them, so the write
 * lock is held for one small batch; the caller loops over steps.
 */

/** The window of the longest prefix of `key`, else `otherwise`. */
function cutoff(key: string, windows: readonly SeenEventsWindow[], otherwise: Date): number {
  let best: SeenEventsWindow | undefined;
  for (const w of windows) if (key.startsWith(w.prefix) && (best === undefined || w.prefix.length > best.prefix.length)) best = w;
  return (best?.before ?? otherwise).getTime();
}

/** Drops idempotency keys past their channel's window among the `limit` keys after `after` (in key order). */
export function pruneSeenEvents(db: Db, options: { readonly windows: readonly SeenEventsWindow[]; readonly otherwise: Date; readonly after: string; readonly limit: number }): PruneStep<string> {
  const s = schema.seenEvents;
  const page = db.select().from(s).where(gt(s.key, options.after)).orderBy(asc(s.key)).limit(options.limit).all();
  const expired = page.filter((row) => row.at.getTime() < cutoff(row.key, options.windows, options.otherwise)).map((row) => row.key);
  const deleted = expired.length === 0 ? 0 : db.delete(s).where(inArray(s.key, expired)).run().changes;
  const last = page.at(-1);
  return { deleted, next: page.length === options.limit && last ? last.key : undefined };
}

/**
 * Drops outbox messages done with (sent, or given up on) that were queued
 * before `before`, with their platform delivery statuses, among the `limit`
 * rows after id `afterId`. Ids grow with time, so the sweep stops at the
 * first row queued at or after `before`; a message still waiting for a
 * retry is kept whatever its age.
 */
export function pruneOutbox(db: Db, options: { readonly before: Date; readonly afterId: number; readonly limit: number }): PruneStep<number> {
  const o = schema.outbox;
  const page = db
    .select({ id: o.id, createdAt: o.createdAt, sentAt: o.sentAt, nextAttemptAt: o.nextAttemptAt })
    .from(o)
    .where(gt(o.id, options.afterId))
    .orderBy(asc(o.id))
    .limit(options.limit)
    .all();
  const before = options.before.getTime();
  const old = page.filter((r) => r.createdAt.getTime() < before);
  const done = old.filter((r) => r.sentAt !== null || r.nextAttemptAt === null).map((r) => r.id);
  let deleted = 0;
  if (done.length > 0) {
    db.delete(schema.platformMessages).where(inArray(schema.platformMessages.outboxId, done)).run();
    deleted = db.delete(o).where(inArray(o.id, done)).run().changes;
  }
  const last = page.at(-1);
  const more = page.length === options.limit && old.length === page.length && last !== undefined;
  return { deleted, next: more ? last.id : undefined };
}

