export { openSqliteStore } from "./sqlite/store.ts";
export type { SqliteStoreOptions } from "./sqlite/store.ts";
export { VersionConflictError } from "./errors.ts";
export type {
  Store,
  TurnTx,
  ConversationAddress,
  ConversationRow,
  NewOrder,
  NewBooking,
  BookingFilter,
  BookingMove,
  BookingAmounts,
  OrderFilter,
  OutboxRow,
  OutboxFailure,
  OutboxEntry,
  OutboxQuery,
  TimerSpec,
  TimerRow,
  CheckoutSessionRow,
  NewRefund,
  RefundFilter,
  PaymentRecord,
  RefundRow,
  RefundStatus,
  CustomerRecord,
  CustomerErasure,
  SeenEventsWindow,
  PruneStep,
  StatusChange,
} from "./types.ts";
export { ERASED_REASON, PSEUDONYM_PREFIX } from "./sqlite/customers.ts";
