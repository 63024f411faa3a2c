import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { Mutex } from "async-mutex";
import { and, asc, eq, inArray, isNotNull, isNull, not, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { OutboundMessage } from "../../core/message.ts";
import { assertBookingTransition } from "../../commerce/index.ts";
import type {
  Appointment,
  Booking,
  BookingStatus,
  BookingTransition,
  Order,
  OrderItem,
  OrderShipping,
  OrderStatus,
  OrderTransition,
  PaymentReport,
} from "../../commerce/index.ts";
import { VersionConflictError } from "../errors.ts";
import type {
  BookingAmounts,
  CheckoutSessionRow,
  CustomerErasure,
  CustomerRecord,
  PruneStep,
  SeenEventsWindow,
  BookingFilter,
  BookingMove,
  ConversationAddress,
  ConversationRow,
  NewBooking,
  NewOrder,
  NewRefund,
  OrderFilter,
  PaymentRecord,
  RefundFilter,
  RefundRow,
  RefundStatus,
  OutboxFailure,
  OutboxRow,
  Store,
  TimerRow,
  TimerSpec,
  TurnTx,
} from "../types.ts";
import { Checkpointer } from "./checkpointer.ts";
import * as customers from "./customers.ts";
import * as retention from "./retention.ts";
import * as inspect from "./inspect-queries.ts";
import type { OutboxEntry, OutboxQuery } from "../types.ts";
import { prepareQueries, type Db, type Queries } from "./queries.ts";
import * as schema from "./schema.ts";

/** Outbox rows read per page while looking for due messages. */
/** The `store_settings` row holding the emulator clock's lead over real time, in ms. */
const EMULATOR_CLOCK_OFFSET = "emulator_clock_offset_ms";

const OUTBOX_PAGE = 200;

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "../migrations/sqlite");


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
  const inMemory = options.file === ":memory:";
  // Checkpoints run in a worker; this only bounds the WAL if the worker falls behind.
  if (!inMemory) client.pragma("wal_autocheckpoint = 20000");
  const checkpointer = inMemory ? undefined : new Checkpointer(options.file);
  try {
    return new SqliteStore(client, db, checkpointer);
  } catch (error) {
    // A store that fails to open must not leave its worker behind.
    void checkpointer?.close();
    client.close();
    throw error;
  }
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
    ...(row.shipping ? { shipping: row.shipping as OrderShipping } : {}),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toRefund(row: typeof schema.refunds.$inferSelect): RefundRow {
  return {
    id: row.id,
    botId: row.botId,
    channel: row.channel,
    userId: row.userId,
    orderId: String(row.orderId),
    provider: row.provider,
    paymentReference: row.paymentReference,
    providerReference: row.providerReference,
    amount: row.amount,
    currency: row.currency,
    reason: row.reason,
    status: row.status as RefundStatus,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

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

function rowId(id: string): number {
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

function toBooking(row: typeof schema.bookings.$inferSelect): Booking {
  return {
    id: String(row.id),
    botId: row.botId,
    channel: row.channel,
    userId: row.userId,
    serviceId: row.serviceId,
    resourceId: row.resourceId,
    start: row.start,
    end: row.end,
    status: row.status as BookingStatus,
    price: row.price,
    deposit: row.deposit,
    depositPaid: row.depositPaid,
    depositRefunded: row.depositRefunded,
    currency: row.currency,
    ...(row.orderId === null ? {} : { orderId: String(row.orderId) }),
    freeCancelUntil: row.freeCancelUntil,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function bookingWhere(filter: BookingFilter): SQL | undefined {
  const b = schema.bookings;
  return and(
    filter.botId === undefined ? undefined : eq(b.botId, filter.botId),
    filter.channel === undefined ? undefined : eq(b.channel, filter.channel),
    filter.userId === undefined ? undefined : eq(b.userId, filter.userId),
    filter.resourceId === undefined ? undefined : eq(b.resourceId, filter.resourceId),
    filter.status === undefined ? undefined : eq(b.status, filter.status),
  );
}

class SqliteTurnTx implements TurnTx {
  constructor(
    private readonly db: Db,
    private readonly q: Queries,
  ) {}

  async markEventSeen(key: string, at: Date): Promise<boolean> {
    return this.q.seeEvent.run({ key, at }).changes === 1;
  }

  async loadConversation(address: ConversationAddress): Promise<ConversationRow | undefined> {
    return this.q.loadConversation.get({ botId: address.botId, channel: address.channel, userId: address.userId });
  }

  async saveConversation(row: Omit<ConversationRow, "version">, expectedVersion: number): Promise<number> {
    const version = expectedVersion + 1;
    const name = `${row.botId}/${row.channel}/${row.userId}`;
    const values = {
      botId: row.botId,
      channel: row.channel,
      userId: row.userId,
      flowId: row.flowId,
      flowVersion: row.flowVersion,
      stepId: row.stepId,
      locale: row.locale,
      data: JSON.stringify(row.data),
      updatedAt: row.updatedAt.getTime(),
      version,
    };
    const result =
      expectedVersion === 0 ? this.q.insertConversation.run({ ...values, data: row.data, updatedAt: row.updatedAt }) : this.q.updateConversation.run({ ...values, expectedVersion });
    if (result.changes !== 1) throw new VersionConflictError(name, expectedVersion);
    return version;
  }

  async stockLeft(botId: string, productId: string): Promise<number | null> {
    const row = this.q.stockLeft.get({ botId, productId });
    return row ? row.units : null;
  }

  async reserveStock(botId: string, productId: string, quantity: number): Promise<boolean> {
    if (this.q.takeStock.run({ botId, productId, quantity }).changes === 1) return true;
    // Untracked products have no stock row and never run out.
    return this.q.stockLeft.get({ botId, productId }) === undefined;
  }


  async releaseStock(botId: string, productId: string, quantity: number): Promise<void> {
    this.q.returnStock.run({ botId, productId, quantity });
  }


  async createOrder(order: NewOrder): Promise<Order> {
    const row = this.q.insertOrder.get({
      botId: order.botId,
      channel: order.channel,
      userId: order.userId,
      status: order.status,
      items: order.items,
      total: order.total,
      currency: order.currency,
      at: order.at,
    });
    if (!row) throw new Error("inserting an order returned no row");
    this.q.recordTransition.run({ orderId: row.id, from: "draft", to: order.status, cause: order.cause, at: order.at });
    return toOrder(row);
  }


  async getOrder(id: string): Promise<Order | undefined> {
    const row = this.q.getOrder.get({ id: rowId(id) });
    return row && toOrder(row);
  }


  async transitionOrder(id: string, from: OrderStatus, to: OrderStatus, cause: string, at: Date): Promise<boolean> {
    if (this.q.moveOrder.run({ id: rowId(id), from, to, at: at.getTime() }).changes !== 1) return false;
    this.q.recordTransition.run({ orderId: rowId(id), from, to, cause, at });
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
        orderId: rowId(report.orderId),
        outcome: report.outcome,
        amount: report.amount,
        currency: report.currency,
        providerReference: report.providerReference ?? null,
        at,
      })
      .onConflictDoNothing()
      .run();
    return result.changes === 1;
  }

  async paymentOf(orderId: string): Promise<PaymentRecord | undefined> {
    const p = schema.payments;
    const row = this.db
      .select()
      .from(p)
      .where(and(eq(p.orderId, rowId(orderId)), eq(p.outcome, "succeeded")))
      .orderBy(asc(p.id))
      .get();
    if (!row) return undefined;
    return { provider: row.provider, reference: row.reference, ...(row.providerReference ? { providerReference: row.providerReference } : {}), amount: row.amount, currency: row.currency, at: row.at };
  }

  async setOrderShipping(orderId: string, shipping: OrderShipping, at: Date): Promise<boolean> {
    const o = schema.orders;
    const result = this.db
      .update(o)
      .set({ shipping, total: sql`${o.total} + ${shipping.amount}`, updatedAt: at })
      .where(and(eq(o.id, rowId(orderId)), isNull(o.shipping)))
      .run();
    return result.changes === 1;
  }

  async recordRefund(refund: NewRefund): Promise<boolean> {
    const result = this.db
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

  async holdSlot(booking: NewBooking): Promise<Booking | undefined> {
    if (!(booking.end.getTime() > booking.start.getTime())) throw new RangeError(`a hold must end after it starts (${booking.start.toISOString()})`);
    // Check-then-insert is race-free because it runs inside the turn's
    // transaction, opened with BEGIN IMMEDIATE: SQLite admits one writer per
    // file at a time (other processes wait out the busy timeout), and this
    // process runs one turn at a time, so no other hold can land between the
    // check and the insert.
    const window = { botId: booking.botId, resourceId: booking.resourceId, start: booking.start.getTime(), end: booking.end.getTime() };
    if (this.q.bookingClash.get(window)) return undefined;
    const row = this.q.insertBooking.get({
      botId: booking.botId,
      channel: booking.channel,
      userId: booking.userId,
      serviceId: booking.serviceId,
      resourceId: booking.resourceId,
      start: booking.start,
      end: booking.end,
      price: booking.price,
      deposit: booking.deposit,
      currency: booking.currency,
      freeCancelUntil: booking.freeCancelUntil?.getTime() ?? null,
      at: booking.at,
    });
    if (!row) throw new Error("inserting a booking returned no row");
    // Like orders' draft→status, the first entry records why the booking exists.
    this.q.recordBookingTransition.run({ bookingId: row.id, from: "held", to: "held", cause: booking.cause, at: booking.at });
    return toBooking(row);
  }

  async getBooking(id: string): Promise<Booking | undefined> {
    const row = this.q.getBooking.get({ id: rowId(id) });
    return row && toBooking(row);
  }

  async transitionBooking(id: string, from: BookingStatus, to: BookingStatus, cause: string, at: Date, amounts: BookingAmounts = {}): Promise<boolean> {
    assertBookingTransition({ id, status: from }, to);
    const moved = this.q.moveBooking.run({
      id: rowId(id),
      from,
      to,
      at: at.getTime(),
      depositPaid: amounts.depositPaid ?? null,
      depositRefunded: amounts.depositRefunded ?? null,
    });
    if (moved.changes !== 1) return false;
    this.q.recordBookingTransition.run({ bookingId: rowId(id), from, to, cause, at });
    return true;
  }

  async setDepositOrder(bookingId: string, orderId: string): Promise<void> {
    this.q.setBookingOrder.run({ id: rowId(bookingId), orderId: rowId(orderId) });
  }

  async bookingByOrder(orderId: string): Promise<Booking | undefined> {
    const row = this.q.bookingByOrder.get({ orderId: rowId(orderId) });
    return row && toBooking(row);
  }

  async rescheduleBooking(id: string, move: BookingMove, cause: string, at: Date): Promise<Booking | undefined> {
    if (!(move.end.getTime() > move.start.getTime())) throw new RangeError(`a booking must end after it starts (${move.start.toISOString()})`);
    const current = await this.getBooking(id);
    if (!current || current.status !== "confirmed") return undefined;
    // Race-free for the same reason as holdSlot: the turn's BEGIN IMMEDIATE transaction.
    const window = { botId: current.botId, resourceId: move.resourceId, start: move.start.getTime(), end: move.end.getTime(), id: rowId(id) };
    if (this.q.bookingClashExcept.get(window)) return undefined;
    const row = this.q.rescheduleBooking.get({
      id: rowId(id),
      resourceId: move.resourceId,
      start: move.start.getTime(),
      end: move.end.getTime(),
      freeCancelUntil: move.freeCancelUntil?.getTime() ?? null,
      at: at.getTime(),
    });
    if (!row) return undefined;
    this.q.recordBookingTransition.run({ bookingId: row.id, from: "confirmed", to: "confirmed", cause, at });
    return toBooking(row);
  }

  async listBookings(filter: BookingFilter): Promise<Booking[]> {
    const b = schema.bookings;
    return this.db.select().from(b).where(bookingWhere(filter)).orderBy(asc(b.start), asc(b.id)).all().map(toBooking);
  }

  async busyAppointments(botId: string, from: Date, to: Date): Promise<Appointment[]> {
    return this.q.busyAppointments.all({ botId, start: from.getTime(), end: to.getTime() });
  }

  async enqueue(address: ConversationAddress, messages: readonly OutboundMessage[], at: Date): Promise<number[]> {
    const ids: number[] = [];
    for (const message of messages) {
      const row = this.q.enqueue.get({ botId: address.botId, channel: address.channel, userId: address.userId, message, at });
      if (row) ids.push(row.id);
    }
    return ids;
  }

  async scheduleTimer(timer: TimerSpec): Promise<void> {
    this.q.scheduleTimer.run({ ...timer });
  }


  async cancelTimer(key: string): Promise<void> {
    this.q.cancelTimer.run({ key });
  }


  async takeTimer(id: number): Promise<boolean> {
    return this.q.takeTimer.run({ id }).changes === 1;
  }

  async loadFlowVersion(botId: string, flowId: string, key: string): Promise<unknown> {
    const v = schema.flowVersions;
    return this.db
      .select({ flow: v.flow })
      .from(v)
      .where(and(eq(v.botId, botId), eq(v.flowId, flowId), eq(v.versionKey, key)))
      .get()?.flow;
  }

}

class SqliteStore implements Store {
  readonly dialect = "sqlite";
  readonly #lock = new Mutex();
  readonly #tx: SqliteTurnTx;
  readonly #q: Queries;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  /** Every outbox row below this id is sent or given up on (ids only grow). */
  #unsentFrom = 0;
  #closed = false;

  constructor(
    private readonly client: Database.Database,
    private readonly db: Db,
    private readonly checkpointer: Checkpointer | undefined,
  ) {
    this.#q = prepareQueries(db);
    this.#tx = new SqliteTurnTx(db, this.#q);
    this.#begin = client.prepare("BEGIN IMMEDIATE");
    this.#commit = client.prepare("COMMIT");
    this.#rollback = client.prepare("ROLLBACK");
  }

  async transaction<T>(fn: (tx: TurnTx) => Promise<T>): Promise<T> {
    return this.#lock.runExclusive(async () => {
      this.#begin.run();
      try {
        const result = await fn(this.#tx);
        this.#commit.run();
        return result;
      } catch (error) {
        if (this.client.inTransaction) this.#rollback.run();
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
    // Under the lock: reading beside an open turn on this connection would see its uncommitted rows.
    return this.#lock.runExclusive(() => {
      const due: OutboxRow[] = [];
      const nowMs = now.getTime();
      // A message waits while an earlier one to the same customer waits for its
      // retry, so a customer reads messages in order.
      const waiting = new Set<string>();
      let from = this.#unsentFrom;
      let firstUnsent: number | undefined;
      // Bounded: each page moves `from` past the rows it read.
      for (let page = 0; page < 10_000 && due.length < limit; page++) {
        const rows = this.#q.unsentFrom.all({ from, limit: OUTBOX_PAGE });
        for (const r of rows) {
          firstUnsent ??= r.id;
          const conversation = `${r.botId}\u0000${r.channel}\u0000${r.userId}`;
          if (waiting.has(conversation)) continue;
          if ((r.nextAttemptAt?.getTime() ?? Infinity) > nowMs) {
            waiting.add(conversation);
            continue;
          }
          if (due.length < limit) {
            due.push({
              id: r.id,
              botId: r.botId,
              channel: r.channel,
              userId: r.userId,
              message: r.message as OutboundMessage,
              attempts: r.attempts,
              callsDone: r.callsDone,
              ...(r.unreachable === null ? {} : { unreachable: r.unreachable }),
            });
          }
        }
        const last = rows.at(-1);
        if (rows.length < OUTBOX_PAGE || !last) break;
        from = last.id + 1;
      }
      // Everything below the first unsent row is sent or given up on: later scans start there.
      this.#unsentFrom = firstUnsent ?? (this.#q.lastOutboxId.get()?.id ?? 0) + 1;
      return due;
    });
  }



  async unsentOutboxCount(): Promise<number> {
    return this.#lock.runExclusive(() => this.#q.unsentCount.get({ from: this.#unsentFrom })?.count ?? 0);
  }

  async markSent(ids: readonly number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.#lock.runExclusive(() => {
      this.#begin.run();
      try {
        for (const id of ids) this.#q.markSent.run({ id, at: at.getTime() });
        this.#commit.run();
      } catch (error) {
        if (this.client.inTransaction) this.#rollback.run();
        throw error;
      }
    });
  }


  async markFailed(id: number, failure: OutboxFailure): Promise<void> {
    // A null next attempt marks a message given up on: kept for inspection, never retried.
    await this.#lock.runExclusive(() => {
      this.#q.markFailed.run({ id, error: failure.error, retryAt: failure.retryAt?.getTime() ?? null, callsDone: failure.callsDone ?? null });
    });
  }

  async dueTimers(now: Date, limit: number): Promise<TimerRow[]> {
    const rows = await this.#lock.runExclusive(() => this.#q.dueTimers.all({ now: now.getTime(), limit }));
    return rows.map((r) => ({ ...r, data: r.data as TimerRow["data"] }));
  }


  async listOrders(filter: OrderFilter): Promise<Order[]> {
    return this.#lock.runExclusive(() => this.#tx.listOrders(filter));
  }

  async pendingRefunds(now: Date, limit: number): Promise<RefundRow[]> {
    const r = schema.refunds;
    return this.#lock.runExclusive(() =>
      this.db
        .select()
        .from(r)
        .where(and(eq(r.status, "pending"), sql`coalesce(${r.nextAttemptAt}, 0) <= ${now.getTime()}`))
        .orderBy(asc(r.id))
        .limit(limit)
        .all()
        .map(toRefund),
    );
  }

  async settleRefund(id: number, status: Exclude<RefundStatus, "pending">, note: string | null, at: Date): Promise<void> {
    const r = schema.refunds;
    await this.#lock.runExclusive(() =>
      this.db
        .update(r)
        .set({ status, lastError: note, attempts: sql`${r.attempts} + 1`, updatedAt: at })
        .where(and(eq(r.id, id), eq(r.status, "pending")))
        .run(),
    );
  }

  async retryRefund(id: number, error: string, retryAt: Date, at: Date): Promise<void> {
    const r = schema.refunds;
    await this.#lock.runExclusive(() =>
      this.db
        .update(r)
        .set({ lastError: error, nextAttemptAt: retryAt, attempts: sql`${r.attempts} + 1`, updatedAt: at })
        .where(and(eq(r.id, id), eq(r.status, "pending")))
        .run(),
    );
  }

  async listRefunds(filter: RefundFilter): Promise<RefundRow[]> {
    return this.#lock.runExclusive(() => this.db.select().from(schema.refunds).where(refundWhere(filter)).orderBy(asc(schema.refunds.id)).all().map(toRefund));
  }

  async orderHistory(id: string): Promise<OrderTransition[]> {
    const t = schema.orderTransitions;
    await this.#lock.waitForUnlock();
    return this.db
      .select()
      .from(t)
      .where(eq(t.orderId, rowId(id)))
      .orderBy(asc(t.id))
      .all()
      .map((r) => ({ from: r.fromStatus as OrderStatus, to: r.toStatus as OrderStatus, cause: r.cause, at: r.at }));
  }

  async listBookings(filter: BookingFilter): Promise<Booking[]> {
    return this.#lock.runExclusive(() => this.#tx.listBookings(filter));
  }

  async bookingHistory(id: string): Promise<BookingTransition[]> {
    const t = schema.bookingTransitions;
    // Under the lock: reading beside an open turn on this connection would see its uncommitted rows.
    return this.#lock.runExclusive(() =>
      this.db
        .select()
        .from(t)
        .where(eq(t.bookingId, rowId(id)))
        .orderBy(asc(t.id))
        .all()
        .map((r) => ({ from: r.fromStatus as BookingStatus, to: r.toStatus as BookingStatus, cause: r.cause, at: r.at })),
    );
  }

  async saveFlowVersion(version: { botId: string; flowId: string; key: string; flow: unknown; at: Date }): Promise<void> {
    await this.#lock.runExclusive(() => {
      this.db
        .insert(schema.flowVersions)
        .values({ botId: version.botId, flowId: version.flowId, versionKey: version.key, flow: version.flow, createdAt: version.at })
        .onConflictDoNothing()
        .run();
    });
  }



  async pruneFlowVersions(botId: string, current: ReadonlyArray<{ flowId: string; key: string }>): Promise<number> {
    const v = schema.flowVersions;
    const c = schema.conversations;
    const currentKeys = current.map((k) => `${k.flowId}\u0000${k.key}`);
    return this.#lock.runExclusive(() => {
      const inUse = sql`exists (select 1 from ${c} where ${c.botId} = ${v.botId} and ${c.flowId} = ${v.flowId} and ${c.flowVersion} = ${v.versionKey})`;
      const isCurrent = currentKeys.length === 0 ? sql`0` : inArray(sql`${v.flowId} || char(0) || ${v.versionKey}`, currentKeys);
      return this.db
        .delete(v)
        .where(and(eq(v.botId, botId), not(isCurrent), not(inUse)))
        .run().changes;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#lock.waitForUnlock();
    await this.checkpointer?.close();
    this.client.close();
  }

  // Under the lock: reading beside an open turn on this connection would see its uncommitted rows.
  async conversationOutbox(address: ConversationAddress, query: OutboxQuery = {}): Promise<OutboxEntry[]> {
    return this.#lock.runExclusive(() => inspect.conversationOutbox(this.db, address, query));
  }

  async conversationTimers(address: ConversationAddress): Promise<TimerRow[]> {
    return this.#lock.runExclusive(() => inspect.conversationTimers(this.db, address));
  }

  async deleteConversation(address: ConversationAddress): Promise<boolean> {
    return this.#lock.runExclusive(() => inspect.deleteConversation(this.db, address));
  }

  async checkoutSession(orderId: string): Promise<CheckoutSessionRow | undefined> {
    const k = schema.checkoutSessions;
    return this.#lock.runExclusive(() => {
      const row = this.db.select().from(k).where(eq(k.orderId, rowId(orderId))).get();
      return row && { ...row, orderId: String(row.orderId) };
    });
  }

  async saveCheckoutSession(session: CheckoutSessionRow): Promise<CheckoutSessionRow> {
    const k = schema.checkoutSessions;
    return this.#lock.runExclusive(() => {
      this.db
        .insert(k)
        .values({ ...session, orderId: rowId(session.orderId) })
        .onConflictDoNothing()
        .run();
      const row = this.db.select().from(k).where(eq(k.orderId, rowId(session.orderId))).get();
      if (!row) throw new Error(`checkout session of order ${session.orderId} was not kept`);
      return { ...row, orderId: String(row.orderId) };
    });
  }

  async checkoutSessionsToClose(limit: number): Promise<Array<CheckoutSessionRow & { readonly orderStatus: OrderStatus }>> {
    const k = schema.checkoutSessions;
    const o = schema.orders;
    return this.#lock.runExclusive(() =>
      this.db
        .select({ orderId: k.orderId, provider: k.provider, sessionId: k.sessionId, url: k.url, createdAt: k.createdAt, orderStatus: o.status })
        .from(k)
        .innerJoin(o, eq(o.id, k.orderId))
        .where(and(isNull(k.closedAt), not(inArray(o.status, ["awaiting_payment", "draft"]))))
        .orderBy(asc(k.orderId))
        .limit(limit)
        .all()
        .map((row) => ({ ...row, orderId: String(row.orderId), orderStatus: row.orderStatus as OrderStatus })),
    );
  }

  async closeCheckoutSession(orderId: string, at: Date, note: string): Promise<void> {
    const k = schema.checkoutSessions;
    await this.#lock.runExclusive(() => this.db.update(k).set({ closedAt: at, closeNote: note }).where(eq(k.orderId, rowId(orderId))).run());
  }

  async botFrameworkReference(botId: string, userId: string): Promise<unknown> {
    const r = schema.botframeworkReferences;
    return this.#lock.runExclusive(() => this.db.select().from(r).where(and(eq(r.botId, botId), eq(r.userId, userId))).get()?.reference);
  }

  async saveBotFrameworkReference(botId: string, userId: string, reference: unknown, at: Date): Promise<void> {
    const r = schema.botframeworkReferences;
    await this.#lock.runExclusive(() => {
      this.db
        .insert(r)
        .values({ botId, userId, reference, updatedAt: at })
        .onConflictDoUpdate({ target: [r.botId, r.userId], set: { reference, updatedAt: at } })
        .run();
    });
  }

  async recordInbound(address: ConversationAddress, at: Date): Promise<void> {
    const a = schema.customerActivity;
    await this.#lock.runExclusive(() => {
      // Only ever moves forward: a late redelivery does not shorten the window.
      this.db
        .insert(a)
        .values({ ...address, lastInboundAt: at })
        .onConflictDoUpdate({ target: [a.botId, a.channel, a.userId], set: { lastInboundAt: sql`max(${a.lastInboundAt}, ${at.getTime()})` } })
        .run();
    });
  }

  async lastInbound(address: ConversationAddress): Promise<Date | undefined> {
    const a = schema.customerActivity;
    return this.#lock.runExclusive(
      () => this.db.select().from(a).where(and(eq(a.botId, address.botId), eq(a.channel, address.channel), eq(a.userId, address.userId))).get()?.lastInboundAt,
    );
  }

  async savePlatformMessage(entry: { channel: string; platformId: string; outboxId: number; at: Date }): Promise<void> {
    const m = schema.platformMessages;
    await this.#lock.runExclusive(() => {
      this.db.insert(m).values({ channel: entry.channel, platformId: entry.platformId, outboxId: entry.outboxId, status: "accepted", updatedAt: entry.at }).onConflictDoNothing().run();
    });
  }

  async recordDeliveryStatus(status: { channel: string; platformId: string; status: string; error: string | null; at: Date }): Promise<number | undefined> {
    const m = schema.platformMessages;
    return this.#lock.runExclusive(() =>
      this.db.transaction((tx) => {
        const where = and(eq(m.channel, status.channel), eq(m.platformId, status.platformId));
        const row = tx.select().from(m).where(where).get();
        if (!row) return undefined;
        tx.update(m).set({ status: status.status, error: status.error, updatedAt: status.at }).where(where).run();
        if (status.error !== null) tx.update(schema.outbox).set({ lastError: status.error }).where(eq(schema.outbox.id, row.outboxId)).run();
        return row.outboxId;
      }),
    );
  }

  async deliveryStatuses(outboxId: number): Promise<Array<{ platformId: string; status: string; error: string | null }>> {
    const m = schema.platformMessages;
    return this.#lock.runExclusive(() =>
      this.db.select({ platformId: m.platformId, status: m.status, error: m.error }).from(m).where(eq(m.outboxId, outboxId)).orderBy(sql`${m.updatedAt} desc`).all(),
    );
  }

  async setUnreachable(address: ConversationAddress, reason: string | null, at: Date): Promise<boolean> {
    const u = schema.unreachableCustomers;
    return this.#lock.runExclusive(() => {
      // Applied only when no later change was: Telegram may deliver an old my_chat_member after a newer one.
      const result = this.db
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
    });
  }

  async unreachable(address: ConversationAddress): Promise<{ reason: string; since: Date } | undefined> {
    const u = schema.unreachableCustomers;
    return this.#lock.runExclusive(() =>
      this.db
        .select({ reason: u.reason, since: u.since })
        .from(u)
        .where(and(eq(u.botId, address.botId), eq(u.channel, address.channel), eq(u.userId, address.userId), isNotNull(u.reason)))
        .get() as { reason: string; since: Date } | undefined,
    );
  }

  async customerRecord(address: ConversationAddress): Promise<CustomerRecord> {
    // One read transaction: every table as of the same moment.
    return this.#lock.runExclusive(() => this.db.transaction((tx) => customers.customerRecord(tx as unknown as Db, address), { behavior: "deferred" }));
  }

  async eraseCustomer(address: ConversationAddress, at: Date): Promise<CustomerErasure> {
    return this.#lock.runExclusive(() => {
      // Deleted and rewritten cells are overwritten with zeros, not left readable in the file's free space.
      this.client.pragma("secure_delete = ON");
      try {
        // BEGIN IMMEDIATE, like a turn: no turn of this process or another can run between its reads and writes.
        return this.db.transaction((tx) => customers.eraseCustomer(tx as unknown as Db, address, at), { behavior: "immediate" });
      } finally {
        this.client.pragma("secure_delete = OFF");
      }
    });
  }

  async pruneSeenEvents(options: { windows: readonly SeenEventsWindow[]; otherwise: Date; after: string; limit: number }): Promise<PruneStep<string>> {
    return this.#lock.runExclusive(() => this.db.transaction((tx) => retention.pruneSeenEvents(tx as unknown as Db, options), { behavior: "immediate" }));
  }

  async pruneOutbox(options: { before: Date; afterId: number; limit: number }): Promise<PruneStep<number>> {
    return this.#lock.runExclusive(() => this.db.transaction((tx) => retention.pruneOutbox(tx as unknown as Db, options), { behavior: "immediate" }));
  }

  async emulatorClockOffset(): Promise<number | undefined> {
    const s = schema.storeSettings;
    const value = await this.#lock.runExclusive(() => this.db.select({ value: s.value }).from(s).where(eq(s.name, EMULATOR_CLOCK_OFFSET)).get()?.value);
    return value === undefined ? undefined : Number(value);
  }

  async saveEmulatorClockOffset(offsetMs: number): Promise<void> {
    const s = schema.storeSettings;
    const value = String(offsetMs);
    await this.#lock.runExclusive(() => this.db.insert(s).values({ name: EMULATOR_CLOCK_OFFSET, value }).onConflictDoUpdate({ target: s.name, set: { value } }).run());
  }
}
