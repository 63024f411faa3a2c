import { and, asc, desc, eq, gt } from "drizzle-orm";
import type { OutboundMessage } from "../../core/message.ts";
import type { ConversationAddress } from "../ports/conversations.ts";
import type { OutboxEntry, OutboxQuery } from "../ports/outbox.ts";
import type { TimerRow } from "../ports/timers.ts";
import type { Db } from "./queries.ts";
import { toTimer } from "./rows.ts";
import * as schema from "./schema.ts";

/**
 * Read-only queries for inspecting one conversation (the emulator's history
 * and inspector), and the emulator's reset. Not on any turn's hot path, so
 * built per call rather than prepared.
 */

const MAX_ROWS = 1000;

export function conversationOutbox(db: Db, address: ConversationAddress, query: OutboxQuery): OutboxEntry[] {
  const o = schema.outbox;
  const limit = Math.max(1, Math.min(query.limit ?? MAX_ROWS, MAX_ROWS));
  const where = and(
    eq(o.botId, address.botId),
    eq(o.channel, address.channel),
    eq(o.userId, address.userId),
    gt(o.id, query.afterId ?? 0),
  );
  const rows = db
    .select()
    .from(o)
    .where(where)
    .orderBy(query.newest ? desc(o.id) : asc(o.id))
    .limit(limit)
    .all();
  if (query.newest) rows.reverse();
  return rows.map((r) => ({
    id: r.id,
    botId: r.botId,
    channel: r.channel,
    userId: r.userId,
    message: r.message as OutboundMessage,
    attempts: r.attempts,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
    nextAttemptAt: r.nextAttemptAt,
    lastError: r.lastError,
  }));
}

export function conversationTimers(db: Db, address: ConversationAddress): TimerRow[] {
  const t = schema.timers;
  return db
    .select()
    .from(t)
    .where(and(eq(t.botId, address.botId), eq(t.channel, address.channel), eq(t.userId, address.userId)))
    .orderBy(asc(t.fireAt), asc(t.id))
    .all()
    .map(toTimer);
}

export function deleteConversation(db: Db, address: ConversationAddress): boolean {
  const c = schema.conversations;
  return (
    db
      .delete(c)
      .where(and(eq(c.botId, address.botId), eq(c.channel, address.channel), eq(c.userId, address.userId)))
      .run().changes > 0
  );
}
