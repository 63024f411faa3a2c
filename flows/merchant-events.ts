/**
 * The events a shop hears about, written in the transaction of the change
 * they tell of (store/ports/events.ts), with the data a shop's system needs:
 * the order or booking as it is now, amounts in minor units with their
 * currency, times in UTC. Customers appear by channel and platform id only.
 */
import type { Booking, Order } from "../commerce/index.ts";
import type { EventData, MerchantEventType } from "../store/index.ts";
import type { Turn } from "./turn.ts";

export function orderData(order: Order): EventData {
  return {
    id: order.id,
    status: order.status,
    total: order.total,
    currency: order.currency,
    channel: order.channel,
    customer: order.userId,
    items: order.items.map((item) => ({
      product: item.productId,
      name: item.name,
      options: item.options,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      lineTotal: item.lineTotal,
    })),
    ...(order.shipping ? { shipping: { option: order.shipping.optionId, amount: order.shipping.amount, country: order.shipping.address.countryCode } } : {}),
    created: order.createdAt.toISOString(),
  };
}

export function bookingData(booking: Booking): EventData {
  return {
    id: booking.id,
    status: booking.status,
    service: booking.serviceId,
    resource: booking.resourceId,
    start: booking.start.toISOString(),
    end: booking.end.toISOString(),
    price: booking.price,
    deposit: booking.deposit,
    depositPaid: booking.depositPaid,
    depositRefunded: booking.depositRefunded,
    currency: booking.currency,
    channel: booking.channel,
    customer: booking.userId,
  };
}

/** Records an event of this turn's bot, in this turn's transaction. */
export async function tellShop(turn: Turn, type: MerchantEventType, data: EventData): Promise<void> {
  await turn.tx.recordEvent({ botId: turn.bot.id, type, data, at: turn.now });
}

/** Records an event about an order, read again so the event tells its status after the change. */
export async function tellShopOrder(turn: Turn, type: MerchantEventType, orderId: string, extra: EventData = {}): Promise<void> {
  const order = await turn.tx.getOrder(orderId);
  if (order) await tellShop(turn, type, { order: orderData(order), ...extra });
}

/** Records an event about a booking, read again so the event tells it as it is after the change. */
export async function tellShopBooking(turn: Turn, type: MerchantEventType, bookingId: string, extra: EventData = {}): Promise<void> {
  const booking = await turn.tx.getBooking(bookingId);
  if (booking) await tellShop(turn, type, { booking: bookingData(booking), ...extra });
}
