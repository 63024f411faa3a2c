/* global TextEncoder */
// How each channel would show a Kiosk message, with its limits, and which
// fallback applies when a message asks for more than the channel allows.
// Plain JS with no DOM: the emulator page imports it as is, and
// adapters/emulator/page/channels.test.ts checks the same file.
//
// Limits are the platforms' documented ones (checked 2026-12):
// - Telegram Bot API: message text 1–4096 characters; an inline keyboard of up
//   to 100 buttons; callback_data 1–64 bytes; no carousel: several cards are
//   one message paged with ‹ k/n › buttons that edit it in place; native
//   invoices (sendInvoice).
// - Messenger Platform: text up to 2000 characters; up to 13 quick replies
//   (title up to 20 characters); button template up to 3 buttons; generic
//   template (carousel) up to 10 elements, each with up to 3 buttons; no
//   native payments in most regions: a payment link.
// - WhatsApp Cloud API: text up to 4096 characters; interactive reply buttons
//   up to 3 (title up to 20 characters); list message up to 10 rows (title up
//   to 24 characters); no carousel; payment link.
// - Bot Framework Web Chat: hero cards (a carousel), suggested actions, no
//   native invoice: a link.

/** @type {Readonly<Record<string, import("./channels.d.ts").ChannelLimits>>} */
export const CHANNELS = Object.freeze({
  emulator: { id: "emulator", name: "Emulator (no limits)", textMax: Infinity },
  telegram: { id: "telegram", name: "Telegram", textMax: 4096, buttonsMax: 100, payloadBytesMax: 64 },
  messenger: {
    id: "messenger",
    name: "Messenger",
    textMax: 2000,
    templateButtonsMax: 3,
    quickRepliesMax: 13,
    quickReplyTitleMax: 20,
    carouselMax: 10,
    cardButtonsMax: 3,
  },
  whatsapp: { id: "whatsapp", name: "WhatsApp", textMax: 4096, replyButtonsMax: 3, replyTitleMax: 20, listRowsMax: 10, listTitleMax: 24 },
  webchat: { id: "webchat", name: "Web Chat (Bot Framework)", textMax: Infinity },
});

export const CHANNEL_IDS = Object.freeze(Object.keys(CHANNELS));

/**
 * Formats money held in minor units with Intl for the currency (EUR has 2
 * decimals, JPY none); Telegram Stars (XTR, whole stars) as "⭐750", as the
 * server writes them (commerce/money.ts).
 * @param {{amount:number,currency:string}} money
 * @param {string} [locale]
 */
export function formatMoney(money, locale) {
  const stars = money.currency === "XTR";
  /** @type {Intl.NumberFormatOptions} */
  const options = stars ? {} : { style: "currency", currency: money.currency };
  let fmt;
  try {
    fmt = new Intl.NumberFormat(locale, options);
  } catch {
    fmt = new Intl.NumberFormat("en", options);
  }
  if (stars) return `⭐${fmt.format(money.amount)}`;
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(money.amount / 10 ** digits);
}

