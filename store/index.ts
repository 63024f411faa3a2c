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
} from "./types.ts";
