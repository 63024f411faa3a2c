import type { OrderStatus } from "../../commerce/index.ts";
import type { CheckoutSessionStore, KeptCheckoutSession } from "../../commerce/checkout/index.ts";

/** The hosted checkout session of an order, as commerce/checkout keeps it. */
export type CheckoutSessionRow = KeptCheckoutSession;

/** Orders' hosted checkout sessions, kept so each is made once and closed once its order no longer awaits payment. */
export interface CheckoutStore extends CheckoutSessionStore {
  /**
   * Up to `limit` kept sessions not closed yet whose order no longer awaits
   * payment (paid, expired, cancelled…), oldest order first, with that status.
   */
  checkoutSessionsToClose(limit: number): Promise<Array<CheckoutSessionRow & { readonly orderStatus: OrderStatus }>>;
  /** Marks an order's session closed (`note`: what closing it did); the sweep no longer returns it. */
  closeCheckoutSession(orderId: string, at: Date, note: string): Promise<void>;
}
