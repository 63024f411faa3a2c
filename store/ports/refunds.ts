import type { ConversationAddress } from "./conversations.ts";

/**
 * `pending`: to ask the provider; `refunded`: the provider refunded it;
 * `manual`: the provider has no refund call (Telegram payments through a
 * card provider), so the business refunds by hand; `failed`: the provider
 * refused for good.
 */
export type RefundStatus = "pending" | "refunded" | "manual" | "failed";

/** Which refunds to list; every field given must match. */
export interface RefundFilter {
  readonly botId?: string;
  readonly channel?: string;
  readonly userId?: string;
  readonly orderId?: string;
  readonly status?: RefundStatus;
}

/** Money owed back for one payment, as a turn records it. */
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

/** A recorded refund and how asking the provider went. */
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

/** The refund a turn records; the refund job asks the provider later. */
export interface RefundTx {
  /** Records money owed back for one payment; false (and nothing changed) when that payment's refund was recorded before. */
  recordRefund(refund: NewRefund): Promise<boolean>;
}

/** Refunds as the refund job works through them. */
export interface RefundStore {
  /** Refunds still to ask a provider for, due at `now`, oldest first. */
  pendingRefunds(now: Date, limit: number): Promise<RefundRow[]>;
  /** Closes a refund: `refunded` by the provider, `manual` for the business to do, `failed` given up. */
  settleRefund(id: number, status: Exclude<RefundStatus, "pending">, note: string | null, at: Date): Promise<void>;
  /** Counts a failed attempt and sets when to try again. */
  retryRefund(id: number, error: string, retryAt: Date, at: Date): Promise<void>;
  listRefunds(filter: RefundFilter): Promise<RefundRow[]>;
}
