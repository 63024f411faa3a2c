/** An event's payload: JSON, as a webhook receiver reads it. */
export type EventData = { readonly [key: string]: EventValue };
export type EventValue = string | number | boolean | null | readonly EventValue[] | EventData;

/**
 * What the shop hears about: an order paid or moved through fulfilment, an
 * order cancelled or refunded, a booking confirmed, cancelled or moved, a
 * customer asking for a person. Recorded in the transaction that made the
 * change, so an event is never lost nor told of a change rolled back; the
 * merchant's webhooks (and chat, console) are fed from here.
 */
export type MerchantEventType =
  | "order.paid"
  | "order.status"
  | "order.cancelled"
  | "order.refunded"
  | "booking.confirmed"
  | "booking.cancelled"
  | "booking.rescheduled"
  | "handoff.requested";

export const MERCHANT_EVENT_TYPES: readonly MerchantEventType[] = [
  "order.paid",
  "order.status",
  "order.cancelled",
  "order.refunded",
  "booking.confirmed",
  "booking.cancelled",
  "booking.rescheduled",
  "handoff.requested",
];

export interface NewMerchantEvent {
  readonly botId: string;
  readonly type: MerchantEventType;
  readonly data: EventData;
  readonly at: Date;
}

/** A recorded event; `id` is `evt_<n>`, increasing in the order events were recorded. */
export interface MerchantEvent {
  readonly id: string;
  readonly botId: string;
  readonly type: MerchantEventType;
  readonly created: Date;
  readonly data: EventData;
}

/** Which events to list: a bot's, after one already seen, oldest first. */
export interface MerchantEventQuery {
  readonly botId?: string;
  /** Only events recorded after this one (an `evt_<n>` id). */
  readonly after?: string;
  /** At most this many (capped at 1000). */
  readonly limit?: number;
}

/** The event a turn (or a merchant's action) records with its change. */
export interface EventTx {
  recordEvent(event: NewMerchantEvent): Promise<MerchantEvent>;
}

export interface EventStore {
  listEvents(query: MerchantEventQuery): Promise<MerchantEvent[]>;
}
