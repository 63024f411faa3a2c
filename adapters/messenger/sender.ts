import { envName, graphPost, type GraphEndpoint } from "../graph/api.ts";
import { callsDone, makeCalls } from "../call-progress.ts";
import { insideWindow, updateKind } from "../graph/window.ts";
import type { ChannelSender, Envelope, MessageKind } from "../../core/message.ts";
import { ChannelSendError } from "../../core/send-error.ts";
import { renderMessenger, type MessengerMessage } from "./render.ts";

export const MESSENGER_CHANNEL = "messenger";

/** The message tag Messenger allows for each kind of update after the 24-hour window (never a promotion). */
export const MESSAGE_TAGS: Readonly<Record<MessageKind, string>> = {
  booking_update: "CONFIRMED_EVENT_UPDATE",
  order_update: "POST_PURCHASE_UPDATE",
};

export interface MessengerSenderOptions {
  /** Bot id → its Page access token. */
  readonly pageTokens: ReadonlyMap<string, string>;
  readonly endpoint: GraphEndpoint;
  /** The engine's clock: the window is measured on it. */
  readonly clock: { now(): Date };
  /** When the customer last wrote (see Store.lastInbound). */
  readonly lastInbound: (botId: string, userId: string) => Promise<Date | undefined>;
  /** The hosted checkout link of an order; undefined when it cannot be paid. Absent: invoices are shown as text. */
  readonly checkoutLink?: (orderId: string) => Promise<string | undefined>;
  /** Show "typing…" before a reply inside the window. Default true. */
  readonly typing?: boolean;
  readonly timeoutMs?: number;
}

/** How one outbox message goes out: a reply inside the window, or a tagged update after it. */
export type Delivery = { readonly messaging_type: "RESPONSE" } | { readonly messaging_type: "MESSAGE_TAG"; readonly tag: string };

/**
 * The Messenger channel's sending half: `POST /{version}/me/messages` with
 * the bot's Page token. Inside 24 hours of the customer's last message a
 * message is a RESPONSE; after, only a booking or order update goes out,
 * tagged CONFIRMED_EVENT_UPDATE or POST_PURCHASE_UPDATE; anything else is
 * rejected (recorded on the outbox row, not sent). A message that takes
 * several calls resumes after the calls already made when retried.
 */
export class MessengerSender implements ChannelSender {
  readonly channel = MESSENGER_CHANNEL;
  readonly #options: MessengerSenderOptions;

  constructor(options: MessengerSenderOptions) {
    this.#options = options;
  }

  token(botId: string): string {
    const token = this.#options.pageTokens.get(botId);
    if (token === undefined) throw new ChannelSendError("rejected", `bot '${botId}' has no Messenger Page token; set KIOSK_MESSENGER_${envName(botId)}_PAGE_TOKEN`);
    return token;
  }

  /** How a message to this customer may go out now; a `rejected` error when it may not. */
  async delivery(envelope: Envelope): Promise<Delivery> {
    const last = await this.#options.lastInbound(envelope.botId, envelope.userId);
    if (insideWindow(last, this.#options.clock.now())) return { messaging_type: "RESPONSE" };
    const kind = updateKind(envelope.message);
    if (kind === undefined) {
      const since = last === undefined ? "has never written" : `last wrote at ${last.toISOString()}`;
      throw new ChannelSendError("rejected", `messenger: not sent to ${envelope.userId} (bot ${envelope.botId}): the customer ${since}, over 24 h ago, and the message is neither a booking nor an order update, the only ones Messenger allows a tag for`);
    }
    return { messaging_type: "MESSAGE_TAG", tag: MESSAGE_TAGS[kind] };
  }

  async send(envelope: Envelope, signal?: AbortSignal): Promise<void> {
    const token = this.token(envelope.botId);
    const delivery = await this.delivery(envelope);
    const invoice = envelope.message.invoice;
    let checkoutUrl: string | undefined;
    if (invoice && this.#options.checkoutLink) {
      try {
        checkoutUrl = await this.#options.checkoutLink(invoice.order);
      } catch (error) {
        throw new ChannelSendError("unavailable", `messenger: the checkout link of order ${invoice.order} could not be made`, { cause: error });
      }
    }
    // The conversation's locale, stamped by the engine: amounts and the words the channel adds are in it (English without).
    const { locale } = envelope.message;
    const messages = renderMessenger(envelope.message, { ...(checkoutUrl === undefined ? {} : { checkoutUrl }), ...(locale === undefined ? {} : { locale }) });
    const url = `${this.#options.endpoint.base}/${this.#options.endpoint.version}/me/messages?access_token=${encodeURIComponent(token)}`;
    const recipient = { id: envelope.userId };
    if (callsDone(envelope) === 0 && delivery.messaging_type === "RESPONSE" && this.#options.typing !== false) {
      // Only a nicety: a failed sender action does not hold the reply.
      await graphPost(url, { recipient, sender_action: "typing_on" }, this.#call("typing_on", envelope, signal)).catch(() => undefined);
    }
    await makeCalls(envelope, messages, async (message: MessengerMessage) => {
      await graphPost(url, { recipient, ...delivery, message }, this.#call("send", envelope, signal));
    });
  }

  #call(what: string, envelope: Envelope, signal: AbortSignal | undefined) {
    return {
      what: `messenger ${what} to ${envelope.userId} (bot ${envelope.botId}, outbox ${envelope.id})`,
      ...(signal ? { signal } : {}),
      ...(this.#options.timeoutMs === undefined ? {} : { timeoutMs: this.#options.timeoutMs }),
    };
  }
}
