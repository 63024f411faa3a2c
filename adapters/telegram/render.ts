import type { Button, Card, Envelope, Money } from "../message.ts";
import { callbackData, type ButtonRef } from "./callback-data.ts";
import { escapeHtml, splitText } from "./html.ts";
import { withReplyMarkup, type ReplyMarkup } from "./reply-markup.ts";

/** One price line of an invoice, in the currency's minor unit (Telegram's LabeledPrice). */
export interface PriceLine {
  readonly label: string;
  readonly amount: number;
}

export interface InlineButton {
  readonly text: string;
  readonly callback_data: string;
}

export type TelegramCall =
  | { readonly method: "sendMessage"; readonly text: string; readonly keyboard?: InlineButton[][]; readonly reply?: ReplyMarkup }
  | {
      readonly method: "sendInvoice";
      readonly title: string;
      readonly description: string;
      readonly payload: string;
      readonly currency: string;
      readonly prices: PriceLine[];
    };

/** The opaque payload of an invoice: the order id, checked against the payer on the server. */
export function invoicePayload(orderId: string): string {
  return `order:${orderId}`;
}

/** The order id in an invoice payload written by `invoicePayload`, or undefined. */
export function orderOfPayload(payload: string): string | undefined {
  return /^order:(\d{1,18})$/.exec(payload)?.[1];
}

const MAX_TITLE = 32;
const MAX_DESCRIPTION = 255;
/** Labels up to this long are laid out several to a row. */
const SHORT_LABEL = 8;

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Minor units as the currency writes them, e.g. 320 EUR → "€3.20". */
export function formatMoney(money: Money, locale = "en"): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amount / 10 ** digits);
}

function keyboard(buttons: ReadonlyArray<{ readonly button: Button; readonly ref: ButtonRef }>): InlineButton[][] {
  const keys = buttons.map(({ button, ref }) => ({ text: button.label, callback_data: callbackData(button.payload, ref) }));
  const perRow = keys.every((k) => [...k.text].length <= SHORT_LABEL) ? 4 : 1;
  const rows: InlineButton[][] = [];
  for (let i = 0; i < keys.length; i += perRow) rows.push(keys.slice(i, i + perRow));
  return rows;
}

function cardText(card: Card): string {
  const lines = [`<b>${escapeHtml(card.title)}</b>`];
  if (card.subtitle) lines.push(escapeHtml(card.subtitle));
  if (card.price) lines.push(escapeHtml(formatMoney(card.price)));
  return lines.join("\n");
}

/**
 * The Bot API calls that show one outbox message, in order: its text (split
 * at Telegram's 4096 characters), each card as a message with its price and
 * buttons, then the invoice. The message's own buttons go on its last text
 * or card message; long payloads become references (see `callbackData`).
 * An invoice's text is its description when it fits and has no buttons;
 * `prices` are the order's lines, or one line when they do not add up.
 */
export function renderEnvelope(envelope: Envelope, prices?: readonly PriceLine[]): TelegramCall[] {
  const { message, id } = envelope;
  const calls: TelegramCall[] = [];
  const topButtons = (message.buttons ?? []).map((button, i) => ({ button, ref: { outboxId: id, button: i } }));
  const cards = message.cards ?? [];
  const invoice = message.invoice;
  const text = message.text ?? "";
  const textIsDescription = invoice !== undefined && topButtons.length === 0 && text !== "" && [...text].length <= MAX_DESCRIPTION;

  if (text !== "" && !textIsDescription) {
    const pieces = splitText(text);
    pieces.forEach((piece, i) => {
      const last = i === pieces.length - 1 && cards.length === 0;
      calls.push({ method: "sendMessage", text: escapeHtml(piece), ...(last && topButtons.length > 0 ? { keyboard: keyboard(topButtons) } : {}) });
    });
  }
  cards.forEach((card, c) => {
    const own = (card.buttons ?? []).map((button, i) => ({ button, ref: { outboxId: id, card: c, button: i } }));
    const buttons = c === cards.length - 1 ? [...own, ...topButtons] : own;
    calls.push({ method: "sendMessage", text: cardText(card), ...(buttons.length > 0 ? { keyboard: keyboard(buttons) } : {}) });
  });
  if (text === "" && cards.length === 0 && topButtons.length > 0) {
    // Telegram shows no keyboard without a message to hang it on.
    calls.push({ method: "sendMessage", text: "…", keyboard: keyboard(topButtons) });
  }
  if (invoice) {
    const lines = prices && prices.length > 0 && prices.reduce((sum, p) => sum + p.amount, 0) === invoice.amount ? [...prices] : [{ label: invoice.title, amount: invoice.amount }];
    calls.push({
      method: "sendInvoice",
      title: clip(invoice.title, MAX_TITLE),
      description: textIsDescription ? text : clip(invoice.title, MAX_DESCRIPTION),
      payload: invoicePayload(invoice.order),
      currency: invoice.currency,
      prices: lines.map((p) => ({ label: p.label, amount: p.amount })),
    });
  }
  return withReplyMarkup(message, calls);
}
