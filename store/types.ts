import type { OutboundMessage } from "../core/message.ts";
import type {
  Appointment,
  Booking,
  BookingStatus,
  BookingTransition,
  Order,
  OrderItem,
  OrderStatus,
  OrderShipping,
  OrderTransition,
  PaymentReport,
} from "../commerce/index.ts";

/** Who a conversation is with: one customer of one bot on one channel. */
export interface ConversationAddress {
  readonly botId: string;
  readonly channel: string;
  readonly userId: string;
}

/** A conversation as the store keeps it; `data` is the engine's JSON, opaque here. */
export interface ConversationRow extends ConversationAddress {
  readonly flowId: string;
  readonly flowVersion: string;
  readonly stepId: string | null;
  readonly locale: string;
  readonly data: unknown;
  /** Compare-and-swap counter: each saved turn adds one. */
  readonly version: number;
  readonly updatedAt: Date;
}

export interface NewOrder extends ConversationAddress {
  readonly items: readonly OrderItem[];
  readonly total: number;
  readonly currency: string;
  readonly status: OrderStatus;
  readonly cause: string;
  readonly at: Date;
}

export interface OutboxRow extends ConversationAddress {
  readonly id: number;
  readonly message: OutboundMessage;
  readonly attempts: number;
  /**
   * Platform calls of this message made by earlier attempts, when it takes
   * several (see adapters/call-progress.ts): the next attempt starts after
   * them. Absent or 0 for a fresh message.
   */
  readonly callsDone?: number;
  /**
   * Set by `pendingOutbox` when the customer cannot be reached on this
   * channel (see `setUnreachable`): why. The outbox then records the
   * message as not delivered instead of sending it.
   */
  readonly unreachable?: string;
}

/** What `markFailed` records about a failed send. */
export interface OutboxFailure {
  /** Kept on the row as its last error. */
  readonly error: string;
  /** When to try again; null gives up on the message (kept for inspection, never retried). */
  readonly retryAt: Date | null;
  /** Platform calls of the message made so far, when it takes several; the next attempt starts after them. Unchanged when absent. */
  readonly callsDone?: number;
}

export interface TimerSpec extends ConversationAddress {
  /** Unique per timer: scheduling the same key again replaces it. */
  readonly key: string;
  readonly name: string;
  readonly data: Readonly<Record<string, string | number | boolean | null>>;
  readonly fireAt: Date;
}

export interface TimerRow extends TimerSpec {
  readonly id: number;
}

export interface OrderFilter {
  readonly botId?: string;
  readonly channel?: string;
  readonly userId?: string;
  readonly status?: OrderStatus;
}

/** A hold to place: it becomes a `held` booking if its resource is free over `[start, end)`. */
export interface NewBooking extends ConversationAddress {
  readonly serviceId: string;
  readonly resourceId: string;
  readonly start: Date;
  readonly end: Date;
  readonly price: number;
  readonly deposit: number;
  readonly currency: string;
  /** Until when a cancellation refunds the deposit; null: never. */
  readonly freeCancelUntil: Date | null;
  readonly cause: string;
  readonly at: Date;
}

/** Where a confirmed booking moves to when rescheduled. */
export interface BookingMove {
  readonly resourceId: string;
  readonly start: Date;
  readonly end: Date;
  readonly freeCancelUntil: Date | null;
}

export interface BookingFilter {
  readonly botId?: string;
  readonly channel?: string;
  readonly userId?: string;
  readonly resourceId?: string;
  readonly status?: BookingStatus;
}

/** Deposit amounts a booking transition sets, e.g. the deposit paid on confirming. */
export interface BookingAmounts {
  readonly depositPaid?: number;
  readonly depositRefunded?: number;
}

/** Everything one turn may read and write, inside one transaction. */
export interface TurnTx {
  /** Records an idempotency key; false when it was seen before (drop the event). */
  markEventSeen(key: string, at: Date): Promise<boolean>;
  loadConversation(address: ConversationAddress): Promise<ConversationRow | undefined>;
  /**
   * Saves with compare-and-swap: `expectedVersion` is the version loaded (0 for
   * a new conversation). Throws `VersionConflictError` when someone else won.
   */
  saveConversation(row: Omit<ConversationRow, "version">, expectedVersion: number): Promise<number>;

  /** Units left, or null when the product's stock is not tracked. */
  stockLeft(botId: string, productId: string): Promise<number | null>;
  /** Takes `quantity` units if that many are left; false (and nothing taken) otherwise. */
  reserveStock(botId: string, productId: string, quantity: number): Promise<boolean>;
  releaseStock(botId: string, productId: string, quantity: number): Promise<void>;

