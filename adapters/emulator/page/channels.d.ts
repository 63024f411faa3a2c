// Types of channels.js, for the TypeScript tests that import it.

// The page renders what the API sends: the channel-neutral message model.
import type { Button, Card, Invoice, OutboundMessage, ShareRequest } from "../../../core/message.ts";
import type { Money } from "../../../core/money.ts";

export type { Button, Card, Invoice, Money, ShareRequest };
export type Message = OutboundMessage;

export interface ChannelLimits {
  readonly id: string;
  readonly name: string;
  readonly textMax: number;
  readonly buttonsMax?: number;
  readonly payloadBytesMax?: number;
  readonly templateButtonsMax?: number;
  readonly quickRepliesMax?: number;
  readonly quickReplyTitleMax?: number;
  readonly carouselMax?: number;
  readonly cardButtonsMax?: number;
  readonly replyButtonsMax?: number;
  readonly replyTitleMax?: number;
  readonly listRowsMax?: number;
  readonly listTitleMax?: number;
}

export interface ListRow {
  readonly label: string;
  readonly description?: string | undefined;
  readonly payload: string;
}

/** One thing the channel would show: "inline" buttons under the text, "quick" replies, WhatsApp "reply" buttons, Web Chat "suggested" actions. */
export type Bubble =
  | { readonly kind: "text"; readonly text: string; readonly buttons?: readonly Button[]; readonly buttonStyle?: "inline" | "quick" | "reply" | "suggested" }
  | { readonly kind: "carousel"; readonly cards: readonly Card[] }
  | { readonly kind: "list"; readonly title: string; readonly rows: readonly ListRow[] }
  | { readonly kind: "invoice"; readonly invoice: Invoice; readonly native: boolean; readonly amount: string }
  /** A button that shares the customer's phone number or location (Telegram's reply keyboard). */
  | { readonly kind: "share"; readonly share: ShareRequest };

export interface Rendered {
  readonly bubbles: readonly Bubble[];
  /** What the channel could not show as asked, and what it shows instead. */
  readonly fallbacks: readonly string[];
}

export declare const CHANNELS: Readonly<Record<string, ChannelLimits>>;
export declare const CHANNEL_IDS: readonly string[];
export declare function formatMoney(money: Money, locale?: string): string;
export declare function renderForChannel(message: Message, channelId: string, options?: { locale?: string }): Rendered;
