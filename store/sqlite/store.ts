import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { Mutex } from "async-mutex";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Booking, BookingTransition, Order, OrderStatus, OrderTransition } from "../../commerce/index.ts";
import type { AdminChange, BookingsQuery, FlowVersionInUse, RecentOrdersQuery } from "../ports/admin-reads.ts";
import type { ApiKeyRow, NewApiKey } from "../ports/api-keys.ts";
import type { BookingFilter } from "../ports/bookings.ts";
import type { CheckoutSessionRow } from "../ports/checkout-sessions.ts";
import type { ConversationAddress } from "../ports/conversations.ts";
import type { CustomerErasure, CustomerRecord } from "../ports/customers.ts";
import type { OrderFilter } from "../ports/orders.ts";
import type { OutboxEntry, OutboxFailure, OutboxQuery, OutboxRow } from "../ports/outbox.ts";
import type { MerchantEvent, MerchantEventQuery } from "../ports/events.ts";
import type { RefundFilter, RefundRow, RefundStatus } from "../ports/refunds.ts";
import type { PruneStep, SeenEventsWindow } from "../ports/retention.ts";
import type { FunnelData } from "../ports/step-visits.ts";
import type { Store, TurnTx } from "../ports/store.ts";
import type { TimerRow } from "../ports/timers.ts";
import * as adminReads from "./admin-reads.ts";
import * as apiKeys from "./api-keys.ts";
import type { WebhookDelivery, WebhookDeliveryFilter } from "../ports/webhooks.ts";
import * as bookings from "./bookings.ts";
import * as channelState from "./channel-state.ts";
import { Checkpointer } from "./checkpointer.ts";
import * as checkoutSessions from "./checkout-sessions.ts";
import * as customers from "./customers.ts";
import * as flowVersions from "./flow-versions.ts";
import * as inspect from "./inspect-queries.ts";
import * as orders from "./orders.ts";
import { OutboxDrain } from "./outbox.ts";
import { prepareQueries, type Db, type Queries } from "./queries.ts";
import * as events from "./events.ts";
import * as refunds from "./refunds.ts";
import * as retention from "./retention.ts";
import * as schema from "./schema.ts";
import * as settings from "./settings.ts";
import * as stepVisits from "./step-visits.ts";
import * as stock from "./stock.ts";
import * as timers from "./timers.ts";
import { SqliteTurnTx } from "./turn-tx.ts";
import * as webhooks from "./webhooks.ts";

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

/**
 * The Store on one connection. Calls run under the turns' mutex (orderHistory
 * only waits for it): reading beside an open turn on this connection would
 * see its uncommitted rows. The SQL of each concern lives in its own module.
 */
class SqliteStore implements Store {
  readonly dialect = "sqlite";
  readonly #lock = new Mutex();
  readonly #tx: SqliteTurnTx;
  readonly #q: Queries;
  readonly #outbox: OutboxDrain;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  #closed = false;

  constructor(
    private readonly client: Database.Database,
    private readonly db: Db,
    private readonly checkpointer: Checkpointer | undefined,
  ) {
    this.#q = prepareQueries(db);
    this.#tx = new SqliteTurnTx(db, this.#q);
    this.#outbox = new OutboxDrain(this.#q);
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

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#lock.waitForUnlock();
    await this.checkpointer?.close();
    this.client.close();
  }

  async seedStock(botId: string, units: ReadonlyArray<{ productId: string; units: number }>): Promise<void> {
    if (units.length === 0) return;
    await this.#lock.runExclusive(() => stock.seedStock(this.db, botId, units));
  }

  async pendingOutbox(now: Date, limit: number): Promise<OutboxRow[]> {
    return this.#lock.runExclusive(() => this.#outbox.pending(now, limit));
  }

  async unsentOutboxCount(): Promise<number> {
    return this.#lock.runExclusive(() => this.#outbox.unsentCount());
  }

