import type { OutboundMessage } from "../../core/message.ts";

/** Telegram's limit for an inline button's callback_data, in bytes. */
export const MAX_CALLBACK_DATA = 64;

const REF_PREFIX = "~";
const REF = /^~(\d{1,15}):(?:c(\d{1,4}))?b(\d{1,4})$/;

/** Where a button sits in an outbox message: its top-level buttons, or a card's. */
export interface ButtonRef {
  readonly outboxId: number;
  readonly card?: number;
  readonly button: number;
}

/**
 * The callback_data of a button. A payload that fits in 64 bytes is sent as
 * it is; a longer one (or one that could be read as a reference) becomes a
 * reference to the button in its outbox message, `~<outbox id>:[c<card>]b<button>`,
 * which is durable (the outbox row keeps the message) and resolved only
 * within the pressing customer's own conversation.
 */
export function callbackData(payload: string, ref: ButtonRef): string {
  if (Buffer.byteLength(payload, "utf8") <= MAX_CALLBACK_DATA && !payload.startsWith(REF_PREFIX)) return payload;
  return `${REF_PREFIX}${ref.outboxId}:${ref.card === undefined ? "" : `c${ref.card}`}b${ref.button}`;
}

const PAGE = /^~p(\d{1,15}):(\d{1,4})$/;

/** The callback_data of a carousel's `k/n` button, which does nothing when pressed. */
export const PAGE_COUNTER = "~p";

/** A page of a message with several cards: which outbox message, which card. */
export interface PageRef {
  readonly outboxId: number;
  readonly index: number;
}

/**
 * The callback_data of a button that turns a carousel to card `index`:
 * `~p<outbox id>:<index>`, opaque and at most 22 bytes. Like a button
 * reference it is resolved only within the pressing customer's own
 * conversation; a payload can never read as one (see `callbackData`).
 */
export function pageData(outboxId: number, index: number): string {
  return `${PAGE_COUNTER}${outboxId}:${index}`;
}

/** Whether `data` is a carousel's page button (a page to turn to, or the counter), rather than a turn's input. */
export function isPageData(data: string): boolean {
  return data === PAGE_COUNTER || PAGE.test(data);
}

/** The page a `pageData` button turns to; undefined for anything else, the counter included. */
export function parsePageRef(data: string): PageRef | undefined {
  const match = PAGE.exec(data);
  return match ? { outboxId: Number(match[1]), index: Number(match[2]) } : undefined;
}

/** A reference written by `callbackData`, or undefined when `data` is a payload itself. */
export function parseButtonRef(data: string): ButtonRef | undefined {
  const match = REF.exec(data);
  if (!match) return undefined;
  const card = match[2] === undefined ? {} : { card: Number(match[2]) };
  return { outboxId: Number(match[1]), ...card, button: Number(match[3]) };
}

/** The payload of the referenced button in `message`, or undefined when there is no such button. */
export function buttonPayload(message: OutboundMessage, ref: ButtonRef): string | undefined {
  const buttons = ref.card === undefined ? message.buttons : message.cards?.[ref.card]?.buttons;
  return buttons?.[ref.button]?.payload;
}
