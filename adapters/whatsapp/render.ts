import { clip, formatMoney } from "../graph/api.ts";
import { channelWords } from "../graph/words.ts";
import { numberedList, splitText } from "../graph/text.ts";
import type { Button, Card, OutboundMessage } from "../../core/message.ts";

/** The Cloud API's limits for the message types Kiosk sends. */
export const LIMITS = {
  text: 4096,
  body: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  listButton: 20,
  ctaText: 20,
  header: 60,
  sectionTitle: 24,
  products: 30,
} as const;

const PRODUCT = "product:";

/** Cards that all offer one product each (`product:<id>` buttons) as a product_list; undefined when they do not. */
function productList(message: OutboundMessage, catalogId: string, locale: string | undefined): WhatsAppMessage | undefined {
  const cards = message.cards ?? [];
  const offered = cards.filter((c) => (c.buttons ?? []).length > 0);
  if (offered.length === 0 || offered.length > LIMITS.products) return undefined;
  if (!offered.every((c) => c.buttons?.length === 1 && c.buttons[0]?.payload.startsWith(PRODUCT))) return undefined;
  const said = message.text ?? "";
  const title = said === "" ? channelWords(locale).menu : said;
  return {
    type: "interactive",
    interactive: {
      type: "product_list",
      header: { type: "text", text: clip(title, LIMITS.header) },
      body: { text: clip(cards.map((c) => cardLine(c, locale)).join("\n"), LIMITS.body) },
      action: {
        catalog_id: catalogId,
        sections: [{ title: clip(title, LIMITS.sectionTitle), product_items: offered.map((c) => ({ product_retailer_id: c.buttons?.[0]?.payload.slice(PRODUCT.length) ?? "" })) }],
      },
    },
  };
}

/** The type-specific part of one `POST /{phone-number-id}/messages` body (without messaging_product and to). */
export type WhatsAppMessage =
  | { readonly type: "text"; readonly text: { readonly body: string; readonly preview_url: boolean } }
  | { readonly type: "interactive"; readonly interactive: Interactive }
  | { readonly type: "template"; readonly template: { readonly name: string; readonly language: { readonly code: string }; readonly components: unknown[] } };

export interface Row {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
}

export type Interactive =
  | { readonly type: "button"; readonly body: { readonly text: string }; readonly action: { readonly buttons: Array<{ readonly type: "reply"; readonly reply: { readonly id: string; readonly title: string } }> } }
  | { readonly type: "list"; readonly body: { readonly text: string }; readonly action: { readonly button: string; readonly sections: Array<{ readonly title?: string; readonly rows: Row[] }> } }
  | { readonly type: "cta_url"; readonly body: { readonly text: string }; readonly action: { readonly name: "cta_url"; readonly parameters: { readonly display_text: string; readonly url: string } } }
  | {
      readonly type: "product_list";
      readonly header: { readonly type: "text"; readonly text: string };
      readonly body: { readonly text: string };
      readonly action: { readonly catalog_id: string; readonly sections: Array<{ readonly title: string; readonly product_items: Array<{ readonly product_retailer_id: string }> }> };
    };

export interface RenderOptions {
  /** The invoice's hosted checkout link; undefined: the invoice is shown as text. */
  readonly checkoutUrl?: string;
  /** The customer's locale (the conversation's): amounts and the words WhatsApp adds (list button, pay button, product-list header). English when undefined. */
  readonly locale?: string;
  /** The list's menu button. Default: "Choose" in the customer's language. */
  readonly listButton?: string;
  /**
   * The Meta catalog linked to the WhatsApp number, whose product retailer
   * ids are Kiosk's product ids: product cards are then sent as a
   * product_list the customer adds to a WhatsApp cart from (the cart comes
   * back as an `order` message).
   */
  readonly catalogId?: string;
}

const text = (body: string): WhatsAppMessage[] => splitText(body, LIMITS.text).map((piece) => ({ type: "text", text: { body: piece, preview_url: false } }));

/** A choice as a list row: its label cut to 24 characters, the whole label as the description when cut. */
function row(id: string, label: string, description?: string): Row {
  const title = clip(label, LIMITS.rowTitle);
  const detail = description ?? (title === label ? undefined : label);
  return { id, title, ...(detail === undefined || detail === "" ? {} : { description: clip(detail, LIMITS.rowDescription) }) };
}

function cardLine(card: Card, locale: string | undefined): string {
  return [card.title, card.subtitle, card.price ? formatMoney(card.price, locale) : undefined].filter((s) => s !== undefined && s !== "").join(" — ");
}

/**
 * Text and the choices under it: up to 3 buttons whose labels fit become
 * reply buttons; up to 10 choices a list; more a numbered text the customer
 * answers with a number. `rows` are the choices as list rows (a card's
 * button carries the card's title and price).
 */
