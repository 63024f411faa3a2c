import { clip, formatMoney } from "../graph/api.ts";
import { channelWords } from "../graph/words.ts";
import { numberedList, splitText } from "../graph/text.ts";
import type { Button, Card, OutboundMessage } from "../../core/message.ts";

/** Messenger's limits (Send API reference). */
export const LIMITS = {
  text: 2000,
  quickReplies: 13,
  quickReplyTitle: 20,
  buttonTemplateText: 640,
  buttons: 3,
  buttonTitle: 20,
  elements: 10,
  elementTitle: 80,
  elementSubtitle: 80,
  payload: 1000,
} as const;

export interface QuickReply {
  readonly content_type: "text";
  readonly title: string;
  readonly payload: string;
}

export type TemplateButton = { readonly type: "postback"; readonly title: string; readonly payload: string } | { readonly type: "web_url"; readonly title: string; readonly url: string };

export interface GenericElement {
  readonly title: string;
  readonly subtitle?: string;
  /** The card's picture; Messenger fetches it, so only an https URL (an image in the bot's folder is not shown). */
  readonly image_url?: string;
  readonly buttons?: TemplateButton[];
}

export type TemplatePayload =
  | { readonly template_type: "button"; readonly text: string; readonly buttons: TemplateButton[] }
  | { readonly template_type: "generic"; readonly elements: GenericElement[] };

/** The `message` object of one Send API call. */
export type MessengerMessage =
  | { readonly text: string; readonly quick_replies?: QuickReply[] }
  | { readonly attachment: { readonly type: "template"; readonly payload: TemplatePayload }; readonly quick_replies?: QuickReply[] };

export interface RenderOptions {
  /** The hosted checkout link of the message's invoice; undefined when there is none (the invoice is shown as text). */
  readonly checkoutUrl?: string;
  /** The customer's locale (the conversation's): the amounts and the pay button's words. English when undefined. */
  readonly locale?: string;
}

const quickReplies = (buttons: readonly Button[]): QuickReply[] =>
  buttons.map((b) => ({ content_type: "text", title: clip(b.label, LIMITS.quickReplyTitle), payload: b.payload }));

const postbacks = (buttons: readonly Button[]): TemplateButton[] => buttons.map((b) => ({ type: "postback", title: clip(b.label, LIMITS.buttonTitle), payload: b.payload }));

function element(card: Card, locale: string | undefined): GenericElement {
  const subtitle = [card.subtitle, card.price ? formatMoney(card.price, locale) : undefined].filter((s) => s !== undefined && s !== "").join(" · ");
  const buttons = card.buttons ?? [];
  return {
    title: clip(card.title, LIMITS.elementTitle),
    ...(subtitle === "" ? {} : { subtitle: clip(subtitle, LIMITS.elementSubtitle) }),
    ...(card.image?.startsWith("https://") ? { image_url: card.image } : {}),
    ...(buttons.length > 0 ? { buttons: postbacks(buttons.slice(0, LIMITS.buttons)) } : {}),
  };
}

/**
 * Text with its buttons: up to 3 with labels that fit become a button
 * template (they stay on screen); up to 13 become quick replies; more become
 * a numbered list the customer answers with a number. Long text is split,
 * the buttons going on its last piece.
 */
function textWithButtons(text: string, buttons: readonly Button[]): MessengerMessage[] {
  const body = text === "" ? "…" : text;
  if (buttons.length === 0) return splitText(body, LIMITS.text).map((piece) => ({ text: piece }));
  if (buttons.length > LIMITS.quickReplies) return splitText(`${body}\n\n${numberedList(buttons.map((b) => b.label))}`, LIMITS.text).map((piece) => ({ text: piece }));
  const pieces = splitText(body, LIMITS.text);
  const last = pieces.pop() ?? body;
  const head: MessengerMessage[] = pieces.map((piece) => ({ text: piece }));
  const fits = buttons.length <= LIMITS.buttons && [...last].length <= LIMITS.buttonTemplateText && buttons.every((b) => [...b.label].length <= LIMITS.buttonTitle);
  if (fits) return [...head, { attachment: { type: "template", payload: { template_type: "button", text: last, buttons: postbacks(buttons) } } }];
  return [...head, { text: last, quick_replies: quickReplies(buttons) }];
}

/**
 * The Send API messages that show one outbox message, in order: its text
 * (with its buttons when it has no cards), its cards as generic-template
 * carousels of up to 10 (3 buttons each; the message's own buttons as quick
 * replies on the last one, or a numbered list when more than 13), then the
 * invoice as a button template whose web_url button opens the hosted
 * checkout (plain text when there is no link).
 */
export function renderMessenger(message: OutboundMessage, options: RenderOptions = {}): MessengerMessage[] {
  const out: MessengerMessage[] = [];
  const buttons = message.buttons ?? [];
  const cards = message.cards ?? [];
  const text = message.text ?? "";
  const invoice = message.invoice;
  const amount = invoice ? formatMoney({ amount: invoice.amount, currency: invoice.currency }, options.locale) : "";
  // The text goes on the invoice's template when it is all there is to say.
  const textOnInvoice = invoice !== undefined && options.checkoutUrl !== undefined && buttons.length === 0 && cards.length === 0 && text !== "" && [...text].length <= LIMITS.buttonTemplateText;

  if (cards.length === 0) {
    if ((text !== "" && !textOnInvoice) || buttons.length > 0) out.push(...textWithButtons(text, buttons));
  } else {
    if (text !== "") out.push(...splitText(text, LIMITS.text).map((piece) => ({ text: piece })));
    for (let i = 0; i < cards.length; i += LIMITS.elements) {
      const elements = cards.slice(i, i + LIMITS.elements).map((card) => element(card, options.locale));
      const lastCarousel = i + LIMITS.elements >= cards.length;
      const replies = lastCarousel && buttons.length > 0 && buttons.length <= LIMITS.quickReplies ? { quick_replies: quickReplies(buttons) } : {};
      out.push({ attachment: { type: "template", payload: { template_type: "generic", elements } }, ...replies });
    }
    if (buttons.length > LIMITS.quickReplies) out.push({ text: numberedList(buttons.map((b) => b.label)) });
  }

  if (invoice) {
    const what = `${invoice.title} — ${amount}`;
    if (options.checkoutUrl === undefined) out.push({ text: what });
    else {
      const title = clip(channelWords(options.locale).pay(amount), LIMITS.buttonTitle);
      out.push({
        attachment: {
          type: "template",
          payload: { template_type: "button", text: textOnInvoice ? text : clip(what, LIMITS.buttonTemplateText), buttons: [{ type: "web_url", title, url: options.checkoutUrl }] },
        },
      });
    }
  }
  return out;
}