  createOrder(order: NewOrder): Promise<Order>;
  getOrder(id: string): Promise<Order | undefined>;
  /** Moves an order between statuses, recording the cause; false if it was no longer in `from`. */
  transitionOrder(id: string, from: OrderStatus, to: OrderStatus, cause: string, at: Date): Promise<boolean>;
  listOrders(filter: OrderFilter): Promise<Order[]>;
  /** Records a provider report once; false when (provider, reference) was seen before. */
  recordPayment(report: PaymentReport, at: Date): Promise<boolean>;
  /** The succeeded payment that paid an order (the first, if several arrived), or undefined. */
  paymentOf(orderId: string): Promise<PaymentRecord | undefined>;
  /** Records where and how an order ships, adding the shipping's price to its total; false when it had shipping already. */
  setOrderShipping(orderId: string, shipping: OrderShipping, at: Date): Promise<boolean>;
  /** Records money owed back for one payment; false (and nothing changed) when that payment's refund was recorded before. */
  recordRefund(refund: NewRefund): Promise<boolean>;

  /**
   * Places a `held` booking unless a held or confirmed booking of the same
   * resource overlaps `[start, end)`; undefined when the time is taken.
   */
  holdSlot(booking: NewBooking): Promise<Booking | undefined>;
  getBooking(id: string): Promise<Booking | undefined>;
  /**
   * Moves a booking between statuses, recording the cause; false if it was no
   * longer in `from`. Throws `CommerceError("invalid_transition")` for a move
   * the booking state machine forbids.
   */
  transitionBooking(id: string, from: BookingStatus, to: BookingStatus, cause: string, at: Date, amounts?: BookingAmounts): Promise<boolean>;
  listBookings(filter: BookingFilter): Promise<Booking[]>;
  /** Links a held booking to the order that pays its deposit. */
  setDepositOrder(bookingId: string, orderId: string): Promise<void>;
  /** The booking whose deposit an order pays, if any. */
  bookingByOrder(orderId: string): Promise<Booking | undefined>;
  /**
   * Moves a confirmed booking to another time (and resource) unless a held or
   * confirmed booking other than itself overlaps it there; records the move
   * as a confirmed → confirmed transition. Undefined when the time is taken
   * or the booking is no longer confirmed.
   */
  rescheduleBooking(id: string, move: BookingMove, cause: string, at: Date): Promise<Booking | undefined>;
  /** Held and confirmed bookings of the bot overlapping `[from, to)`, as input for slot generation. */
  busyAppointments(botId: string, from: Date, to: Date): Promise<Appointment[]>;

  enqueue(address: ConversationAddress, messages: readonly OutboundMessage[], at: Date): Promise<number[]>;
  scheduleTimer(timer: TimerSpec): Promise<void>;
  cancelTimer(key: string): Promise<void>;
  /** Deletes a due timer as its turn runs; false when another turn already took it. */
  takeTimer(id: number): Promise<boolean>;
  /** A kept flow version's IR (see Store.saveFlowVersion), or undefined. */
  loadFlowVersion(botId: string, flowId: string, key: string): Promise<unknown>;
}

/**
 * The storage port. One implementation per dialect lives beside this file;
 * nothing outside store/ writes SQL.
 */
export interface Store {
  readonly dialect: "sqlite" | "postgres";
  /** Runs `fn` in one transaction; everything it wrote is rolled back if it throws. */
  transaction<T>(fn: (tx: TurnTx) => Promise<T>): Promise<T>;

  /** Seeds stock for products the store has not seen; existing stock is kept. */
  seedStock(botId: string, stock: ReadonlyArray<{ productId: string; units: number }>): Promise<void>;

  /**
   * Unsent messages due at `now`, oldest first. A message queued behind an
   * earlier one to the same conversation that waits for its retry is left out
   * until that one is sent or given up on: a customer reads them in order.
   * Each row carries its `callsDone`, and `unreachable` when its customer
   * cannot be reached (read in the same query: no extra call per message).
   */
  pendingOutbox(now: Date, limit: number): Promise<OutboxRow[]>;
  /** How many messages are neither sent nor given up on (due now or waiting for a retry): what a next start sends. */
  unsentOutboxCount(): Promise<number>;
  /** Marks messages sent, in one write. */
  markSent(ids: readonly number[], at: Date): Promise<void>;
  /** Records a failed send (and its progress) in one write. */
  markFailed(id: number, failure: OutboxFailure): Promise<void>;

