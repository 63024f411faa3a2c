import type { OutboundMessage } from "../../core/message.ts";
import type { Appointment, Booking, BookingStatus, Order, OrderShipping, OrderStatus, PaymentReport } from "../../commerce/index.ts";
import { VersionConflictError } from "../errors.ts";
import type { BookingAmounts, BookingFilter, BookingMove, NewBooking } from "../ports/bookings.ts";
import type { ConversationAddress, ConversationRow } from "../ports/conversations.ts";
import type { NewOrder, OrderFilter, PaymentRecord } from "../ports/orders.ts";
import type { MerchantEvent, NewMerchantEvent } from "../ports/events.ts";
import type { NewRefund } from "../ports/refunds.ts";
import type { StepVisit } from "../ports/step-visits.ts";
import type { TurnTx } from "../ports/store.ts";
import type { TimerSpec } from "../ports/timers.ts";
import * as bookings from "./bookings.ts";
import * as events from "./events.ts";
import * as flowVersions from "./flow-versions.ts";
import * as orders from "./orders.ts";
import type { Db, Queries } from "./queries.ts";
import * as refunds from "./refunds.ts";
import * as stepVisits from "./step-visits.ts";
import * as stock from "./stock.ts";
import * as timers from "./timers.ts";

/**
 * What a turn sees, on the connection whose transaction SqliteStore opened.
 * One instance serves every turn (no allocation per turn). The statements
 * every turn runs (its idempotency key, its conversation, its messages) are
 * here; the rest is one call into its concern's module.
 */
export class SqliteTurnTx implements TurnTx {
  constructor(
    private readonly db: Db,
    private readonly q: Queries,
  ) {}

  async markEventSeen(key: string, at: Date): Promise<boolean> {
    return this.q.seeEvent.run({ key, at }).changes === 1;
  }

  async loadConversation(address: ConversationAddress): Promise<ConversationRow | undefined> {
    return this.q.loadConversation.get({ botId: address.botId, channel: address.channel, userId: address.userId });
  }

  async saveConversation(row: Omit<ConversationRow, "version">, expectedVersion: number): Promise<number> {
    const version = expectedVersion + 1;
    const name = `${row.botId}/${row.channel}/${row.userId}`;
    const values = {
      botId: row.botId,
      channel: row.channel,
      userId: row.userId,
      flowId: row.flowId,
      flowVersion: row.flowVersion,
      stepId: row.stepId,
      locale: row.locale,
      data: JSON.stringify(row.data),
      updatedAt: row.updatedAt.getTime(),
      version,
    };
    const result =
      expectedVersion === 0 ? this.q.insertConversation.run({ ...values, data: row.data, updatedAt: row.updatedAt }) : this.q.updateConversation.run({ ...values, expectedVersion });
    if (result.changes !== 1) throw new VersionConflictError(name, expectedVersion);
    return version;
  }

  async enqueue(address: ConversationAddress, messages: readonly OutboundMessage[], at: Date): Promise<number[]> {
    const ids: number[] = [];
    for (const message of messages) {
      const row = this.q.enqueue.get({ botId: address.botId, channel: address.channel, userId: address.userId, message, at });
      if (row) ids.push(row.id);
    }
    return ids;
  }

  async stockLeft(botId: string, productId: string): Promise<number | null> {
    return stock.stockLeft(this.q, botId, productId);
  }

  async reserveStock(botId: string, productId: string, quantity: number): Promise<boolean> {
    return stock.reserveStock(this.q, botId, productId, quantity);
  }

  async releaseStock(botId: string, productId: string, quantity: number): Promise<void> {
    stock.releaseStock(this.q, botId, productId, quantity);
  }

  async createOrder(order: NewOrder): Promise<Order> {
    return orders.createOrder(this.q, order);
  }

  async getOrder(id: string): Promise<Order | undefined> {
    return orders.getOrder(this.q, id);
  }

  async transitionOrder(id: string, from: OrderStatus, to: OrderStatus, cause: string, at: Date): Promise<boolean> {
    return orders.transitionOrder(this.q, id, from, to, cause, at);
  }

  async listOrders(filter: OrderFilter): Promise<Order[]> {
    return orders.listOrders(this.db, filter);
  }

  async recordPayment(report: PaymentReport, at: Date): Promise<boolean> {
    return orders.recordPayment(this.db, report, at);
  }

  async paymentOf(orderId: string): Promise<PaymentRecord | undefined> {
    return orders.paymentOf(this.db, orderId);
  }

  async setOrderShipping(orderId: string, shipping: OrderShipping, at: Date): Promise<boolean> {
    return orders.setOrderShipping(this.db, orderId, shipping, at);
  }

  async recordRefund(refund: NewRefund): Promise<boolean> {
    return refunds.recordRefund(this.db, refund);
  }

  async recordEvent(event: NewMerchantEvent): Promise<MerchantEvent> {
    return events.recordEvent(this.db, event);
  }

  async holdSlot(booking: NewBooking): Promise<Booking | undefined> {
    return bookings.holdSlot(this.q, booking);
  }

  async getBooking(id: string): Promise<Booking | undefined> {
    return bookings.getBooking(this.q, id);
  }

  async transitionBooking(id: string, from: BookingStatus, to: BookingStatus, cause: string, at: Date, amounts?: BookingAmounts): Promise<boolean> {
    return bookings.transitionBooking(this.q, id, from, to, cause, at, amounts);
  }

  async setDepositOrder(bookingId: string, orderId: string): Promise<void> {
    bookings.setDepositOrder(this.q, bookingId, orderId);
  }

  async bookingByOrder(orderId: string): Promise<Booking | undefined> {
    return bookings.bookingByOrder(this.q, orderId);
  }

  async rescheduleBooking(id: string, move: BookingMove, cause: string, at: Date): Promise<Booking | undefined> {
    return bookings.rescheduleBooking(this.q, id, move, cause, at);
  }

  async listBookings(filter: BookingFilter): Promise<Booking[]> {
    return bookings.listBookings(this.db, filter);
  }

  async busyAppointments(botId: string, from: Date, to: Date): Promise<Appointment[]> {
    return bookings.busyAppointments(this.q, botId, from, to);
  }

  async scheduleTimer(timer: TimerSpec): Promise<void> {
    timers.scheduleTimer(this.q, timer);
  }

  async cancelTimer(key: string): Promise<void> {
    timers.cancelTimer(this.q, key);
  }

  async takeTimer(id: number): Promise<boolean> {
    return timers.takeTimer(this.q, id);
  }

  async recordStepVisit(visit: StepVisit): Promise<void> {
    stepVisits.recordStepVisit(this.q, visit);
  }

  async loadFlowVersion(botId: string, flowId: string, key: string): Promise<unknown> {
    return flowVersions.loadFlowVersion(this.db, botId, flowId, key);
  }
}
