/**
 * Messenger's side of the Graph webhook (`/messenger/:bot/webhook`, see
 * graph/webhook.ts): signed batches of messaging events, each its own turn
 * deduplicated by its mid; echoes, deliveries and reads are acknowledged and
 * never answered; the answer is `EVENT_RECEIVED`.
 */
import { MalformedBatchError, readBatch, type MessengerEvent } from "./events.ts";
import type { GraphWebhook } from "../graph/webhook.ts";

/** A messaging event that runs a turn. */
type MessengerInputEvent = Exclude<MessengerEvent, { readonly kind: "ignored" }>;

/** The webhook of the bots with a Page token (bot id → its token). */
export function messengerWebhook(pageTokens: ReadonlyMap<string, string>): GraphWebhook<string, MessengerInputEvent> {
  return {
    platform: "Messenger",
    accounts: pageTokens,
    unit: "an event",
    read: readBatch,
    malformed: MalformedBatchError,
    turn: (event) => ({ id: event.id, userId: event.userId, input: event.input }),
  };
}