  async markSent(ids: readonly number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.#lock.runExclusive(() => {
      this.#begin.run();
      try {
        this.#outbox.markSent(ids, at);
        this.#commit.run();
      } catch (error) {
        if (this.client.inTransaction) this.#rollback.run();
        throw error;
      }
    });
  }

  async markFailed(id: number, failure: OutboxFailure): Promise<void> {
    await this.#lock.runExclusive(() => this.#outbox.markFailed(id, failure));
  }

  async conversationOutbox(address: ConversationAddress, query: OutboxQuery = {}): Promise<OutboxEntry[]> {
    return this.#lock.runExclusive(() => inspect.conversationOutbox(this.db, address, query));
  }

  async dueTimers(now: Date, limit: number): Promise<TimerRow[]> {
    return this.#lock.runExclusive(() => timers.dueTimers(this.#q, now, limit));
  }

  async conversationTimers(address: ConversationAddress): Promise<TimerRow[]> {
    return this.#lock.runExclusive(() => inspect.conversationTimers(this.db, address));
  }

  async deleteConversation(address: ConversationAddress): Promise<boolean> {
    return this.#lock.runExclusive(() => inspect.deleteConversation(this.db, address));
  }

  async listOrders(filter: OrderFilter): Promise<Order[]> {
    return this.#lock.runExclusive(() => orders.listOrders(this.db, filter));
  }

  async orderHistory(id: string): Promise<OrderTransition[]> {
    await this.#lock.waitForUnlock();
    return orders.orderHistory(this.db, id);
  }

  async pendingRefunds(now: Date, limit: number): Promise<RefundRow[]> {
    return this.#lock.runExclusive(() => refunds.pendingRefunds(this.db, now, limit));
  }

  async settleRefund(id: number, status: Exclude<RefundStatus, "pending">, note: string | null, at: Date): Promise<void> {
    await this.#lock.runExclusive(() => refunds.settleRefund(this.db, id, status, note, at));
  }

  async retryRefund(id: number, error: string, retryAt: Date, at: Date): Promise<void> {
    await this.#lock.runExclusive(() => refunds.retryRefund(this.db, id, error, retryAt, at));
  }

  async listRefunds(filter: RefundFilter): Promise<RefundRow[]> {
    return this.#lock.runExclusive(() => refunds.listRefunds(this.db, filter));
  }

  async listEvents(query: MerchantEventQuery): Promise<MerchantEvent[]> {
    return this.#lock.runExclusive(() => events.listEvents(this.db, query));
  }

  async listBookings(filter: BookingFilter): Promise<Booking[]> {
    return this.#lock.runExclusive(() => bookings.listBookings(this.db, filter));
  }

  async bookingHistory(id: string): Promise<BookingTransition[]> {
    return this.#lock.runExclusive(() => bookings.bookingHistory(this.db, id));
  }

  async saveFlowVersion(version: { botId: string; flowId: string; key: string; flow: unknown; at: Date }): Promise<void> {
    await this.#lock.runExclusive(() => flowVersions.saveFlowVersion(this.db, version));
  }

  async pruneFlowVersions(botId: string, current: ReadonlyArray<{ flowId: string; key: string }>): Promise<number> {
    return this.#lock.runExclusive(() => flowVersions.pruneFlowVersions(this.db, botId, current));
  }

  async checkoutSession(orderId: string): Promise<CheckoutSessionRow | undefined> {
    return this.#lock.runExclusive(() => checkoutSessions.checkoutSession(this.db, orderId));
  }

  async saveCheckoutSession(session: CheckoutSessionRow): Promise<CheckoutSessionRow> {
    return this.#lock.runExclusive(() => checkoutSessions.saveCheckoutSession(this.db, session));
  }

  async checkoutSessionsToClose(limit: number): Promise<Array<CheckoutSessionRow & { readonly orderStatus: OrderStatus }>> {
    return this.#lock.runExclusive(() => checkoutSessions.checkoutSessionsToClose(this.db, limit));
  }

  async closeCheckoutSession(orderId: string, at: Date, note: string): Promise<void> {
    await this.#lock.runExclusive(() => checkoutSessions.closeCheckoutSession(this.db, orderId, at, note));
  }

  async botFrameworkReference(botId: string, userId: string): Promise<unknown> {
    return this.#lock.runExclusive(() => channelState.botFrameworkReference(this.db, botId, userId));
  }

  async saveBotFrameworkReference(botId: string, userId: string, reference: unknown, at: Date): Promise<void> {
    await this.#lock.runExclusive(() => channelState.saveBotFrameworkReference(this.db, botId, userId, reference, at));
  }

  async recordInbound(address: ConversationAddress, at: Date): Promise<void> {
    await this.#lock.runExclusive(() => channelState.recordInbound(this.db, address, at));
  }

  async lastInbound(address: ConversationAddress): Promise<Date | undefined> {
    return this.#lock.runExclusive(() => channelState.lastInbound(this.db, address));
  }

  async savePlatformMessage(entry: { channel: string; platformId: string; outboxId: number; at: Date }): Promise<void> {
    await this.#lock.runExclusive(() => channelState.savePlatformMessage(this.db, entry));
  }

  async recordDeliveryStatus(status: { channel: string; platformId: string; status: string; error: string | null; at: Date }): Promise<number | undefined> {
    return this.#lock.runExclusive(() => channelState.recordDeliveryStatus(this.db, status));
  }

  async deliveryStatuses(outboxId: number): Promise<Array<{ platformId: string; status: string; error: string | null }>> {
    return this.#lock.runExclusive(() => channelState.deliveryStatuses(this.db, outboxId));
  }

  async setUnreachable(address: ConversationAddress, reason: string | null, at: Date): Promise<boolean> {
    return this.#lock.runExclusive(() => channelState.setUnreachable(this.db, address, reason, at));
  }

  async unreachable(address: ConversationAddress): Promise<{ reason: string; since: Date } | undefined> {
    return this.#lock.runExclusive(() => channelState.unreachable(this.db, address));
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
    return this.#lock.runExclusive(() => settings.emulatorClockOffset(this.db));
  }

  async saveEmulatorClockOffset(offsetMs: number): Promise<void> {
    await this.#lock.runExclusive(() => settings.saveEmulatorClockOffset(this.db, offsetMs));
  }

  async setting(name: string): Promise<string | undefined> {
    return this.#lock.runExclusive(() => settings.setting(this.db, name));
  }

  async saveSetting(name: string, value: string): Promise<void> {
    await this.#lock.runExclusive(() => settings.saveSetting(this.db, name, value));
  }

  async createApiKey(key: NewApiKey): Promise<ApiKeyRow> {
    return this.#lock.runExclusive(() => apiKeys.createApiKey(this.db, key));
  }

  async apiKeyByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return this.#lock.runExclusive(() => apiKeys.apiKeyByHash(this.db, hash));
  }

  async listApiKeys(filter: { readonly botId?: string }): Promise<ApiKeyRow[]> {
    return this.#lock.runExclusive(() => apiKeys.listApiKeys(this.db, filter));
  }

  async revokeApiKey(id: number, at: Date): Promise<boolean> {
    return this.#lock.runExclusive(() => apiKeys.revokeApiKey(this.db, id, at));
  }

  async recentOrders(query: RecentOrdersQuery): Promise<Order[]> {
    return this.#lock.runExclusive(() => adminReads.recentOrders(this.db, query));
  }

  async bookingsBetween(query: BookingsQuery): Promise<Booking[]> {
    return this.#lock.runExclusive(() => adminReads.bookingsBetween(this.db, query));
  }

  async stockLevels(botId: string): Promise<Array<{ readonly productId: string; readonly units: number }>> {
    return this.#lock.runExclusive(() => adminReads.stockLevels(this.db, botId));
  }

  async flowVersionsInUse(botId: string): Promise<FlowVersionInUse[]> {
    return this.#lock.runExclusive(() => adminReads.flowVersionsInUse(this.db, botId));
  }

  async orderOf(botId: string, id: string): Promise<Order | undefined> {
    return this.#lock.runExclusive(() => adminReads.orderOf(this.db, botId, id));
  }

  async setStockLevel(change: { readonly botId: string; readonly productId: string; readonly units: number; readonly keyId: number; readonly at: Date }): Promise<number | null> {
    // BEGIN IMMEDIATE, like a turn: the units and the record of who set them are written together.
    return this.#lock.runExclusive(() => this.db.transaction((tx) => adminReads.setStockLevel(tx as unknown as Db, change), { behavior: "immediate" }));
  }

  async adminChanges(botId: string, limit: number): Promise<AdminChange[]> {
    return this.#lock.runExclusive(() => adminReads.adminChanges(this.db, botId, limit));
  }

  async enqueueWebhookEvents(botId: string, endpoint: string, now: Date, limit: number): Promise<number> {
    return this.#lock.runExclusive(() => this.db.transaction((tx) => webhooks.enqueueWebhookEvents(tx as unknown as Db, botId, endpoint, now, limit), { behavior: "immediate" }));
  }

  async claimWebhookDeliveries(botIds: readonly string[], now: Date, leaseUntil: Date, limit: number): Promise<WebhookDelivery[]> {
    return this.#lock.runExclusive(() => this.db.transaction((tx) => webhooks.claimWebhookDeliveries(tx as unknown as Db, botIds, now, leaseUntil, limit), { behavior: "immediate" }));
  }

  async markWebhookDelivered(eventId: string, at: Date): Promise<void> {
    await this.#lock.runExclusive(() => webhooks.markWebhookDelivered(this.db, eventId, at));
  }

  async retryWebhookDelivery(eventId: string, error: string, retryAt: Date, at: Date): Promise<void> {
    await this.#lock.runExclusive(() => webhooks.retryWebhookDelivery(this.db, eventId, error, retryAt, at));
  }

  async giveUpWebhookDelivery(eventId: string, error: string, at: Date): Promise<void> {
    await this.#lock.runExclusive(() => webhooks.giveUpWebhookDelivery(this.db, eventId, error, at));
  }

  async retryGivenUpWebhook(eventId: string, at: Date): Promise<boolean> {
    return this.#lock.runExclusive(() => webhooks.retryGivenUpWebhook(this.db, eventId, at));
  }

  async listWebhookDeliveries(filter: WebhookDeliveryFilter): Promise<WebhookDelivery[]> {
    return this.#lock.runExclusive(() => webhooks.listWebhookDeliveries(this.db, filter));
  }

  async funnelData(query: { readonly botId: string; readonly since?: Date }): Promise<FunnelData> {
    // One read transaction: visits, conversations and orders as of the same moment.
    return this.#lock.runExclusive(() => this.db.transaction((tx) => stepVisits.funnelData(tx as unknown as Db, query), { behavior: "deferred" }));
  }
}
