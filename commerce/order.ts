import type { PricedLine } from "./cart.ts";
import { CommerceError } from "./errors.ts";
import type { CatalogIndex } from "./catalog.ts";
import type { OrderShipping } from "./shipping.ts";

/**
 * An order's life: drafted, awaiting payment, paid; then fulfilled by the
 * shop (`preparing` → `ready` → `collected`, or `delivered` for goods that
 * ship), or refunded. The fulfilment steps may be skipped ("ready" straight
 * from "paid"), never undone.
 */
export const ORDER_STATUSES = ["draft", "awaiting_payment", "paid", "preparing", "ready", "collected", "delivered", "cancelled", "expired", "refunded"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses a shop moves a paid order through. */
export const FULFILMENT_STATUSES = ["preparing", "ready", "collected", "delivered"] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];

export type OrderItem = PricedLine;

export interface Order {
  readonly id: string;
  readonly botId: string;
  readonly channel: string;
  readonly userId: string;
  readonly status: OrderStatus;
  readonly items: readonly OrderItem[];
  readonly total: number;
  readonly currency: string;
  /** Where and how it ships, once paid, for goods that ship; its amount is in `total`. */
  readonly shipping?: OrderShipping;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface OrderTransition {
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  readonly cause: string;
  readonly at: Date;
}

const allowed: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  draft: ["awaiting_payment", "cancelled"],
  awaiting_payment: ["paid", "cancelled", "expired"],
  paid: ["preparing", "ready", "collected", "delivered", "refunded"],
  preparing: ["ready", "collected", "delivered", "refunded"],
  ready: ["collected", "delivered", "refunded"],
  collected: ["refunded"],
  delivered: ["refunded"],
  cancelled: [],
  expired: [],
  refunded: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return allowed[from].includes(to);
}

export function assertTransition(order: Pick<Order, "id" | "status">, to: OrderStatus): void {
  if (!canTransition(order.status, to)) {
    throw new CommerceError("invalid_transition", `order ${order.id} cannot go from ${order.status} to ${to}`, {
      orderId: order.id,
      from: order.status,
      to,
    });
  }
}

/**
 * Until when the customer may cancel a paid order for a full refund: the
 * shortest `refundableDays` of its products after `paidAt`, or undefined
 * when any of them is final once paid.
 */
export function refundableUntil(order: Pick<Order, "items">, catalog: CatalogIndex, paidAt: Date): Date | undefined {
  let days = Number.POSITIVE_INFINITY;
  for (const item of order.items) {
    const allowed = catalog.findProduct(item.productId)?.refundableDays;
    if (allowed === undefined) return undefined;
    days = Math.min(days, allowed);
  }
  return Number.isFinite(days) ? new Date(paidAt.getTime() + days * 86_400_000) : undefined;
}

/** Statuses in which the order holds stock. Leaving them releases it. */
export function holdsStock(status: OrderStatus): boolean {
  return status === "draft" || status === "awaiting_payment";
}