  dueTimers(now: Date, limit: number): Promise<TimerRow[]>;

  /** Refunds still to ask a provider for, due at `now`, oldest first. */
  pendingRefunds(now: Date, limit: number): Promise<RefundRow[]>;
  /** Closes a refund: `refunded` by the provider, `manual` for the business to do, `failed` given up. */
  settleRefund(id: number, status: Exclude<RefundStatus, "pending">, note: string | null, at: Date): Promise<void>;
  /** Counts a failed attempt and sets when to try again. */
  retryRefund(id: number, error: string, retryAt: Date, at: Date): Promise<void>;
  listRefunds(filter: RefundFilter): Promise<RefundRow[]>;

  listOrders(filter: OrderFilter): Promise<Order[]>;
  orderHistory(id: string): Promise<OrderTransition[]>;
  listBookings(filter: BookingFilter): Promise<Booking[]>;
  bookingHistory(id: string): Promise<BookingTransition[]>;

  /** Keeps a flow version (IR as JSON); saving one already kept changes nothing. */
  saveFlowVersion(version: { botId: string; flowId: string; key: string; flow: unknown; at: Date }): Promise<void>;
  /** Drops the bot's versions that are neither in `current` nor used by any conversation; returns how many. */
  pruneFlowVersions(botId: string, current: ReadonlyArray<{ flowId: string; key: string }>): Promise<number>;

  close(): Promise<void>;

  /** One conversation's outbox rows, sent or not, oldest first (the emulator's history and inspector). */
  conversationOutbox(address: ConversationAddress, query?: OutboxQuery): Promise<OutboxEntry[]>;
  /** One conversation's pending timers, soonest first. */
  conversationTimers(address: ConversationAddress): Promise<TimerRow[]>;
  /**
   * Forgets a conversation (the emulator's reset): its next event starts
   * afresh. Its orders, bookings, outbox and timers stay: they are the
   * business's records. False when there was none.
   */
  deleteConversation(address: ConversationAddress): Promise<boolean>;

  /** The checkout session kept for an order, if any. */
  checkoutSession(orderId: string): Promise<CheckoutSessionRow | undefined>;
  /** Keeps an order's checkout session; when one is kept already, returns that one and changes nothing. */
  saveCheckoutSession(session: CheckoutSessionRow): Promise<CheckoutSessionRow>;
  /**
   * Up to `limit` kept sessions not closed yet whose order no longer awaits
   * payment (paid, expired, cancelled…), oldest order first, with that status.
   */
  checkoutSessionsToClose(limit: number): Promise<Array<CheckoutSessionRow & { readonly orderStatus: OrderStatus }>>;
  /** Marks an order's session closed (`note`: what closing it did); the sweep no longer returns it. */
  closeCheckoutSession(orderId: string, at: Date, note: string): Promise<void>;

  /** The Bot Framework conversation reference kept for a customer (opaque JSON, see adapters/botframework), or undefined. */
  botFrameworkReference(botId: string, userId: string): Promise<unknown>;
  /** Keeps a customer's latest Bot Framework conversation reference, replacing the one kept. */
  saveBotFrameworkReference(botId: string, userId: string, reference: unknown, at: Date): Promise<void>;

  /** Records that the customer wrote at `at` (Messenger and WhatsApp allow free-form messages for 24 h after). */
  recordInbound(address: ConversationAddress, at: Date): Promise<void>;
  /** When the customer last wrote, or undefined when never. */
  lastInbound(address: ConversationAddress): Promise<Date | undefined>;
  /** Keeps the platform's id of a sent outbox message (WhatsApp's wamid), so its statuses can be recorded against it. */
  savePlatformMessage(entry: { readonly channel: string; readonly platformId: string; readonly outboxId: number; readonly at: Date }): Promise<void>;
  /**
   * Records a platform's delivery status of a message it sent; a failure also
   * becomes the outbox row's last error. Returns the outbox id, or undefined
   * when no sent message has this platform id.
   */
  recordDeliveryStatus(status: { readonly channel: string; readonly platformId: string; readonly status: string; readonly error: string | null; readonly at: Date }): Promise<number | undefined>;
  /** A sent message's platform id, last status and error, by outbox id (newest first). */
  deliveryStatuses(outboxId: number): Promise<Array<{ readonly platformId: string; readonly status: string; readonly error: string | null }>>;

