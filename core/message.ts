/**
 * The channel-neutral message model. Flows produce these; each adapter turns
 * them into platform calls and degrades what its channel cannot show.
 */
import type { Money } from "./money.ts";

export interface Button {
  readonly label: string;
  readonly payload: string;
}

export interface Card {
  readonly title: string;
  readonly subtitle?: string;
  readonly price?: Money;
  /**
   * A picture of what the card shows: an https URL, or a path relative to
   * the bot's folder (a product's `image`), which a channel uploads itself.
   */
  readonly image?: string;
  readonly buttons?: readonly Button[];
}

export interface Invoice {
  /** The order this invoice asks payment for. */
  readonly order: string;
  readonly title: string;
  readonly amount: number;
  readonly currency: string;
  /**
   * Goods that ship: a channel that can collect a shipping address and offer
   * shipping options with the payment (Telegram) does, and charges `amount`
   * plus the option's price.
   */
  readonly shipping?: boolean;
}

/**
 * Something the customer may share from their device instead of typing it:
 * their own phone number, or where they are. Channels with a native button
 * for it (Telegram's reply keyboard) show one saying `label`; the others
 * show the message's text only, and the customer types the answer.
 */
export interface ShareRequest {
  readonly kind: "contact" | "location";
  readonly label: string;
}

export interface OutboundMessage {
  readonly text?: string;
  readonly buttons?: readonly Button[];
  readonly cards?: readonly Card[];
  readonly invoice?: Invoice;
  /** A native button to share the customer's contact or location, shown until `endsRequest`. */
  readonly request?: ShareRequest;
  /**
   * Set on the first message after a question with a `request` was answered
   * or left: channels that keep such a button on screen (Telegram's reply
   * keyboard) take it away with this message.
   */
  readonly endsRequest?: true;
  /**
   * Set when the message is an update the customer expects rather than an
   * answer: news of an order they placed (receipt, expiry, a payment's
   * outcome). Channels with a messaging window (Messenger, WhatsApp) send
   * only such updates after the window closed, never anything else. A
   * booking reminder needs no kind: its `booking:` buttons say what it is
   * (see adapters/graph/window.ts `updateKind`).
   */
  readonly kind?: MessageKind;
  /**
   * The platform's id of the customer's message this one answers (set by
   * the engine on every message of a turn that had one). Channels that
   * thread replies use it (Bot Framework's `replyToId`); proactive messages
   * (reminders, receipts from a payment webhook) have none.
   */
  readonly replyTo?: string;
  /**
   * The conversation's locale when the message was written (set by the
   * engine on every message): a channel that formats amounts or words
   * itself (card prices, an invoice card) writes them in the language of
   * the message's texts, with no store read at send time.
   */
  readonly locale?: string;
}

export type MessageKind = "booking_update" | "order_update";

/** A message addressed to one customer on one channel, as the outbox holds it. */
export interface Envelope {
  readonly id: number;
  readonly botId: string;
  readonly channel: string;
  readonly userId: string;
  readonly message: OutboundMessage;
  /**
   * Platform calls of this message made by earlier attempts (kept on the
   * outbox row): a sender whose message takes several calls starts after
   * them (see adapters/call-progress.ts). Absent for a fresh message.
   */
  readonly callsDone?: number;
}

/**
 * A channel adapter's sending half. `send` must either deliver or throw; the
 * outbox retries what throws.
 */
export interface ChannelSender {
  readonly channel: string;
  /**
   * How many conversations the outbox may send to at once (default 1: one
   * message at a time, in id order). A conversation's own messages always
   * go one at a time, in order.
   */
  readonly concurrency?: number;
  /**
   * True when a send may wait for the channel's rate limits (Telegram's
   * pacing): the outbox then moves on from a conversation still waiting
   * instead of holding every other conversation behind it.
   */
  readonly paced?: boolean;
  send(envelope: Envelope, signal?: AbortSignal): Promise<void>;
}
