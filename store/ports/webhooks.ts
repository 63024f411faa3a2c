import type { MerchantEvent } from "./events.ts";

/**
 * `pending`: to send (again) at `nextAttemptAt`; `delivered`: the receiver
 * answered 2xx; `gave_up`: every attempt failed, kept for `kiosk webhooks`
 * to list and retry.
 */
export type WebhookDeliveryStatus = "pending" | "delivered" | "gave_up";

/** One merchant event's delivery to its bot's webhook, with the event. */
export interface WebhookDelivery {
  readonly event: MerchantEvent;
  readonly status: WebhookDeliveryStatus;
  /** Attempts made so far (a retry of a given-up delivery starts again from 0). */
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  /** What went wrong last: a status code, a timeout, a network error. Never the body nor the secret. */
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
}

/** Which deliveries to list; every field given must match. Oldest event first. */
export interface WebhookDeliveryFilter {
  readonly botId?: string;
  readonly status?: WebhookDeliveryStatus;
  /** At most this many (default and cap 1000). */
  readonly limit?: number;
}

/**
 * What the webhook deliverer (jobs/webhooks.ts) keeps: a cursor per bot and
 * endpoint (the highest event seen, in `store_settings`), and one delivery
 * row per event seen after it.
 */
export interface WebhookStore {
  /**
   * Makes a pending delivery, due at `now`, for each of the bot's events
   * recorded after the cursor of (`botId`, `endpoint`), up to `limit`, and
   * moves the cursor past them; returns how many. The first call for an
   * endpoint only sets its cursor at the bot's latest event: events recorded
   * before a webhook was configured are not sent. `endpoint` is an opaque key
   * of the receiver (jobs/webhooks.ts uses a hash of its URL).
   */
  enqueueWebhookEvents(botId: string, endpoint: string, now: Date, limit: number): Promise<number>;
  /**
   * Pending deliveries of these bots due at `now`, oldest event first, up to
   * `limit`; each is leased until `leaseUntil` (not due again before then,
   * so a crash mid-send retries it, and another process does not take it).
   */
  claimWebhookDeliveries(botIds: readonly string[], now: Date, leaseUntil: Date, limit: number): Promise<WebhookDelivery[]>;
  /** Counts a successful attempt: delivered. */
  markWebhookDelivered(eventId: string, at: Date): Promise<void>;
  /** Counts a failed attempt and sets when to try again. */
  retryWebhookDelivery(eventId: string, error: string, retryAt: Date, at: Date): Promise<void>;
  /** Counts a failed attempt and gives up: `gave_up`, listed until retried by hand. */
  giveUpWebhookDelivery(eventId: string, error: string, at: Date): Promise<void>;
  /** Makes a given-up delivery pending again, due at `at`, with its attempts counted from 0; false when there is none given up for this event. */
  retryGivenUpWebhook(eventId: string, at: Date): Promise<boolean>;
  listWebhookDeliveries(filter: WebhookDeliveryFilter): Promise<WebhookDelivery[]>;
}