  /**
   * Marks a customer unreachable on their channel (`reason`, e.g. "customer
   * blocked the bot"), or reachable again with null. While unreachable their
   * messages are recorded as not delivered instead of being sent. `at` is
   * when the change happened by the platform's clock; a change older than
   * the last one applied is ignored (false).
   */
  setUnreachable(address: ConversationAddress, reason: string | null, at: Date): Promise<boolean>;
  /** Why and since when a customer is unreachable, or undefined when they are reachable. */
  unreachable(address: ConversationAddress): Promise<{ readonly reason: string; readonly since: Date } | undefined>;

  /** Everything held about one customer, read in one snapshot (`kiosk customers export`). */
  customerRecord(address: ConversationAddress): Promise<CustomerRecord>;
  /**
   * Removes a customer's personal data from every table in one transaction
   * and keeps their orders, bookings, payments and refunds under a stable
   * pseudonym (see store/sqlite/customers.ts for each table). Idempotent.
   * A turn of theirs running at the same time either commits before (and
   * is erased) or starts after, on a fresh conversation.
   */
  eraseCustomer(address: ConversationAddress, at: Date): Promise<CustomerErasure>;
  /**
   * One bounded step of dropping idempotency keys past their window: among
   * the `limit` keys after `after`, those recorded before the window of
   * their longest matching prefix (else before `otherwise`).
   */
  pruneSeenEvents(options: { readonly windows: readonly SeenEventsWindow[]; readonly otherwise: Date; readonly after: string; readonly limit: number }): Promise<PruneStep<string>>;
  /** One bounded step of dropping messages sent or given up on that were queued before `before`, from id `afterId` on. */
  pruneOutbox(options: { readonly before: Date; readonly afterId: number; readonly limit: number }): Promise<PruneStep<number>>;
  /** The emulator clock's saved lead over real time in ms, or undefined when none was saved. */
  emulatorClockOffset(): Promise<number | undefined>;
  /** Saves the emulator clock's lead over real time. */
  saveEmulatorClockOffset(offsetMs: number): Promise<void>;
}

/** A succeeded payment as recorded. */
export interface PaymentRecord {
  readonly provider: string;
  readonly reference: string;
  readonly providerReference?: string;
  readonly amount: number;
  readonly currency: string;
  readonly at: Date;
}

/**
 * `pending`: to ask the provider; `refunded`: the provider refunded it;
 * `manual`: the provider has no refund call (Telegram payments through a
 * card provider), so the business refunds by hand; `failed`: the provider
 * refused for good.
 */
export type RefundStatus = "pending" | "refunded" | "manual" | "failed";

export interface RefundFilter {
  readonly botId?: string;
  readonly channel?: string;
  readonly userId?: string;
  readonly orderId?: string;
  readonly status?: RefundStatus;
}

export interface NewRefund extends ConversationAddress {
  readonly orderId: string;
  readonly provider: string;
  readonly paymentReference: string;
  readonly providerReference?: string;
  readonly amount: number;
  readonly currency: string;
  /** Why the money goes back: "booking #4 cancelled in time", "payment arrived after the order expired". */
  readonly reason: string;
  readonly at: Date;
}

