import type { Booking, BookingStatus, Order, OrderStatus } from "../../commerce/index.ts";

/** Orders of one bot as the admin API lists them: every field given must match; newest first. */
export interface RecentOrdersQuery {
  readonly botId: string;
  readonly status?: OrderStatus;
  readonly channel?: string;
  /** Placed at or after this instant. */
  readonly from?: Date;
  /** Placed before this instant. */
  readonly to?: Date;
  readonly limit: number;
}

/** Bookings of one bot that overlap `[from, to)` when given; every field given must match; by start. */
export interface BookingsQuery {
  readonly botId: string;
  readonly resourceId?: string;
  readonly status?: BookingStatus;
  readonly from?: Date;
  readonly to?: Date;
}

/** A flow version conversations are in, and how many. */
export interface FlowVersionInUse {
  readonly flowId: string;
  readonly key: string;
  readonly conversations: number;
}

/** A change made through the admin API, and the key that made it. */
export interface AdminChange {
  readonly botId: string;
  readonly keyId: number;
  /** What kind of value changed: `stock`. */
  readonly subject: string;
  /** Of what: a product id. */
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly at: Date;
}

/** What the admin API reads and changes beyond the other concerns' lists. */
export interface AdminReadStore {
  /** The bot's order with this id, or undefined (also when it is another bot's). */
  orderOf(botId: string, id: string): Promise<Order | undefined>;
  recentOrders(query: RecentOrdersQuery): Promise<Order[]>;
  bookingsBetween(query: BookingsQuery): Promise<Booking[]>;
  /** Units left of each tracked product of the bot (a product without a row is not tracked). */
  stockLevels(botId: string): Promise<Array<{ readonly productId: string; readonly units: number }>>;
  /** The flow versions the bot's conversations are in, with how many conversations each. */
  flowVersionsInUse(botId: string): Promise<FlowVersionInUse[]>;
  /**
   * Sets a tracked product's units left (a product without stock starts
   * being tracked) and records the change with `keyId`, in one transaction;
   * returns the units before (null: not tracked). Units reserved by orders
   * placed before stay theirs.
   */
  setStockLevel(change: { readonly botId: string; readonly productId: string; readonly units: number; readonly keyId: number; readonly at: Date }): Promise<number | null>;
  /** The bot's admin changes, newest first. */
  adminChanges(botId: string, limit: number): Promise<AdminChange[]>;
}
