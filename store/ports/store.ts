import type { AdminReadStore } from "./admin-reads.ts";
import type { ApiKeyStore } from "./api-keys.ts";
import type { BookingStore, BookingTx } from "./bookings.ts";
import type { ChannelStateStore } from "./channel-state.ts";
import type { CheckoutStore } from "./checkout-sessions.ts";
import type { ConversationStore, ConversationTx } from "./conversations.ts";
import type { CustomerDataStore } from "./customers.ts";
import type { EventStore, EventTx } from "./events.ts";
import type { FlowVersionStore, FlowVersionTx } from "./flow-versions.ts";
import type { OrderStore, OrderTx } from "./orders.ts";
import type { OutboxStore, OutboxTx } from "./outbox.ts";
import type { RefundStore, RefundTx } from "./refunds.ts";
import type { RetentionStore } from "./retention.ts";
import type { SettingsStore } from "./settings.ts";
import type { StepVisitStore, StepVisitTx } from "./step-visits.ts";
import type { StockStore, StockTx } from "./stock.ts";
import type { TimerStore, TimerTx } from "./timers.ts";
import type { WebhookStore } from "./webhooks.ts";

/** Everything one turn may read and write, inside one transaction. */
export interface TurnTx extends ConversationTx, StockTx, OrderTx, RefundTx, BookingTx, OutboxTx, TimerTx, FlowVersionTx, EventTx, StepVisitTx {}

/**
 * The storage port: one small interface per concern beside this file, and
 * the transaction that runs a turn. One implementation per dialect lives in
 * its own folder (store/sqlite/); nothing outside store/ writes SQL.
 */
export interface Store
  extends ConversationStore,
    StockStore,
    OrderStore,
    RefundStore,
    EventStore,
    BookingStore,
    OutboxStore,
    TimerStore,
    FlowVersionStore,
    CheckoutStore,
    ChannelStateStore,
    CustomerDataStore,
    RetentionStore,
    SettingsStore,
    ApiKeyStore,
    AdminReadStore,
    WebhookStore,
    StepVisitStore {
  readonly dialect: "sqlite" | "postgres";
  /** Runs `fn` in one transaction; everything it wrote is rolled back if it throws. */
  transaction<T>(fn: (tx: TurnTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