export interface RefundRow extends ConversationAddress {
  readonly id: number;
  readonly orderId: string;
  readonly provider: string;
  readonly paymentReference: string;
  readonly providerReference: string | null;
  readonly amount: number;
  readonly currency: string;
  readonly reason: string;
  readonly status: RefundStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The hosted checkout session of an order (see commerce/checkout). */
export interface CheckoutSessionRow {
  readonly orderId: string;
  readonly provider: string;
  readonly sessionId: string;
  readonly url: string;
  readonly createdAt: Date;
}

/** An outbox row as the inspector shows it. */
export interface OutboxEntry extends OutboxRow {
  readonly createdAt: Date;
  /** Null while unsent. */
  readonly sentAt: Date | null;
  /** Null when sent, or given up on after `lastError`. */
  readonly nextAttemptAt: Date | null;
  readonly lastError: string | null;
}

export interface OutboxQuery {
  /** Only rows with a greater id. */
  readonly afterId?: number;
  /** At most this many rows (capped at 1000). */
  readonly limit?: number;
  /** The newest `limit` rows instead of the oldest (still returned oldest first). */
  readonly newest?: boolean;
}

/** A dated change of an order's or booking's status, as exported. */
export interface StatusChange {
  readonly from: string;
  readonly to: string;
  readonly cause: string;
  readonly at: Date;
}

/**
 * Everything the store holds about one customer of one bot on one channel
 * (`kiosk customers export`). Money is in minor units beside its currency;
 * `conversation.state` is the engine's JSON (slots included), as saved.
 */
export interface CustomerRecord {
  readonly address: ConversationAddress;
  readonly conversation:
    | { readonly flowId: string; readonly flowVersion: string; readonly stepId: string | null; readonly locale: string; readonly state: unknown; readonly version: number; readonly updatedAt: Date }
    | undefined;
  readonly orders: ReadonlyArray<{
    readonly id: string;
    readonly status: string;
    readonly items: unknown;
    readonly total: number;
    readonly currency: string;
    readonly shipping: unknown;
    readonly createdAt: Date;
    readonly updatedAt: Date;
    readonly history: readonly StatusChange[];
    readonly payments: ReadonlyArray<{
      readonly provider: string;
      readonly reference: string;
      readonly providerReference: string | null;
      readonly outcome: string;
      readonly amount: number;
      readonly currency: string;
      readonly at: Date;
    }>;
    readonly checkoutSession:
      | { readonly provider: string; readonly sessionId: string; readonly url: string; readonly createdAt: Date; readonly closedAt: Date | null; readonly closeNote: string | null }
      | undefined;
  }>;
  readonly bookings: ReadonlyArray<{
    readonly id: string;
    readonly serviceId: string;
    readonly resourceId: string;
    readonly start: Date;
    readonly end: Date;
    readonly status: string;
    readonly price: number;
    readonly deposit: number;
    readonly depositPaid: number;
    readonly depositRefunded: number;
    readonly currency: string;
    readonly orderId: string | null;
    readonly freeCancelUntil: Date | null;
    readonly createdAt: Date;
    readonly updatedAt: Date;
    readonly history: readonly StatusChange[];
  }>;
  readonly refunds: ReadonlyArray<Omit<RefundRow, keyof ConversationAddress>>;
  readonly outbox: ReadonlyArray<{
    readonly id: number;
    readonly message: unknown;
    readonly createdAt: Date;
    readonly sentAt: Date | null;
    readonly attempts: number;
    readonly nextAttemptAt: Date | null;
    readonly lastError: string | null;
    /** What the platform reported about it (WhatsApp's statuses). */
    readonly deliveries: ReadonlyArray<{ readonly platformId: string; readonly status: string; readonly error: string | null; readonly updatedAt: Date }>;
  }>;
  readonly timers: ReadonlyArray<{ readonly key: string; readonly name: string; readonly data: unknown; readonly fireAt: Date }>;
  /** Idempotency keys tied to the customer: their payment reports', their WhatsApp messages' (a wamid holds the number). */
  readonly seenEvents: ReadonlyArray<{ readonly key: string; readonly at: Date }>;
  readonly botFrameworkReference: { readonly reference: unknown; readonly updatedAt: Date } | undefined;
  readonly lastInboundAt: Date | undefined;
  readonly reachability: { readonly unreachableReason: string | null; readonly since: Date; readonly changedAt: Date } | undefined;
}

/** Rows changed per table by `Store.eraseCustomer` (deleted, or pseudonymised for the books). */
export interface CustomerErasure {
  /** Deleted: the flow state and its slots. */
  readonly conversations: number;
  /** Deleted: the idempotency keys of their WhatsApp messages (a wamid holds the sender's number). */
  readonly seenEvents: number;
  /** Re-assigned to the pseudonym. */
  readonly orders: number;
  /** Orders whose shipping name and address were removed (option, price and country kept). */
  readonly shippingAddresses: number;
  readonly bookings: number;
  readonly refunds: number;
  /** Deleted, sent or not: the message texts. */
  readonly outbox: number;
  /** Deleted: the platform's delivery statuses of those messages. */
  readonly platformMessages: number;
  /** Re-assigned to the pseudonym (an unpaid order still expires); what they send is recorded as not delivered. */
  readonly timers: number;
  readonly botframeworkReferences: number;
  readonly customerActivity: number;
  readonly unreachableCustomers: number;
}

/** How long an idempotency key is kept, for the keys that start with `prefix` (e.g. "telegram:"). */
export interface SeenEventsWindow {
  readonly prefix: string;
  /** Keys recorded before this instant are dropped. */
  readonly before: Date;
}

/** One bounded step of a retention sweep: rows deleted, and where the next step starts (undefined: done). */
export interface PruneStep<Cursor> {
  readonly deleted: number;
  readonly next: Cursor | undefined;
}
