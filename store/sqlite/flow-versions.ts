import { and, eq, inArray, not, sql } from "drizzle-orm";
import type { Db } from "./queries.ts";
import * as schema from "./schema.ts";

/** Kept flow versions: the IR a conversation started on, loaded when the flow changed since. */

export function loadFlowVersion(db: Db, botId: string, flowId: string, key: string): unknown {
  const v = schema.flowVersions;
  return db
    .select({ flow: v.flow })
    .from(v)
    .where(and(eq(v.botId, botId), eq(v.flowId, flowId), eq(v.versionKey, key)))
    .get()?.flow;
}

/** Inserts a flow version unless it is kept already. */
export function saveFlowVersion(db: Db, version: { botId: string; flowId: string; key: string; flow: unknown; at: Date }): void {
  db.insert(schema.flowVersions)
    .values({ botId: version.botId, flowId: version.flowId, versionKey: version.key, flow: version.flow, createdAt: version.at })
    .onConflictDoNothing()
    .run();
}

/** Deletes the bot's versions neither in `current` nor used by a conversation; returns how many. */
export function pruneFlowVersions(db: Db, botId: string, current: ReadonlyArray<{ flowId: string; key: string }>): number {
  const v = schema.flowVersions;
  const c = schema.conversations;
  const currentKeys = current.map((k) => `${k.flowId}\u0000${k.key}`);
  const inUse = sql`exists (select 1 from ${c} where ${c.botId} = ${v.botId} and ${c.flowId} = ${v.flowId} and ${c.flowVersion} = ${v.versionKey})`;
  const isCurrent = currentKeys.length === 0 ? sql`0` : inArray(sql`${v.flowId} || char(0) || ${v.versionKey}`, currentKeys);
  return db
    .delete(v)
    .where(and(eq(v.botId, botId), not(isCurrent), not(inUse)))
    .run().changes;
}
