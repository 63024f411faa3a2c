import { envName, graphPost } from "../graph/api.ts";
import { GraphSender, type GraphSenderOptions } from "../graph/sender.ts";
import { makeCalls } from "../call-progress.ts";
import { maskPhone } from "../../core/log-redaction.ts";
import type { Envelope } from "../../core/message.ts";
import { ChannelSendError } from "../../core/send-error.ts";
import { renderWhatsApp, templateMessage, type WhatsAppMessage } from "./render.ts";

export const WHATSAPP_CHANNEL = "whatsapp";

export interface WhatsAppTemplateRef {
  readonly name: string;
  readonly language: string;
}

/** One bot's WhatsApp number. */
export interface WhatsAppNumber {
  readonly phoneNumberId: string;
  readonly token: string;
  /** Approved template for a booking reminder after the 24-hour window; its body has one parameter, the reminder's text. */
  readonly reminderTemplate?: WhatsAppTemplateRef;
  /** Approved template for an order update after the window. */
  readonly orderTemplate?: WhatsAppTemplateRef;
  /** The Meta catalog linked to the number (retailer ids = Kiosk product ids): product cards go as a product_list. */
  readonly catalogId?: string;
}

export interface WhatsAppSenderOptions extends GraphSenderOptions {
  readonly numbers: ReadonlyMap<string, WhatsAppNumber>;
  /** Told the wamid of every message WhatsApp accepted, so statuses can be recorded against the outbox row. */
  readonly onAccepted?: (envelope: Envelope, messageId: string) => Promise<void>;
}

function messageId(answer: unknown): string | undefined {
  if (typeof answer !== "object" || answer === null || !("messages" in answer) || !Array.isArray(answer.messages)) return undefined;
  const first: unknown = answer.messages[0];
  return typeof first === "object" && first !== null && "id" in first && typeof first.id === "string" ? first.id : undefined;
}

/**
 * The WhatsApp channel's sending half (Cloud API, `POST /{version}/{phone-number-id}/messages`).
 * Inside 24 hours of the customer's last message: text, reply buttons,
 * lists, cta_url. After it: a booking reminder or an order update goes out as
 * the bot's approved template (KIOSK_WHATSAPP_<BOT>_REMINDER_TEMPLATE /
 * _ORDER_TEMPLATE); anything else, or an update without a template, is
 * rejected and recorded on the outbox row, not sent.
 */
export class WhatsAppSender extends GraphSender<WhatsAppSenderOptions> {
  override readonly channel = WHATSAPP_CHANNEL;

  number(botId: string): WhatsAppNumber {
    const number = this.options.numbers.get(botId);
    if (!number) throw new ChannelSendError("rejected", `bot '${botId}' has no WhatsApp number; set KIOSK_WHATSAPP_${envName(botId)}_PHONE_NUMBER_ID and _TOKEN`);
    return number;
  }

  /** The calls that show this message now: rendered inside the window, a template or a rejection after it. */
  async messages(envelope: Envelope, number: WhatsAppNumber): Promise<WhatsAppMessage[]> {
    const window = await this.window(envelope);
    if (!window.inside) {
      const { kind } = window;
      const template = kind === "booking_update" ? number.reminderTemplate : kind === "order_update" ? number.orderTemplate : undefined;
      if (template === undefined) {
        const variable = `KIOSK_WHATSAPP_${envName(envelope.botId)}_${kind === "order_update" ? "ORDER" : "REMINDER"}_TEMPLATE`;
        throw this.notSent(envelope, window.since, kind === undefined ? "the message is neither a booking reminder nor an order update, which are all a template may carry" : `no approved template is configured for it (${variable})`);
      }
      return [templateMessage(template, envelope.message)];
    }
    return renderWhatsApp(envelope.message, { ...(await this.renderContext(envelope)), ...(number.catalogId === undefined ? {} : { catalogId: number.catalogId }) });
  }

  /** Phone numbers are personal data: messages and logs show only their last digits. */
  protected override shown(userId: string): string {
    return maskPhone(userId);
  }

  override async send(envelope: Envelope, signal?: AbortSignal): Promise<void> {
    const number = this.number(envelope.botId);
    const messages = await this.messages(envelope, number);
    const url = this.url(`${encodeURIComponent(number.phoneNumberId)}/messages`);
    await makeCalls(envelope, messages, async (message) => {
      const answer = await graphPost(url, { messaging_product: "whatsapp", recipient_type: "individual", to: envelope.userId, ...message }, this.call(message.type, envelope, signal, { authorization: `Bearer ${number.token}` }));
      const id = messageId(answer);
      if (id !== undefined) await this.options.onAccepted?.(envelope, id).catch(() => undefined);
    });
  }
}