/** @param {string} text @param {number} max */
function clip(text, max) {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** @param {string} text @param {number} max */
function split(text, max) {
  const chars = [...text];
  const parts = [];
  for (let i = 0; i < chars.length; i += max) parts.push(chars.slice(i, i + max).join(""));
  return parts;
}

const byteLength = (/** @type {string} */ s) => new TextEncoder().encode(s).length;

/** @param {import("./channels.d.ts").Card} card @param {string|undefined} locale */
function cardLine(card, locale) {
  return [card.title, card.price ? formatMoney(card.price, locale) : undefined].filter(Boolean).join(" — ");
}

/**
 * Renders one message as the channel would show it.
 *
 * @param {import("./channels.d.ts").Message} message
 * @param {string} channelId one of CHANNEL_IDS
 * @param {{locale?: string}} [options]
 * @returns {import("./channels.d.ts").Rendered}
 */
export function renderForChannel(message, channelId, options = {}) {
  const ch = CHANNELS[channelId];
  if (!ch) throw new Error(`unknown channel '${channelId}'; channels are: ${CHANNEL_IDS.join(", ")}`);
  const locale = options.locale;
  /** @type {import("./channels.d.ts").Bubble[]} */
  const bubbles = [];
  /** @type {string[]} */
  const fallbacks = [];
  const buttons = [...(message.buttons ?? [])];
  const cards = [...(message.cards ?? [])];
  const text = message.text;

  // Text longer than the channel allows is sent as several messages.
  /** @type {string[]} */
  let texts = [];
  if (text !== undefined) {
    if ([...text].length > ch.textMax) {
      texts = split(text, ch.textMax);
      fallbacks.push(`text of ${[...text].length} characters → ${texts.length} messages (${ch.name} allows ${ch.textMax})`);
    } else texts = [text];
  }
  const lastText = texts.pop();
  for (const t of texts) bubbles.push({ kind: "text", text: t });

  switch (ch.id) {
    case "emulator":
    case "webchat": {
      const style = ch.id === "webchat" ? "suggested" : "inline";
      if (cards.length === 0) {
        if (lastText !== undefined || buttons.length > 0) bubbles.push({ kind: "text", text: lastText ?? "", buttons: buttons.map((b) => ({ ...b })), buttonStyle: style });
      } else {
        if (lastText !== undefined) bubbles.push({ kind: "text", text: lastText });
        bubbles.push({ kind: "carousel", cards: cards.map((c) => ({ ...c, buttons: [...(c.buttons ?? [])] })) });
        if (buttons.length > 0) bubbles.push({ kind: "text", text: "", buttons: buttons.map((b) => ({ ...b })), buttonStyle: style });
        if (ch.id === "webchat") fallbacks.push(`${cards.length} card${cards.length > 1 ? "s" : ""} → hero card carousel`);
      }
      if (buttons.length > 0 && ch.id === "webchat") fallbacks.push(`${buttons.length} button${buttons.length > 1 ? "s" : ""} → suggested actions`);
      break;
    }
    case "telegram": {
      if (lastText !== undefined || buttons.length > 0) {
        let shown = buttons;
        if (buttons.length > (ch.buttonsMax ?? Infinity)) {
          shown = buttons.slice(0, ch.buttonsMax);
          fallbacks.push(`${buttons.length} buttons → first ${ch.buttonsMax} (Telegram allows ${ch.buttonsMax} per keyboard)`);
        }
        const long = shown.filter((b) => byteLength(b.payload) > (ch.payloadBytesMax ?? Infinity));
        if (long.length > 0) fallbacks.push(`${long.length} payload${long.length > 1 ? "s" : ""} over 64 bytes → short key kept on the server (callback_data allows 64 bytes)`);
        bubbles.push({ kind: "text", text: lastText ?? "", buttons: shown.map((b) => ({ ...b })), buttonStyle: "inline" });
      }
      if (cards.length > 0) {
        for (const c of cards) bubbles.push({ kind: "text", text: cardLine(c, locale) + (c.subtitle ? `\n${c.subtitle}` : ""), buttons: [...(c.buttons ?? [])], buttonStyle: "inline" });
        if (cards.length > 1) fallbacks.push(`${cards.length} cards → one message showing card 1 of ${cards.length}, paged in place with ‹ ›; shown here one under another (Telegram has no carousel)`);
      }
      break;
    }
    case "messenger": {
      if (cards.length > 0) {
        if (cards.length > (ch.carouselMax ?? Infinity)) {
          bubbles.push({ kind: "list", title: "", rows: cards.map((c, i) => ({ label: `${i + 1}. ${cardLine(c, locale)}`, payload: c.buttons?.[0]?.payload ?? "" })) });
          fallbacks.push(`${cards.length} cards → numbered list (Messenger's carousel allows ${ch.carouselMax})`);
        } else {
          const trimmed = cards.filter((c) => (c.buttons?.length ?? 0) > (ch.cardButtonsMax ?? Infinity)).length;
          if (trimmed > 0) fallbacks.push(`${trimmed} card${trimmed > 1 ? "s" : ""} with more than ${ch.cardButtonsMax} buttons → first ${ch.cardButtonsMax} (generic template)`);
          bubbles.push({ kind: "carousel", cards: cards.map((c) => ({ ...c, buttons: [...(c.buttons ?? [])].slice(0, ch.cardButtonsMax) })) });
          fallbacks.push(`${cards.length} card${cards.length > 1 ? "s" : ""} → generic template carousel`);
        }
      }
      if (lastText !== undefined || buttons.length > 0) {
        const max = ch.templateButtonsMax ?? Infinity;
        const qrMax = ch.quickRepliesMax ?? Infinity;
        const titleMax = ch.quickReplyTitleMax ?? Infinity;
        if (buttons.length <= max) {
          bubbles.push({ kind: "text", text: lastText ?? "", buttons: buttons.map((b) => ({ ...b })), buttonStyle: "inline" });
        } else if (buttons.length <= qrMax) {
          const clipped = buttons.filter((b) => [...b.label].length > titleMax).length;
          bubbles.push({ kind: "text", text: lastText ?? "", buttons: buttons.map((b) => ({ ...b, label: clip(b.label, titleMax) })), buttonStyle: "quick" });
          fallbacks.push(`${buttons.length} buttons → quick replies (button template allows ${max})`);
          if (clipped > 0) fallbacks.push(`${clipped} quick repl${clipped > 1 ? "ies" : "y"} cut to ${titleMax} characters`);
        } else {
          const list = buttons.map((b, i) => `${i + 1}. ${b.label}`).join("\n");
          bubbles.push({ kind: "text", text: [lastText, list].filter(Boolean).join("\n\n"), buttons: [], buttonStyle: "inline" });
          fallbacks.push(`${buttons.length} buttons → numbered list to type (Messenger allows ${qrMax} quick replies)`);
        }
      }
      break;
    }
    case "whatsapp": {
      const rowMax = ch.listRowsMax ?? Infinity;
      const titleMax = ch.listTitleMax ?? Infinity;
      if (cards.length > 0) {
        // One interactive element per message: the cards and the buttons become one list.
        const rows = [
          ...cards.map((c) => ({ label: clip(c.title, titleMax), description: c.price ? formatMoney(c.price, locale) : c.subtitle, payload: c.buttons?.[0]?.payload ?? "" })),
          ...buttons.map((b) => ({ label: clip(b.label, titleMax), payload: b.payload })),
        ];
        if (rows.length <= rowMax) {
          bubbles.push({ kind: "list", title: lastText ?? "", rows });
          fallbacks.push(`${cards.length} card${cards.length > 1 ? "s" : ""}${buttons.length ? ` + ${buttons.length} button${buttons.length > 1 ? "s" : ""}` : ""} → list message (WhatsApp has no carousel)`);
        } else {
          const list = rows.map((r, i) => `${i + 1}. ${r.label}${r.description ? ` — ${r.description}` : ""}`).join("\n");
          bubbles.push({ kind: "text", text: [lastText, list].filter(Boolean).join("\n\n") });
          fallbacks.push(`${rows.length} choices → numbered list to type (WhatsApp lists allow ${rowMax} rows)`);
        }
        break;
      }
      if (lastText === undefined && buttons.length === 0) break;
      const replyMax = ch.replyButtonsMax ?? Infinity;
      const replyTitleMax = ch.replyTitleMax ?? Infinity;
      if (buttons.length <= replyMax) {
        const clipped = buttons.filter((b) => [...b.label].length > replyTitleMax).length;
        bubbles.push({ kind: "text", text: lastText ?? "", buttons: buttons.map((b) => ({ ...b, label: clip(b.label, replyTitleMax) })), buttonStyle: "reply" });
        if (clipped > 0) fallbacks.push(`${clipped} button title${clipped > 1 ? "s" : ""} cut to ${replyTitleMax} characters`);
      } else if (buttons.length <= rowMax) {
        bubbles.push({ kind: "list", title: lastText ?? "", rows: buttons.map((b) => ({ label: clip(b.label, titleMax), payload: b.payload })) });
        fallbacks.push(`${buttons.length} buttons → list (WhatsApp allows ${replyMax})`);
      } else {
        const list = buttons.map((b, i) => `${i + 1}. ${b.label}`).join("\n");
        bubbles.push({ kind: "text", text: [lastText, list].filter(Boolean).join("\n\n") });
        fallbacks.push(`${buttons.length} buttons → numbered list to type (WhatsApp allows ${replyMax} buttons, ${rowMax} list rows)`);
      }
      break;
    }
  }

  // A question asking for a phone number or a location: Telegram shows a button that shares it (a reply keyboard),
  // and so does the emulator; elsewhere the customer types the answer.
  if (message.request) {
    const share = { kind: message.request.kind, label: message.request.label };
    if (ch.id === "telegram" || ch.id === "emulator") bubbles.push({ kind: "share", share });
    else fallbacks.push(`share button "${share.label}" → none: the customer types the ${share.kind === "contact" ? "number" : "address"} (${ch.name} has no share button)`);
  }

  if (message.invoice) {
    const inv = message.invoice;
    const native = ch.id === "telegram" || ch.id === "emulator";
    bubbles.push({ kind: "invoice", invoice: { ...inv }, native, amount: formatMoney(inv, locale) });
    if (!native) fallbacks.push(`invoice → payment link (${ch.name} has no native invoice)`);
  }
  return { bubbles, fallbacks };
}
