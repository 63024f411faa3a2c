import { z } from "zod";
import { BOOKING_STATUSES, ORDER_STATUSES } from "../../commerce/index.ts";
import { parseIsoDuration } from "../../jobs/index.ts";

/**
 * The shape of a `*.transcript.yaml` file: a conversation played against a
 * bot in the emulator, what each turn must send back, and the state it must
 * leave. Loaded by transcript-load.ts, played by transcript.ts.
 */


/** The fields each map of a transcript may have, for "did you mean" on a misspelt one. */
export const TRANSCRIPT_FIELDS = {
  transcript: ["name", "clock", "customer", "turns", "end"],
  turn: ["text", "press", "pay", "contact", "location", "advance", "locale", "customer", "expect"],
  message: ["to", "text", "buttons", "cards", "invoice"],
  includes: ["includes"],
  text: ["contains", "matches"],
  card: ["title", "subtitle", "price", "buttons"],
  invoice: ["amount", "currency", "title", "order"],
  end: ["orders", "bookings", "stock"],
  order: ["customer", "status", "total", "currency", "items"],
  booking: ["customer", "service", "resource", "status", "start", "depositPaid", "depositRefunded"],
} as const satisfies Record<string, readonly string[]>;

export const TURN_ACTIONS = ["text", "press", "pay", "contact", "location", "advance", "locale"] as const;

const user = z.string().min(1).max(128);

function compiles(source: string): boolean {
  try {
    new RegExp(source, "u");
    return true;
  } catch {
    return false;
  }
}

function isDuration(text: string): boolean {
  try {
    parseIsoDuration(text);
    return true;
  } catch {
    return false;
  }
}

const textCheck = z.union(
  [
    z.string(),
    z.strictObject({ contains: z.string().min(1) }),
    z.strictObject({ matches: z.string().min(1).refine(compiles, { error: "is not a valid regular expression" }) }),
  ],
  { error: "text should be the exact text, { contains: \"…\" } or { matches: \"regular expression\" }" },
);

const cardCheck = z.union(
  [
    z.string(),
    z.strictObject({
      title: z.string(),
      subtitle: z.string().optional(),
      /** In the currency's minor unit, as everywhere in Kiosk. */
      price: z.int().min(0).optional(),
      buttons: z.array(z.string()).optional(),
    }),
  ],
  { error: "a card should be its title, or { title, subtitle?, price?, buttons? }" },
);

const messageCheck = z.strictObject({
  to: user.optional(),
  text: textCheck.optional(),
  buttons: z.array(z.string()).optional(),
  cards: z.array(cardCheck).optional(),
  invoice: z
    .strictObject({
      amount: z.int().min(0),
      currency: z.string().length(3).optional(),
      title: z.string().optional(),
      order: z.string().optional(),
    })
    .optional(),
});

export type MessageCheck = z.output<typeof messageCheck>;
export type TextCheck = z.output<typeof textCheck>;
export type CardCheck = z.output<typeof cardCheck>;

const expectation = z
  .union([z.array(messageCheck), z.strictObject({ includes: z.array(messageCheck).min(1) })], {
    error: "expect should be a list of messages, or { includes: [messages] } for messages among others",
  })
  .transform((value) => (Array.isArray(value) ? { mode: "exact" as const, messages: value } : { mode: "includes" as const, messages: value.includes }));

export type Expectation = z.output<typeof expectation>;

