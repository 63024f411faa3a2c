import type { ConversationAddress } from "./conversations.ts";
import type { RefundRow } from "./refunds.ts";

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
  /** The steps they entered, once per step and UTC day (the funnel, `kiosk stats`), by day. */
  readonly stepVisits: ReadonlyArray<{ readonly flowId: string; readonly stepId: string; readonly day: string; readonly firstAt: Date; readonly lastAt: Date }>;
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
  /** Re-assigned to the pseudonym: the shop's events about the customer's orders and bookings. */
  readonly merchantEvents: number;
  /** Re-assigned to the pseudonym: the steps they reached still count in the funnel (`kiosk stats`). */
  readonly stepVisits: number;
}

/** One customer's data across every table: what `kiosk customers export` shows and `kiosk customers erase` removes. */
export interface CustomerDataStore {
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
}
