import { formatMoney, STARS } from "../../commerce/index.ts";
import type { Button, Card, Envelope } from "../../core/message.ts";
import { callbackData, PAGE_COUNTER, pageData, type ButtonRef } from "./callback-data.ts";
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
  /** A card with a picture: `photo` is the card's image (an https URL or a path in the bot's folder); `text` is the card as a text message, for when the photo cannot be sent. */
  | { readonly method: "sendPhoto"; readonly photo: string; readonly caption: string; readonly text: string; readonly keyboard?: InlineButton[][] }
  | {
      readonly method: "sendInvoice";
      readonly title: string;
      readonly description: string;
      readonly payload: string;
      readonly currency: string;
      readonly prices: PriceLine[];
      /** Ask for the recipient's name and a shipping address, and offer shipping options (answered by a shipping_query). */
      readonly shipping: boolean;
    };

/** A card's message: text, or a photo with a caption. */
export type CardCall = Extract<TelegramCall, { method: "sendMessage" | "sendPhoto" }>;

/** The opaque payload of an invoice: the order id, checked against the payer on the server. */
export function invoicePayload(orderId: string): string {
  return `order:${orderId}`;
}

/** The order id in an invoice payload written by `invoicePayload`, or undefined. */
export function orderOfPayload(payload: string): string | undefined {
  return /^order:(\d{1,18})$/.exec(payload)?.[1];
}

const MAX_TITLE = 32;
/** Telegram's limit for a photo's caption, in characters after entity parsing. */
export const MAX_CAPTION = 1024;
const MAX_DESCRIPTION = 255;
/** Labels up to this long are laid out several to a row. */
const SHORT_LABEL = 8;

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}


function keyboard(buttons: readonly RefButton[]): InlineButton[][] {
  const keys = buttons.map(({ button, ref }) => ({ text: button.label, callback_data: callbackData(button.payload, ref) }));
  const perRow = keys.every((k) => [...k.text].length <= SHORT_LABEL) ? 4 : 1;
  const rows: InlineButton[][] = [];
  for (let i = 0; i < keys.length; i += perRow) rows.push(keys.slice(i, i + perRow));
  return rows;
}

/** A card as HTML: its title in bold, its subtitle, its price (as `locale` writes it); clipped (the subtitle first) to `max` characters as shown. */
function cardText(card: Card, locale: string, max = Infinity): string {
  const title = clip(card.title, Math.min(max, 256));
  const price = card.price ? formatMoney(card.price, locale) : "";
  const room = max - [...title].length - (price === "" ? 0 : [...price].length + 1);
  const subtitle = card.subtitle && room > 1 ? clip(card.subtitle, room - 1) : "";
  return [`<b>${escapeHtml(title)}</b>`, escapeHtml(subtitle), escapeHtml(price)].filter((line) => line !== "<b></b>" && line !== "").join("\n");
}

/** One card with its keyboard: a photo with a caption when it has an image and `photo` allows, else a text message. */
function cardCall(card: Card, keyboardRows: InlineButton[][], photo: boolean, locale: string): CardCall {
  const markup = keyboardRows.length > 0 ? { keyboard: keyboardRows } : {};
  if (photo && card.image !== undefined) return { method: "sendPhoto", photo: card.image, caption: cardText(card, locale, MAX_CAPTION), text: cardText(card, locale), ...markup };
  return { method: "sendMessage", text: cardText(card, locale), ...markup };
}

type RefButton = { readonly button: Button; readonly ref: ButtonRef };

/** The buttons of a message's own (top-level) buttons, with their references. */
function topButtonsOf(envelope: Envelope): RefButton[] {
  return (envelope.message.buttons ?? []).map((button, i) => ({ button, ref: { outboxId: envelope.id, button: i } }));
}

/** A card's own buttons, with their references. */
function cardButtons(envelope: Envelope, card: number): RefButton[] {
  return (envelope.message.cards?.[card]?.buttons ?? []).map((button, i) => ({ button, ref: { outboxId: envelope.id, card, button: i } }));
}

/**
 * Page `index` of a message with several cards, shown as one Telegram
 * message: that card with its own buttons, a row `‹ k/n ›` to turn pages
 * (edited in place, see `pageData`), then the message's own buttons. A
 * photo when every card has an image (a message cannot turn from text to
 * photo when edited), else text. Undefined when there is no such card.
 */
export function renderPage(envelope: Envelope, index: number, locale = "en"): CardCall | undefined {
  const cards = envelope.message.cards ?? [];
  const card = cards[index];
  if (card === undefined) return undefined;
  const n = cards.length;
  const pages: InlineButton[] = [
    { text: "‹", callback_data: pageData(envelope.id, (index + n - 1) % n) },
    { text: `${index + 1}/${n}`, callback_data: PAGE_COUNTER },
    { text: "›", callback_data: pageData(envelope.id, (index + 1) % n) },
  ];
  const rows = [...keyboard(cardButtons(envelope, index)), pages, ...keyboard(topButtonsOf(envelope))];
  return cardCall(card, rows, cards.every((c) => c.image !== undefined), locale);
}

/**
 * The Bot API calls that show one outbox message, in order: its text (split
 * at Telegram's 4096 characters), its card as a message with its price and
 * buttons (a photo with a caption when it has an image), or several cards as
 * one message showing the first with page buttons (see `renderPage`), then
 * the invoice. The message's own buttons go on its last text or card
 * message; long payloads become references (see `callbackData`).
 * An invoice's text is its description when it fits and has no buttons;
 * `prices` are the order's lines, or one line when they do not add up.
 */
export function renderEnvelope(envelope: Envelope, prices?: readonly PriceLine[], locale = "en"): TelegramCall[] {
  const { message } = envelope;
  const calls: TelegramCall[] = [];
  const topButtons = topButtonsOf(envelope);
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
  const [card] = cards;
  if (cards.length > 1) {
    const page = renderPage(envelope, 0, locale);
    if (page) calls.push(page);
  } else if (card) {
    calls.push(cardCall(card, keyboard([...cardButtons(envelope, 0), ...topButtons]), true, locale));
  }
  if (text === "" && cards.length === 0 && topButtons.length > 0) {
    // Telegram shows no keyboard without a message to hang it on.
    calls.push({ method: "sendMessage", text: "…", keyboard: keyboard(topButtons) });
  }
  if (invoice) {
    // Telegram Stars take exactly one price line, and ship nothing.
    const stars = invoice.currency === STARS;
    const itemised = !stars && prices && prices.length > 0 && prices.reduce((sum, p) => sum + p.amount, 0) === invoice.amount;
    const lines = itemised ? [...prices] : [{ label: invoice.title, amount: invoice.amount }];
    calls.push({
      method: "sendInvoice",
      title: clip(invoice.title, MAX_TITLE),
      description: textIsDescription ? text : clip(invoice.title, MAX_DESCRIPTION),
      payload: invoicePayload(invoice.order),
      currency: invoice.currency,
      prices: lines.map((p) => ({ label: p.label, amount: p.amount })),
      shipping: invoice.shipping === true && !stars,
    });
  }
  return withReplyMarkup(message, calls);
}