// One strict map rather than a union of five: the author gets "needs one of
// text, press, …" instead of five unions' worth of mismatches.
const turn = z
  .strictObject({
    text: z.string().max(4096).optional(),
    press: z.string().min(1).max(512).optional(),
    pay: z.enum(["succeed", "decline"]).optional(),
    /** The customer shares their own phone number from a share button. */
    contact: z.string().min(1).max(64).optional(),
    /** The customer shares where they are from a share button. */
    location: z.strictObject({ latitude: z.number(), longitude: z.number() }).optional(),
    advance: z.string().refine(isDuration, { error: "is not an ISO 8601 duration; write e.g. PT15M, PT2H or P1D" }).optional(),
    locale: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: "is not a locale; write a language tag such as fr or fr-CA" })
      .optional(),
    customer: user.optional(),
    expect: expectation.optional(),
  })
  .superRefine((value, ctx) => {
    const present = TURN_ACTIONS.filter((a) => value[a] !== undefined);
    const [first, second] = present;
    if (first === undefined) {
      ctx.addIssue({ code: "custom", message: `a turn needs one of ${TURN_ACTIONS.join(", ")}`, input: value, params: { missingAction: true } });
    } else if (second !== undefined) {
      ctx.addIssue({ code: "custom", path: [second], message: `a turn does one thing; this one has both ${first} and ${second}; split it into two turns`, input: value });
    } else if (first === "locale" && value.expect !== undefined) {
      ctx.addIssue({ code: "custom", path: ["expect"], message: "a locale turn sends nothing, so it has nothing to expect; put expect on the next turn", input: value });
    }
  })
  .transform((value): Turn => {
    const common = { ...(value.customer === undefined ? {} : { customer: value.customer }), ...(value.expect === undefined ? {} : { expect: value.expect }) };
    if (value.text !== undefined) return { kind: "text", text: value.text, ...common };
    if (value.press !== undefined) return { kind: "press", press: value.press, ...common };
    if (value.pay !== undefined) return { kind: "pay", pay: value.pay, ...common };
    if (value.contact !== undefined) return { kind: "contact", contact: value.contact, ...common };
    if (value.location !== undefined) return { kind: "location", location: value.location, ...common };
    if (value.advance !== undefined) return { kind: "advance", advance: value.advance, ...common };
    return { kind: "locale", locale: value.locale ?? "", ...common };
  });

export type TurnAction =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "press"; readonly press: string }
  | { readonly kind: "pay"; readonly pay: "succeed" | "decline" }
  | { readonly kind: "contact"; readonly contact: string }
  | { readonly kind: "location"; readonly location: { readonly latitude: number; readonly longitude: number } }
  | { readonly kind: "advance"; readonly advance: string }
  | { readonly kind: "locale"; readonly locale: string };

export type Turn = TurnAction & { readonly customer?: string; readonly expect?: Expectation };

const orderCheck = z.strictObject({
  customer: user.optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  total: z.int().min(0).optional(),
  currency: z.string().length(3).optional(),
  /** How many lines the order has. */
  items: z.int().min(0).optional(),
});

export type OrderCheck = z.output<typeof orderCheck>;

const instant = z.iso.datetime({ offset: true, error: "is not an ISO instant; write e.g. 2026-11-24T09:00:00Z" });

const bookingCheck = z.strictObject({
  customer: user.optional(),
  /** Service and resource ids, as in the bot's calendar. */
  service: z.string().min(1).optional(),
  resource: z.string().min(1).optional(),
  status: z.enum(BOOKING_STATUSES).optional(),
  /** Compared as an instant: `2027-03-26T10:30:00+01:00` and `2027-03-26T09:30:00Z` are the same start. */
  start: instant.optional(),
  /** In the currency's minor unit. */
  depositPaid: z.int().min(0).optional(),
  depositRefunded: z.int().min(0).optional(),
});

export type BookingCheck = z.output<typeof bookingCheck>;

export const transcriptSchema = z.strictObject({
  name: z.string().min(1),
  clock: instant.optional(),
  customer: user.optional(),
  turns: z.array(turn).min(1),
  end: z
    .strictObject({
      orders: z.array(orderCheck).optional(),
      /** The bot's bookings, in id order. */
      bookings: z.array(bookingCheck).optional(),
      /** Product id → units left; null for a product whose stock is not counted. */
      stock: z.record(z.string().min(1), z.int().min(0).nullable()).optional(),
    })
    .optional(),
});

/** Where each turn of a transcript read from a file is written, for failures that name the line. */
export interface TranscriptSource {
  readonly file: string;
  readonly turnLines: readonly number[];
}

export type Transcript = z.output<typeof transcriptSchema> & { readonly source?: TranscriptSource };
