import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import type { EventData, MerchantEvent, MerchantEventQuery, MerchantEventType, NewMerchantEvent } from "../ports/events.ts";
import type { Db } from "./queries.ts";
import * as schema from "./schema.ts";

/** Merchant events: recorded in the transaction of the change they tell of, read in order by whoever tells the shop. */

const PREFIX = "evt_";
const MAX_LIST = 1000;

function toEvent(row: typeof schema.merchantEvents.$inferSelect): MerchantEvent {
  return { id: `${PREFIX}${row.id}`, botId: row.botId, type: row.type as MerchantEventType, created: row.createdAt, data: JSON.parse(row.data) as EventData };
}

/** The row number of an `evt_<n>` id; undefined when it is not one. */
export function eventNumber(id: string): number | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  const n = Number(id.slice(PREFIX.length));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function recordEvent(db: Db, event: NewMerchantEvent): MerchantEvent {
  const row = db
    .insert(schema.merchantEvents)
    .values({ botId: event.botId, type: event.type, data: JSON.stringify(event.data), createdAt: event.at })
    .returning()
    .get();
  return toEvent(row);
}

export function listEvents(db: Db, query: MerchantEventQuery): MerchantEvent[] {
  const e = schema.merchantEvents;
  const after = query.after === undefined ? undefined : eventNumber(query.after);
  if (query.after !== undefined && after === undefined) throw new RangeError(`listEvents: '${query.after}' is not an event id (evt_<n>)`);
  const where: SQL | undefined = and(query.botId === undefined ? undefined : eq(e.botId, query.botId), after === undefined ? undefined : gt(e.id, after));
  const limit = Math.min(Math.max(1, query.limit ?? 100), MAX_LIST);
  return db.select().from(e).where(where).orderBy(asc(e.id)).limit(limit).all().map(toEvent);
}
