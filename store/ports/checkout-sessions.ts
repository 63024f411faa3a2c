import type { OrderStatus } from "../../commerce/index.ts";

/** The hosted checkout session of an order (see commerce/checkout). */
export interface CheckoutSessionRow {
  readonly orderId: string;
  readonly provider: string;
  readonly sessionId: string;
  readonly url: string;
  readonly createdAt: Date;
}

/** Orders' hosted checkout sessions, kept so each is made once and closed once its order no longer awaits payment. */
export interface CheckoutStore {
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
}
