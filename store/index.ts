export { openSqliteStore } from "./sqlite/store.ts";
export type { SqliteStoreOptions } from "./sqlite/store.ts";
export { VersionConflictError } from "./errors.ts";
export { ERASED_REASON, PSEUDONYM_PREFIX } from "./sqlite/customers.ts";
export { API_KEY_PREFIX, apiKeyHash, newApiKey } from "./api-keys.ts";

// The port: Store and TurnTx, each the sum of one small interface per concern.
export type { Store, TurnTx } from "./ports/store.ts";
export type { ConversationAddress, ConversationRow, ConversationStore, ConversationTx } from "./ports/conversations.ts";
export type { StockStore, StockTx } from "./ports/stock.ts";
export type { NewOrder, OrderFilter, PaymentRecord, OrderStore, OrderTx } from "./ports/orders.ts";
export type { NewRefund, RefundFilter, RefundRow, RefundStatus, RefundStore, RefundTx } from "./ports/refunds.ts";
export { MERCHANT_EVENT_TYPES } from "./ports/events.ts";
export type { EventData, EventStore, EventTx, EventValue, MerchantEvent, MerchantEventQuery, MerchantEventType, NewMerchantEvent } from "./ports/events.ts";
export type { NewBooking, BookingFilter, BookingMove, BookingAmounts, BookingStore, BookingTx } from "./ports/bookings.ts";
export type { OutboxRow, OutboxFailure, OutboxEntry, OutboxQuery, OutboxStore, OutboxTx } from "./ports/outbox.ts";
export type { TimerSpec, TimerRow, TimerStore, TimerTx } from "./ports/timers.ts";
export type { FlowVersionStore, FlowVersionTx } from "./ports/flow-versions.ts";
export type { CheckoutSessionRow, CheckoutStore } from "./ports/checkout-sessions.ts";
export type { ChannelStateStore } from "./ports/channel-state.ts";
export type { CustomerRecord, CustomerErasure, StatusChange, CustomerDataStore } from "./ports/customers.ts";
export type { SeenEventsWindow, PruneStep, RetentionStore } from "./ports/retention.ts";
export type { SettingsStore } from "./ports/settings.ts";
export type { ApiKeyRow, ApiKeyScope, ApiKeyStore, NewApiKey } from "./ports/api-keys.ts";
export type { AdminChange, AdminReadStore, BookingsQuery, FlowVersionInUse, RecentOrdersQuery } from "./ports/admin-reads.ts";
export type { WebhookDelivery, WebhookDeliveryFilter, WebhookDeliveryStatus, WebhookStore } from "./ports/webhooks.ts";
export type { ConversationPlace, FunnelData, PaidOrder, StepVisit, StepVisitRow, StepVisitStore, StepVisitTx } from "./ports/step-visits.ts";