function choices(body: string, rows: readonly Row[], buttons: readonly Button[] | undefined, listButton: string): WhatsAppMessage[] {
  const pieces = splitText(body === "" ? "…" : body, LIMITS.body);
  const last = pieces.pop() ?? body;
  const head = pieces.flatMap((piece) => text(piece));
  if (buttons !== undefined && buttons.length <= LIMITS.buttons && buttons.every((b) => [...b.label].length <= LIMITS.buttonTitle && b.payload.length <= LIMITS.buttonId)) {
    return [...head, { type: "interactive", interactive: { type: "button", body: { text: last }, action: { buttons: buttons.map((b) => ({ type: "reply", reply: { id: b.payload, title: b.label } })) } } }];
  }
  if (rows.length <= LIMITS.rows && rows.every((r) => r.id.length <= LIMITS.rowId)) {
    return [...head, { type: "interactive", interactive: { type: "list", body: { text: last }, action: { button: clip(listButton, LIMITS.listButton), sections: [{ rows: [...rows] }] } } }];
  }
  return [...head, ...text(`${last}\n\n${numberedList(rows.map((r) => (r.description !== undefined && r.title.endsWith("…") ? r.description : r.title)))}`)];
}

/**
 * The Cloud API messages that show one outbox message inside the 24-hour
 * window: text; buttons as reply buttons (≤ 3), a list (≤ 10 rows) or a
 * numbered list; cards as list rows (one per card button, with the card's
 * price) or, with more choices than a list holds, a text of the cards and a
 * numbered list; the invoice as a cta_url button opening the hosted
 * checkout, or text without one.
 */
export function renderWhatsApp(message: OutboundMessage, options: RenderOptions = {}): WhatsAppMessage[] {
  const out: WhatsAppMessage[] = [];
  const body = message.text ?? "";
  const buttons = message.buttons ?? [];
  const cards = message.cards ?? [];
  const words = channelWords(options.locale);
  const listButton = options.listButton ?? words.choose;
  const invoice = message.invoice;
  const amount = invoice ? formatMoney({ amount: invoice.amount, currency: invoice.currency }, options.locale) : "";
  const textOnInvoice = invoice !== undefined && options.checkoutUrl !== undefined && buttons.length === 0 && cards.length === 0 && body !== "" && [...body].length <= LIMITS.body;

  const products = options.catalogId === undefined ? undefined : productList(message, options.catalogId, options.locale);
  if (products) {
    out.push(products);
    // A product list carries no other buttons: the message's own follow it.
    if (buttons.length > 0) out.push(...choices("…", buttons.map((b) => row(b.payload, b.label)), buttons, listButton));
  } else if (cards.length > 0) {
    // Each card button is a choice, labelled with its card; the message's own buttons follow.
    const picks = [
      ...cards.flatMap((card) => {
        const own = card.buttons ?? [];
        const detail = [card.subtitle, card.price ? formatMoney(card.price, options.locale) : undefined].filter((s) => s !== undefined && s !== "").join(" · ");
        return own.map((b) => ({ id: b.payload, label: own.length === 1 ? card.title : `${card.title}: ${b.label}`, detail }));
      }),
      ...buttons.map((b) => ({ id: b.payload, label: b.label, detail: undefined })),
    ];
    if (picks.length <= LIMITS.rows && picks.every((p) => p.id.length <= LIMITS.rowId)) {
      const unbuttoned = cards.filter((c) => (c.buttons ?? []).length === 0).map((c) => cardLine(c, options.locale));
      out.push(...choices([body, ...unbuttoned].filter((s) => s !== "").join("\n"), picks.map((p) => row(p.id, p.label, p.detail)), undefined, listButton));
    } else {
      const listed = cards.map((c) => cardLine(c, options.locale)).join("\n");
      out.push(...text([body, listed, numberedList(picks.map((p) => p.label))].filter((s) => s !== "").join("\n\n")));
    }
  } else if (buttons.length > 0) {
    out.push(...choices(body, buttons.map((b) => row(b.payload, b.label)), buttons, listButton));
  } else if (body !== "" && !textOnInvoice) {
    out.push(...text(body));
  }

  if (invoice) {
    const what = `${invoice.title} — ${amount}`;
    if (options.checkoutUrl === undefined) out.push(...text(what));
    else {
      out.push({
        type: "interactive",
        interactive: {
          type: "cta_url",
          body: { text: textOnInvoice ? body : clip(what, LIMITS.body) },
          action: { name: "cta_url", parameters: { display_text: clip(words.pay(amount), LIMITS.ctaText), url: options.checkoutUrl } },
        },
      });
    }
  }
  return out;
}

/**
 * Text as a template's body parameter: WhatsApp refuses new lines, tabs and
 * more than 4 spaces in a row in parameters, so lines are joined with " · ".
 */
export function templateParameter(value: string): string {
  return clip(
    value
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "")
      .join(" · ")
      .replace(/\t/g, " ")
      .replace(/ {4,}/g, "   "),
    1024,
  );
}

/** An approved template with the message's text as its one body parameter ({{1}}). */
export function templateMessage(template: { readonly name: string; readonly language: string }, message: OutboundMessage): WhatsAppMessage {
  const parameter = templateParameter(message.text ?? message.invoice?.title ?? "");
  return {
    type: "template",
    template: { name: template.name, language: { code: template.language }, components: [{ type: "body", parameters: [{ type: "text", text: parameter }] }] },
  };
}
