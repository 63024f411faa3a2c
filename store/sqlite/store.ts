import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { Mutex } from "async-mutex";
import { and, asc, eq, isNull, lte, sql, type SQL } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { OutboundMessage } from "../../adapters/message.ts";
import type { Order, OrderItem, OrderStatus, OrderTransition, PaymentReport } from "../../commerce/index.ts";
import { VersionConflictError } from "../errors.ts";
import type {
  ConversationAddress,
  ConversationRow,
  NewOrder,
  OrderFilter,
  OutboxRow,
  Store,
  TimerRow,
  TimerSpec,
  TurnTx,
} from "../types.ts";
import * as schema from "./schema.ts";

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "../migrations/sqlite");

type Db = BetterSQLite3Database<typeof schema>;

export interface SqliteStoreOptions {
  /** Path of the database file; its folder is created when missing. */
  readonly file: string;
  /** How long a writer waits for another process's lock, in ms. */
  readonly busyTimeoutMs?: number;
}

/**
 * The embedded store: one SQLite file in WAL mode. Turns are serialized per
 * process (one connection, one transaction at a time); `BEGIN IMMEDIATE` and
 * the busy timeout serialize them across processes sharing the file.
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.file !== ":memory:") mkdirSync(dirname(options.file), { recursive: true });
  const client = new Database(options.file);
  client.pragma("journal_mode = WAL");
  client.pragma("synchronous = NORMAL");
  client.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  client.pragma("foreign_keys = ON");
  const db = drizzle(client, { schema });
  migrate(db, { migrationsFolder });
  return new SqliteStore(client, db);
}

function toOrder(row: typeof schema.orders.$inferSelect): Order {
  return {
    id: String(row.id),
    botId: row.botId,
    channel: row.channel,
    userId: row.userId,
    status: row.status as OrderStatus,
    items: row.items as OrderItem[],
    total: row.total,
    currency: row.currency,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function orderId(id: string): number {
  const n = Number(id);
  return Number.isSafeInteger(n) && n > 0 ? n : -1;
}

function orderWhere(filter: OrderFilter): SQL | undefined {
  const o = schema.orders;
  return and(
    filter.botId === undefined ? undefined : eq(o.botId, filter.botId),
    filter.channel === undefined ? undefined : eq(o.channel, filter.channel),
    filter.userId === undefined ? undefined : eq(o.userId, filter.userId),
    filter.status === undefined ? undefined : eq(o.status, filter.status),
  );
}

function conversationKey(a: ConversationAddress): SQL | undefined {
  const c = schema.conversations;
  return and(eq(c.botId, a.botId), eq(c.channel, a.channel), eq(c.userId, a.userId));
}

class SqliteTurnTx implements TurnTx {
  constructor(private readonly db: Db) {}

  async markEventSeen(key: string, at: Date): Promise<boolean> {
    const result = this.db.insert(schema.seenEvents).values({ key, at }).onConflictDoNothing().run();
    return result.changes === 1;
  }

  async loadConversation(address: ConversationAddress): Promise<ConversationRow | undefined> {
    return this.db.select().from(schema.conversations).where(conversationKey(address)).get();
  }

  async saveConversation(row: Omit<ConversationRow, "version">, expectedVersion: number): Promise<number> {
    const version = expectedVersion + 1;
    const name = `${row.botId}/${row.channel}/${row.userId}`;
    if (expectedVersion === 0) {
      const inserted = this.db.insert(schema.conversations).values({ ...row, version }).onConflictDoNothing().run();
      if (inserted.changes !== 1) throw new VersionConflictError(name, expectedVersion);
      return version;
    }
    const c = schema.conversations;
    const updated = this.db
      .update(c)
      .set({
        flowId: row.flowId,
        flowVersion: row.flowVersion,
        stepId: row.stepId,
        locale: row.locale,
        data: row.data,
        updatedAt: row.updatedAt,
        version,
      })
      .where(and(conversationKey(row), eq(c.version, expectedVersion)))
      .run();
    if (updated.changes !== 1) throw new VersionConflictError(name, expectedVersion);
    return version;
  }

  async stockLeft(botId: string, productId: string): Promise<number | null> {
    const s = schema.stock;
    const row = this.db.select({ units: s.units }).from(s).where(and(eq(s.botId, botId), eq(s.productId, productId))).get();
    return row ? row.units : null;
  }

  async reserveStock(botId: string, productId: string, quantity: number): Promise<boolean> {
    const s = schema.stock;
    const tracked = and(eq(s.botId, botId), eq(s.productId, productId));
    const result = this.db
      .update(s)
      .set({ units: sql`${s.units} - ${quantity}` })
      .where(and(tracked, sql`${s.units} >= ${quantity}`))
      .run();
    if (result.changes === 1) return true;
    // Untracked products have no stock row and never run out.
    return this.db.select({ units: s.units }).from(s).where(tracked).get() === undefined;
  }

  async releaseStock(botId: string, productId: string, quantity: number): Promise<void> {
    const s = schema.stock;
    this.db
      .update(s)
      .set({ units: sql`${s.units} + ${quantity}` })
      .where(and(eq(s.botId, botId), eq(s.productId, productId)))
      .run();
  }

  async createOrder(order: NewOrder): Promise<Order> {
    const row = this.db
      .insert(schema.orders)
      .values({
        botId: order.botId,
        channel: order.channel,
        userId: order.userId,
        status: order.status,
        items: order.items,
        total: order.total,
        currency: order.currency,
        createdAt: order.at,
        updatedAt: order.at,
      })
      .returning()
      .get();
    this.db
      .insert(schema.orderTransitions)
      .values({ orderId: row.id, fromStatus: "draft", toStatus: order.status, cause: order.cause, at: order.at })
      .run();
    return toOrder(row);
  }

  async getOrder(id: string): Promise<Order | undefined> {
    const row = this.db.select().from(schema.orders).where(eq(schema.orders.id, orderId(id))).get();
    return row && toOrder(row);
  }

  async transitionOrder(id: string, from: OrderStatus, to: OrderStatus, cause: string, at: Date): Promise<boolean> {
    const o = schema.orders;
    const updated = this.db
      .update(o)
      .set({ status: to, updatedAt: at })
      .where(and(eq(o.id, orderId(id)), eq(o.status, from)))
      .run();
    if (updated.changes !== 1) return false;
    this.db.insert(schema.orderTransitions).values({ orderId: orderId(id), fromStatus: from, toStatus: to, cause, at }).run();
    return true;
  }

  async listOrders(filter: OrderFilter): Promise<Order[]> {
    return this.db.select().from(schema.orders).where(orderWhere(filter)).orderBy(asc(schema.orders.id)).all().map(toOrder);
  }

  async recordPayment(report: PaymentReport, at: Date): Promise<boolean> {
    const result = this.db
      .insert(schema.payments)
      .values({
        provider: report.provider,
        reference: report.reference,
        orderId: orderId(report.orderId),
        outcome: report.outcome,
        amount: report.amount,
        currency: report.currency,
        at,
      })
      .onConflictDoNothing()
      .run();
    return result.changes === 1;
  }

  async enqueue(address: ConversationAddress, messages: readonly OutboundMessage[], at: Date): Promise<number[]> {
    if (messages.length === 0) return [];
    const rows = this.db
      .insert(schema.outbox)
      .values(messages.map((message) => ({ ...address, message, createdAt: at, nextAttemptAt: at })))
      .returning({ id: schema.outbox.id })
      .all();
    return rows.map((r) => r.id);
  }

  async scheduleTimer(timer: TimerSpec): Promise<void> {
    this.db
      .insert(schema.timers)
      .values(timer)
      .onConflictDoUpdate({ target: schema.timers.key, set: { name: timer.name, data: timer.data, fireAt: timer.fireAt } })
      .run();
  }

  async cancelTimer(key: string): Promise<void> {
    this.db.delete(schema.timers).where(eq(schema.timers.key, key)).run();
  }

  async takeTimer(id: number): Promise<boolean> {
    return this.db.delete(schema.timers).where(eq(schema.timers.id, id)).run().changes === 1;
  }
}

class SqliteStore implements Store {
  readonly dialect = "sqlite";
  readonly #lock = new Mutex();
  readonly #tx: SqliteTurnTx;
  #closed = false;

  constructor(
    private readonly client: Database.Database,
    private readonly db: Db,
  ) {
    this.#tx = new SqliteTurnTx(db);
  }

  async transaction<T>(fn: (tx: TurnTx) => Promise<T>): Promise<T> {
    return this.#lock.runExclusive(async () => {
      this.client.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(this.#tx);
        this.client.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.client.inTransaction) this.client.exec("ROLLBACK");
        throw error;
      }
    });
  }

  async seedStock(botId: string, units: ReadonlyArray<{ productId: string; units: number }>): Promise<void> {
    if (units.length === 0) return;
    await this.#lock.runExclusive(() => {
      this.db
        .insert(schema.stock)
        .values(units.map((u) => ({ botId, productId: u.productId, units: u.units })))
        .onConflictDoNothing()
        .run();
    });
  }

  async pendingOutbox(now: Date, limit: number): Promise<OutboxRow[]> {
    const o = schema.outbox;
    const rows = this.db
      .select()
      .from(o)
      .where(and(isNull(o.sentAt), lte(o.nextAttemptAt, now)))
      .orderBy(asc(o.id))
      .limit(limit)
      .all();
    return rows.map((r) => ({
      id: r.id,
      botId: r.botId,
      channel: r.channel,
      userId: r.userId,
      message: r.message as OutboundMessage,
      attempts: r.attempts,
    }));
  }

  async markSent(id: number, at: Date): Promise<void> {
    await this.#lock.runExclusive(() => {
      const o = schema.outbox;
      this.db.update(o).set({ sentAt: at, attempts: sql`${o.attempts} + 1` }).where(eq(o.id, id)).run();
    });
  }

  async markFailed(id: number, error: string, retryAt: Date | null): Promise<void> {
    await this.#lock.runExclusive(() => {
      const o = schema.outbox;
      // A null next attempt marks a message given up on: kept for inspection, never retried.
      this.db
        .update(o)
        .set({ attempts: sql`${o.attempts} + 1`, lastError: error, nextAttemptAt: retryAt })
        .where(eq(o.id, id))
        .run();
    });
  }

  async dueTimers(now: Date, limit: number): Promise<TimerRow[]> {
    const t = schema.timers;
    const rows = this.db.select().from(t).where(lte(t.fireAt, now)).orderBy(asc(t.fireAt), asc(t.id)).limit(limit).all();
    return rows.map((r) => ({ ...r, data: r.data as TimerRow["data"] }));
  }

  async listOrders(filter: OrderFilter): Promise<Order[]> {
    return this.#tx.listOrders(filter);
  }

  async orderHistory(id: string): Promise<OrderTransition[]> {
    const t = schema.orderTransitions;
    return this.db
      .select()
      .from(t)
      .where(eq(t.orderId, orderId(id)))
      .orderBy(asc(t.id))
      .all()
      .map((r) => ({ from: r.fromStatus as OrderStatus, to: r.toStatus as OrderStatus, cause: r.cause, at: r.at }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#lock.waitForUnlock();
    this.client.close();
  }
}
