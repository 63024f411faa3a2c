import { envName, graphPost, type GraphEndpoint } from "../graph/api.ts";
import { makeCalls } from "../call-progress.ts";
import { maskPhone } from "../../core/log-redaction.ts";
import { insideWindow, updateKind } from "../graph/window.ts";
import type { ChannelSender, Envelope } from "../../core/message.ts";
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

export interface WhatsAppSenderOptions {
  readonly numbers: ReadonlyMap<string, WhatsAppNumber>;
  readonly endpoint: GraphEndpoint;
  readonly clock: { now(): Date };
  readonly lastInbound: (botId: string, userId: string) => Promise<Date | undefined>;
  readonly checkoutLink?: (orderId: string) => Promise<string | undefined>;
  /** Told the wamid of every message WhatsApp accepted, so statuses can be recorded against the outbox row. */
  readonly onAccepted?: (envelope: Envelope, messageId: string) => Promise<void>;
  readonly timeoutMs?: number;
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
export class WhatsAppSender implements ChannelSender {
  readonly channel = WHATSAPP_CHANNEL;
  readonly #options: WhatsAppSenderOptions;

  constructor(options: WhatsAppSenderOptions) {
    this.#options = options;
  }

  number(botId: string): WhatsAppNumber {
    const number = this.#options.numbers.get(botId);
    if (!number) throw new ChannelSendError("rejected", `bot '${botId}' has no WhatsApp number; set KIOSK_WHATSAPP_${envName(botId)}_PHONE_NUMBER_ID and _TOKEN`);
    return number;
  }

  /** The calls that show this message now: rendered inside the window, a template or a rejection after it. */
  async messages(envelope: Envelope, number: WhatsAppNumber): Promise<WhatsAppMessage[]> {
    const last = await this.#options.lastInbound(envelope.botId, envelope.userId);
    if (!insideWindow(last, this.#options.clock.now())) {
      const kind = updateKind(envelope.message);
      const template = kind === "booking_update" ? number.reminderTemplate : kind === "order_update" ? number.orderTemplate : undefined;
      const since = last === undefined ? "has never written" : `last wrote at ${last.toISOString()}`;
      if (template === undefined) {
        const variable = `KIOSK_WHATSAPP_${envName(envelope.botId)}_${kind === "order_update" ? "ORDER" : "REMINDER"}_TEMPLATE`;
        const why = kind === undefined ? "the message is neither a booking reminder nor an order update, which are all a template may carry" : `no approved template is configured for it (${variable})`;
        throw new ChannelSendError("rejected", `whatsapp: not sent to ${maskPhone(envelope.userId)} (bot ${envelope.botId}): the customer ${since}, over 24 h ago, and ${why}`);
      }
      return [templateMessage(template, envelope.message)];
    }
    const invoice = envelope.message.invoice;
    let checkoutUrl: string | undefined;
    if (invoice && this.#options.checkoutLink) {
      try {
        checkoutUrl = await this.#options.checkoutLink(invoice.order);
      } catch (error) {
        throw new ChannelSendError("unavailable", `whatsapp: the checkout link of order ${invoice.order} could not be made`, { cause: error });
      }
    }
    // The conversation's locale, stamped by the engine: amounts and the words the channel adds are in it (English without).
    const { locale } = envelope.message;
    return renderWhatsApp(envelope.message, {
      ...(checkoutUrl === undefined ? {} : { checkoutUrl }),
      ...(locale === undefined ? {} : { locale }),
      ...(number.catalogId === undefined ? {} : { catalogId: number.catalogId }),
    });
  }

  async send(envelope: Envelope, signal?: AbortSignal): Promise<void> {
    const number = this.number(envelope.botId);
    const messages = await this.messages(envelope, number);
    const url = `${this.#options.endpoint.base}/${this.#options.endpoint.version}/${encodeURIComponent(number.phoneNumberId)}/messages`;
    await makeCalls(envelope, messages, async (message) => {
      const answer = await graphPost(url, { messaging_product: "whatsapp", recipient_type: "individual", to: envelope.userId, ...message }, {
        what: `whatsapp ${message.type} to ${maskPhone(envelope.userId)} (bot ${envelope.botId}, outbox ${envelope.id})`,
        headers: { authorization: `Bearer ${number.token}` },
        ...(signal ? { signal } : {}),
        ...(this.#options.timeoutMs === undefined ? {} : { timeoutMs: this.#options.timeoutMs }),
      });
      const id = messageId(answer);
      if (id !== undefined) await this.#options.onAccepted?.(envelope, id).catch(() => undefined);
    });
  }
}
