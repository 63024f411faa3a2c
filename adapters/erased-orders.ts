import { PSEUDONYM_PREFIX, type ConversationAddress } from "../store/index.ts";

/**
 * Whether `order` belongs to a customer erased after its payment began
 * (`kiosk customers erase`), on `botId`'s `channel`: the order is kept under
 * a pseudonym for the books, so a payment for it still counts, and its turn
 * runs under that pseudonym (whose messages are recorded as not delivered).
 */
export function isErasedCustomersOrder(order: ConversationAddress, botId: string, channel: string): boolean {
  return order.userId.startsWith(PSEUDONYM_PREFIX) && order.botId === botId && order.channel === channel;
}
