import type { ConversationAddress } from "./conversations.ts";

/**
 * What the channels keep about a customer and their messages: Bot Framework
 * references, when the customer last wrote, platform message ids and their
 * delivery statuses, and whether the customer can be reached.
 */
export interface ChannelStateStore {
  /** The Bot Framework conversation reference kept for a customer (opaque JSON, see adapters/botframework), or undefined. */
  botFrameworkReference(botId: string, userId: string): Promise<unknown>;
  /** Keeps a customer's latest Bot Framework conversation reference, replacing the one kept. */
  saveBotFrameworkReference(botId: string, userId: string, reference: unknown, at: Date): Promise<void>;

  /** Records that the customer wrote at `at` (Messenger and WhatsApp allow free-form messages for 24 h after). */
  recordInbound(address: ConversationAddress, at: Date): Promise<void>;
  /** When the customer last wrote, or undefined when never. */
  lastInbound(address: ConversationAddress): Promise<Date | undefined>;
  /** Keeps the platform's id of a sent outbox message (WhatsApp's wamid), so its statuses can be recorded against it. */
  savePlatformMessage(entry: { readonly channel: string; readonly platformId: string; readonly outboxId: number; readonly at: Date }): Promise<void>;
  /**
   * Records a platform's delivery status of a message it sent; a failure also
   * becomes the outbox row's last error. Returns the outbox id, or undefined
   * when no sent message has this platform id.
   */
  recordDeliveryStatus(status: { readonly channel: string; readonly platformId: string; readonly status: string; readonly error: string | null; readonly at: Date }): Promise<number | undefined>;
  /** A sent message's platform id, last status and error, by outbox id (newest first). */
  deliveryStatuses(outboxId: number): Promise<Array<{ readonly platformId: string; readonly status: string; readonly error: string | null }>>;

  /**
   * Marks a customer unreachable on their channel (`reason`, e.g. "customer
   * blocked the bot"), or reachable again with null. While unreachable their
   * messages are recorded as not delivered instead of being sent. `at` is
   * when the change happened by the platform's clock; a change older than
   * the last one applied is ignored (false).
   */
  setUnreachable(address: ConversationAddress, reason: string | null, at: Date): Promise<boolean>;
  /** Why and since when a customer is unreachable, or undefined when they are reachable. */
  unreachable(address: ConversationAddress): Promise<{ readonly reason: string; readonly since: Date } | undefined>;
}
