import type { Activity, Attachment, CardAction } from "botbuilder";
import type { Button, Card, Envelope, Invoice } from "../../core/message.ts";
import type { Money } from "../../core/money.ts";

/**
 * How an invoice can be paid on this channel (Bot Framework channels have no
 * native payments): a hosted checkout link, none because the server has no
 * checkout configured, or none because the order is no longer payable.
 */
export type PaymentLink = { readonly kind: "link"; readonly url: string } | { readonly kind: "unavailable" } | { readonly kind: "closed" };

/** Minor units as the currency writes them, e.g. 320 EUR → "€3.20". */
export function formatMoney(money: Money, locale = "en"): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amount / 10 ** digits);
}

/**
 * A button as a card action: `messageBack`, which Teams, Web Chat and the
 * Emulator all support on cards. It shows the label in the chat as the
 * customer's message and posts `{ payload }` back as the activity's `value`
 * (with the label as its text, which a payload in `value` wins over).
 */
export function buttonAction(button: Button): CardAction {
  return { type: "messageBack", title: button.label, text: button.label, displayText: button.label, value: { payload: button.payload } };
}

/**
 * A button as a suggested action. Teams shows suggested actions only of type
 * `imBack` (the label comes back as typed text, which flows match against
 * the choices on screen); elsewhere the same `messageBack` as on cards.
 */
export function suggestedAction(button: Button, channelId: string): CardAction {
  return channelId === "msteams" ? { type: "imBack", title: button.label, value: button.label } : buttonAction(button);
}

function heroCard(content: { title: string; subtitle?: string; text?: string; buttons?: CardAction[] }): Attachment {
  return { contentType: "application/vnd.microsoft.card.hero", content };
}

function cardAttachment(card: Card, locale: string): Attachment {
  return heroCard({
    title: card.title,
    ...(card.subtitle ? { subtitle: card.subtitle } : {}),
    ...(card.price ? { text: formatMoney(card.price, locale) } : {}),
    ...(card.buttons && card.buttons.length > 0 ? { buttons: card.buttons.map(buttonAction) } : {}),
  });
}

/** The invoice card's words, in the languages Kiosk's own texts have; English for any other. */
const INVOICE_WORDS: Readonly<Record<string, { pay: (total: string) => string; unavailable: (order: string) => string; closed: (order: string) => string }>> = {
  en: {
    pay: (total) => `Pay ${total}`,
    unavailable: (order) => `Payment is not available on this channel. Your order number is ${order}.`,
    closed: (order) => `Order #${order} can no longer be paid.`,
  },
  fr: {
    pay: (total) => `Payer ${total}`,
    unavailable: (order) => `Le paiement n'est pas disponible sur ce canal. Votre numéro de commande est ${order}.`,
    closed: (order) => `La commande n°${order} ne peut plus être payée.`,
  },
  zh: {
    pay: (total) => `支付 ${total}`,
    unavailable: (order) => `此渠道不支持付款。您的订单号是 ${order}。`,
    closed: (order) => `订单 ${order} 已无法支付。`,
  },
};

function invoiceAttachment(invoice: Invoice, payment: PaymentLink, locale: string): Attachment {
  const words = INVOICE_WORDS[locale.split("-")[0]?.toLowerCase() ?? "en"] ?? INVOICE_WORDS.en;
  if (!words) throw new Error("the English invoice words are missing");
  let total: string;
  try {
    total = formatMoney({ amount: invoice.amount, currency: invoice.currency }, locale);
  } catch {
    total = formatMoney({ amount: invoice.amount, currency: invoice.currency });
  }
  const subtitle = total;
  switch (payment.kind) {
    case "link":
      return heroCard({ title: invoice.title, subtitle, buttons: [{ type: "openUrl", title: words.pay(total), value: payment.url }] });
    case "unavailable":
      return heroCard({ title: invoice.title, subtitle, text: words.unavailable(invoice.order) });
    case "closed":
      return heroCard({ title: invoice.title, subtitle, text: words.closed(invoice.order) });
  }
}

/**
 * The one activity that shows an outbox message: its text (plain, not
 * markdown), its cards as hero cards (several in a carousel), the invoice as
 * a hero card with an open-URL button to the hosted checkout, and its own
 * buttons as suggested actions.
 */
export interface RenderOptions {
  /** How the invoice is paid; `unavailable` by default. */
  readonly payment?: PaymentLink;
  /** The conversation's locale: words the invoice card and formats amounts. Default "en". */
  readonly locale?: string;
  /** The customer's channel ("msteams", "webchat", "emulator"…): Teams takes only `imBack` suggested actions. */
  readonly channelId?: string;
}

export function renderActivity(envelope: Envelope, options: RenderOptions = {}): Partial<Activity> {
  const { message } = envelope;
  const payment = options.payment ?? { kind: "unavailable" };
  const locale = options.locale ?? "en";
  const channelId = options.channelId ?? "";
  const attachments = [...(message.cards ?? []).map((card) => cardAttachment(card, locale)), ...(message.invoice ? [invoiceAttachment(message.invoice, payment, locale)] : [])];
  const buttons = message.buttons ?? [];
  return {
    type: "message",
    ...(message.text ? { text: message.text, textFormat: "plain" } : {}),
    ...(attachments.length > 0 ? { attachments, attachmentLayout: attachments.length > 1 ? "carousel" : "list" } : {}),
    ...(buttons.length > 0 ? { suggestedActions: { to: [], actions: buttons.map((b) => suggestedAction(b, channelId)) } } : {}),
  };
}
