import { and, asc, eq, isNull } from "drizzle-orm";
import type { ApiKeyRow, ApiKeyScope, NewApiKey } from "../ports/api-keys.ts";
import type { Db } from "./queries.ts";
import * as schema from "./schema.ts";

/** Admin API keys, kept by hash. */

type Row = typeof schema.apiKeys.$inferSelect;

function toApiKey(row: Row): ApiKeyRow {
  return { id: row.id, botId: row.botId, scope: row.scope as ApiKeyScope, label: row.label, createdAt: row.createdAt, revokedAt: row.revokedAt };
}

export function createApiKey(db: Db, key: NewApiKey): ApiKeyRow {
  const row = db
    .insert(schema.apiKeys)
    .values({ botId: key.botId, scope: key.scope, hash: key.hash, label: key.label ?? null, createdAt: key.at })
    .returning()
    .get();
  return toApiKey(row);
}

export function apiKeyByHash(db: Db, hash: string): ApiKeyRow | undefined {
  const row = db.select().from(schema.apiKeys).where(eq(schema.apiKeys.hash, hash)).get();
  return row && toApiKey(row);
}

export function listApiKeys(db: Db, filter: { readonly botId?: string }): ApiKeyRow[] {
  const k = schema.apiKeys;
  return db
    .select()
    .from(k)
    .where(filter.botId === undefined ? undefined : eq(k.botId, filter.botId))
    .orderBy(asc(k.id))
    .all()
    .map(toApiKey);
}

/** Sets `revoked_at` unless set already; true when it was set now. */
export function revokeApiKey(db: Db, id: number, at: Date): boolean {
  const k = schema.apiKeys;
  return db.update(k).set({ revokedAt: at }).where(and(eq(k.id, id), isNull(k.revokedAt))).run().changes === 1;
}
