import type { ChannelSender, Envelope, MessageKind } from "../../core/message.ts";
import { ChannelSendError } from "../../core/send-error.ts";
import type { GraphEndpoint } from "./api.ts";
import { insideWindow, updateKind } from "./window.ts";

/** What every Graph API sender is built with, whatever its channel. */
export interface GraphSenderOptions {
  readonly endpoint: GraphEndpoint;
  /** The engine's clock: the 24-hour window is measured on it. */
  readonly clock: { now(): Date };
  /** When the customer last wrote (see Store.lastInbound). */
  readonly lastInbound: (botId: string, userId: string) => Promise<Date | undefined>;
  /** The hosted checkout link of an order; undefined when it cannot be paid. Absent: invoices are shown as text. */
  readonly checkoutLink?: (orderId: string) => Promise<string | undefined>;
  readonly timeoutMs?: number;
}

/**
 * Where a customer stands with Meta's 24-hour window: inside it any
 * message may go; after it, only an update of a kind the channel allows,
 * and `since` says when the customer last wrote, for the refusal.
 */
export type MessagingWindow = { readonly inside: true } | { readonly inside: false; readonly kind: MessageKind | undefined; readonly since: string };

/** What a message renders with: its invoice's checkout link and the conversation's locale, each only when there is one. */
export interface GraphRenderContext {
  readonly checkoutUrl?: string;
  readonly locale?: string;
}

/**
 * What Messenger's and WhatsApp's senders share: the 24-hour window, the
 * invoice's checkout link, the Graph URL and the options of each call (its
 * name in error messages, the abort signal, the timeout). Each channel
 * keeps its own bodies, accounts and rules for after the window.
 */
export abstract class GraphSender<Options extends GraphSenderOptions> implements ChannelSender {
  /** The outbox channel name, which also starts every error message. */
  abstract readonly channel: string;
  protected readonly options: Options;

  constructor(options: Options) {
    this.options = options;
  }

  abstract send(envelope: Envelope, signal?: AbortSignal): Promise<void>;

  /** How the customer appears in messages and logs; WhatsApp masks a phone number. */
  protected shown(userId: string): string {
    return userId;
  }

  /** Whether the customer wrote within 24 hours; if not, what kind of update the message is. */
  protected async window(envelope: Envelope): Promise<MessagingWindow> {
    const last = await this.options.lastInbound(envelope.botId, envelope.userId);
    if (insideWindow(last, this.options.clock.now())) return { inside: true };
    return { inside: false, kind: updateKind(envelope.message), since: last === undefined ? "has never written" : `last wrote at ${last.toISOString()}` };
  }

  /** The `rejected` error for a message that may not go out after the window, `why` in the channel's words. */
  protected notSent(envelope: Envelope, since: string, why: string): ChannelSendError {
    return new ChannelSendError("rejected", `${this.channel}: not sent to ${this.shown(envelope.userId)} (bot ${envelope.botId}): the customer ${since}, over 24 h ago, and ${why}`);
  }

  /** The checkout link of the message's invoice (`unavailable` when it could not be made) and the conversation's locale. */
  protected async renderContext(envelope: Envelope): Promise<GraphRenderContext> {
    const invoice = envelope.message.invoice;
    let checkoutUrl: string | undefined;
    if (invoice && this.options.checkoutLink) {
      try {
        checkoutUrl = await this.options.checkoutLink(invoice.order);
      } catch (error) {
        throw new ChannelSendError("unavailable", `${this.channel}: the checkout link of order ${invoice.order} could not be made`, { cause: error });
      }
    }
    // The conversation's locale, stamped by the engine: amounts and the words the channel adds are in it (English without).
    const { locale } = envelope.message;
    return { ...(checkoutUrl === undefined ? {} : { checkoutUrl }), ...(locale === undefined ? {} : { locale }) };
  }

  /** The Graph API URL of `path` (after the version), e.g. `me/messages`. */
  protected url(path: string): string {
    return `${this.options.endpoint.base}/${this.options.endpoint.version}/${path}`;
  }

  /** `graphPost`'s options for one call about an outbox message, named in its errors like "messenger send to 9302 (bot cafe, outbox 7)". */
  protected call(what: string, envelope: Envelope, signal: AbortSignal | undefined, headers?: Record<string, string>) {
    return {
      what: `${this.channel} ${what} to ${this.shown(envelope.userId)} (bot ${envelope.botId}, outbox ${envelope.id})`,
      ...(headers === undefined ? {} : { headers }),
      ...(signal ? { signal } : {}),
      ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
    };
  }
}
