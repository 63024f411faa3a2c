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

/** What the admin API reads beyond the other concerns' lists. */
export interface AdminReadStore {
  recentOrders(query: RecentOrdersQuery): Promise<Order[]>;
  bookingsBetween(query: BookingsQuery): Promise<Booking[]>;
  /** Units left of each tracked product of the bot (a product without a row is not tracked). */
  stockLevels(botId: string): Promise<Array<{ readonly productId: string; readonly units: number }>>;
  /** The flow versions the bot's conversations are in, with how many conversations each. */
  flowVersionsInUse(botId: string): Promise<FlowVersionInUse[]>;
}
