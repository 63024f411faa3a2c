import type { Order, OrderItem, OrderShipping, OrderStatus, OrderTransition, PaymentReport } from "../../commerce/index.ts";
import type { ConversationAddress } from "./conversations.ts";

/** An order to create, with why it exists (its first transition's cause). */
export interface NewOrder extends ConversationAddress {
  readonly items: readonly OrderItem[];
  readonly total: number;
  readonly currency: string;
  readonly status: OrderStatus;
  readonly cause: string;
  readonly at: Date;
}

/** Which orders to list; every field given must match. */
export interface OrderFilter {
  readonly botId?: string;
  readonly channel?: string;
  readonly userId?: string;
  readonly status?: OrderStatus;
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

/** Orders and their payments, as a turn creates and moves them. */
export interface OrderTx {
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
}

/** Orders read outside a turn. */
export interface OrderStore {
  listOrders(filter: OrderFilter): Promise<Order[]>;
  orderHistory(id: string): Promise<OrderTransition[]>;
}
