import { envName, graphPost } from "../graph/api.ts";
import { GraphSender, type GraphSenderOptions } from "../graph/sender.ts";
import { callsDone, makeCalls } from "../call-progress.ts";
import type { Envelope, MessageKind } from "../../core/message.ts";
import { ChannelSendError } from "../../core/send-error.ts";
import { renderMessenger, type MessengerMessage } from "./render.ts";

export const MESSENGER_CHANNEL = "messenger";

/** The message tag Messenger allows for each kind of update after the 24-hour window (never a promotion). */
export const MESSAGE_TAGS: Readonly<Record<MessageKind, string>> = {
  booking_update: "CONFIRMED_EVENT_UPDATE",
  order_update: "POST_PURCHASE_UPDATE",
};

export interface MessengerSenderOptions extends GraphSenderOptions {
  /** Bot id → its Page access token. */
  readonly pageTokens: ReadonlyMap<string, string>;
  /** Show "typing…" before a reply inside the window. Default true. */
  readonly typing?: boolean;
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
export class MessengerSender extends GraphSender<MessengerSenderOptions> {
  override readonly channel = MESSENGER_CHANNEL;

  token(botId: string): string {
    const token = this.options.pageTokens.get(botId);
    if (token === undefined) throw new ChannelSendError("rejected", `bot '${botId}' has no Messenger Page token; set KIOSK_MESSENGER_${envName(botId)}_PAGE_TOKEN`);
    return token;
  }

  /** How a message to this customer may go out now; a `rejected` error when it may not. */
  async delivery(envelope: Envelope): Promise<Delivery> {
    const window = await this.window(envelope);
    if (window.inside) return { messaging_type: "RESPONSE" };
    if (window.kind === undefined) throw this.notSent(envelope, window.since, "the message is neither a booking nor an order update, the only ones Messenger allows a tag for");
    return { messaging_type: "MESSAGE_TAG", tag: MESSAGE_TAGS[window.kind] };
  }

  override async send(envelope: Envelope, signal?: AbortSignal): Promise<void> {
    const token = this.token(envelope.botId);
    const delivery = await this.delivery(envelope);
    const messages = renderMessenger(envelope.message, await this.renderContext(envelope));
    const url = this.url(`me/messages?access_token=${encodeURIComponent(token)}`);
    const recipient = { id: envelope.userId };
    if (callsDone(envelope) === 0 && delivery.messaging_type === "RESPONSE" && this.options.typing !== false) {
      // Only a nicety: a failed sender action does not hold the reply.
      await graphPost(url, { recipient, sender_action: "typing_on" }, this.call("typing_on", envelope, signal)).catch(() => undefined);
    }
    await makeCalls(envelope, messages, async (message: MessengerMessage) => {
      await graphPost(url, { recipient, ...delivery, message }, this.call("send", envelope, signal));
    });
  }
}
