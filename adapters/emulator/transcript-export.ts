import { Document } from "yaml";
import type { OutboundMessage } from "../../core/message.ts";
import type { Booking, Order } from "../../commerce/index.ts";
import { parseIsoDuration } from "../../jobs/index.ts";

/** What a customer did, as a transcript turn says it. */
export type RecordedAction = (
  | { readonly kind: "text" | "press" | "pay" | "contact"; readonly value: string }
  | { readonly kind: "location"; readonly value: { readonly latitude: number; readonly longitude: number } }
) & { readonly locale?: string };

/** One thing that happened to a customer, in the order it happened (`seq`), at emulator time `at`. */
export type RecordedEntry = { readonly seq: number; readonly at: Date; readonly messages: readonly OutboundMessage[] } & (
  | RecordedAction
  | { readonly kind: "advance"; readonly value: string }
  /** Sent on real time, outside any event: a timer the poller fired. */
  | { readonly kind: "spontaneous" }
);

export interface TranscriptExport {
  readonly bot: string;
  readonly customer: string;
  readonly entries: readonly RecordedEntry[];
  /** The customer's orders placed while recorded, for `end.orders`. */
  readonly orders: readonly Order[];
  /** The customer's bookings made while recorded, for `end.bookings`. */
  readonly bookings?: readonly Booking[];
  /** The conversation was under way before recording began: the play starts afresh, so it may differ. */
  readonly startedEarlier: boolean;
}

/** Real time shorter than this between two events is not written as an `advance` (it builds up until it is longer). */
const MIN_GAP_MS = 1000;

/** Syntax characters of a `u` regular expression; escaping anything else is an error in that mode. */
const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");

/**
 * A message as a transcript checks it. Order numbers (`#12`) depend on the
 * database, so a text with one becomes a pattern, and an invoice is checked
 * by amount and currency only: the transcript then passes on a fresh store.
 */
export function messageCheck(message: OutboundMessage): Record<string, unknown> {
  const check: Record<string, unknown> = {};
  if (message.text !== undefined) {
    check.text = /#\d+/.test(message.text) ? { matches: `^${escapeRegex(message.text).replace(/#\d+/g, "#\\d+")}$` } : message.text;
  }
  if (message.buttons?.length) check.buttons = message.buttons.map((b) => b.label);
  if (message.cards?.length) {
    check.cards = message.cards.map((c) => ({
      title: c.title,
      ...(c.subtitle ? { subtitle: c.subtitle } : {}),
      ...(c.price ? { price: c.price.amount } : {}),
      ...(c.buttons?.length ? { buttons: c.buttons.map((b) => b.label) } : {}),
    }));
  }
  if (message.invoice) check.invoice = { amount: message.invoice.amount, currency: message.invoice.currency };
  return check;
}

/** Milliseconds as an ISO 8601 duration in seconds: 90500 → PT90.5S. */
export function isoSeconds(ms: number): string {
  return `PT${(Math.max(0, Math.round(ms)) / 1000).toString()}S`;
}

/** The end state to check: the orders and bookings made while recorded, as they stand now. */
function endOf(input: TranscriptExport): { end?: Record<string, unknown> } {
  const bookings = input.bookings ?? [];
  const end = {
    ...(input.orders.length > 0
      ? { orders: input.orders.map((o) => ({ customer: o.userId, status: o.status, total: o.total, currency: o.currency, items: o.items.length })) }
      : {}),
    ...(bookings.length > 0
      ? {
          bookings: bookings.map((b) => ({
            customer: b.userId,
            service: b.serviceId,
            resource: b.resourceId,
            status: b.status,
            start: b.start.toISOString(),
            depositPaid: b.depositPaid,
            depositRefunded: b.depositRefunded,
          })),
        }
      : {}),
  };
  return Object.keys(end).length > 0 ? { end } : {};
}

/**
 * Writes what a customer did and received as a `*.transcript.yaml` that
 * `kiosk test` plays: each event a turn with the replies as its `expect`,
 * each fast-forward an `advance`, real time that passed between events an
 * `advance` too (with the messages timers sent meanwhile), and the orders
 * and bookings made as `end.orders` and `end.bookings`.
 */
export function transcriptYaml(input: TranscriptExport): string {
  const first = input.entries[0];
  if (!first) throw new RangeError("a transcript needs at least one recorded event");
  const expect = (messages: readonly OutboundMessage[]) => messages.map(messageCheck);
  const turns: Array<Record<string, unknown>> = [];
  let cursor = first.at.getTime();
  let locale: string | undefined;
  let meanwhile: OutboundMessage[] = [];
  const catchUp = (to: number) => {
    const gap = to - cursor;
    if (gap < MIN_GAP_MS && meanwhile.length === 0) return;
    turns.push({ advance: isoSeconds(gap), customer: input.customer, expect: expect(meanwhile) });
    cursor += Math.max(0, Math.round(gap));
    meanwhile = [];
  };
  for (const entry of input.entries) {
    if (entry.kind === "spontaneous") {
      meanwhile.push(...entry.messages);
      continue;
    }
    catchUp(entry.at.getTime());
    if (entry.kind === "advance") {
      turns.push({ advance: entry.value, customer: input.customer, expect: expect(entry.messages) });
      // The clock moved by the advance; the next event's time is measured from there.
      cursor = entry.at.getTime() + parseIsoDuration(entry.value);
      continue;
    }
    if (entry.locale !== undefined && entry.locale !== locale) {
      turns.push({ locale: entry.locale });
      locale = entry.locale;
    }
    turns.push({ [entry.kind]: entry.value, expect: expect(entry.messages) });
  }
  if (meanwhile.length > 0) {
    const last = input.entries.at(-1);
    catchUp(last ? last.at.getTime() : cursor);
  }
  const doc = new Document({
    name: `${input.bot}: ${input.customer}, exported from the emulator`,
    clock: first.at.toISOString(),
    customer: input.customer,
    turns,
    ...endOf(input),
  });
  const notes = [
    `Exported from the Kiosk emulator (bot ${input.bot}, customer ${input.customer}).`,
    "Order numbers are matched as #\\d+ and invoices by amount and currency, so it passes on a fresh database.",
  ];
  if (input.startedEarlier) {
    notes.push("WARNING: the conversation had begun before the server recorded it; the play starts afresh and may differ.");
  }
  doc.commentBefore = notes.map((n) => ` ${n}`).join("\n");
  return doc.toString({ lineWidth: 0 });
}
