import { z } from "zod";
import { CommerceError } from "../errors.ts";
import { MAX_PAYMENT_MINOR } from "../money.ts";

/**
 * The shapes of the Stripe events the hosted checkout reads, checked before
 * any field is used: a signed event that is not what its type promises
 * (`"data": null`, a negative amount) is refused with a clear reason rather
 * than failing halfway (a 500 the provider would retry for days). Only the
 * fields Kiosk reads are checked; Stripe adds fields over time. Bounds are
 * Stripe's own: ids up to 255 characters, metadata values up to 500, amounts
 * at most eight digits.
 */
const id = z.string().min(1).max(255);
const currency = z.string().regex(/^[A-Za-z]{3}$/, { error: "a three-letter ISO 4217 code" });
// A session's or intent's amount: zero happens (a free session); the engine refuses zero as a payment.
const amount = z.int().min(0).max(MAX_PAYMENT_MINOR);
const metadata = z.record(z.string().max(40), z.string().max(500));

export const checkoutSessionShape = z.looseObject({
  id,
  object: z.literal("checkout.session"),
  payment_status: z.enum(["paid", "unpaid", "no_payment_required"]),
  amount_total: amount.nullable(),
  currency: currency.nullable(),
  metadata: metadata.nullable().optional(),
  payment_intent: z.union([id, z.looseObject({ id }), z.null()]).optional(),
});

const paymentIntentShape = z.looseObject({ id, object: z.literal("payment_intent"), amount, currency });

/** The session events Kiosk reads, and the intent events it acknowledges after checking them (it pays from the session's). */
export const SESSION_EVENTS = ["checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed", "checkout.session.expired"] as const;
const INTENT_EVENTS = ["payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled", "payment_intent.processing", "payment_intent.created", "payment_intent.requires_action"] as const;

const envelope = z.looseObject({ id, object: z.literal("event"), type: z.string().min(1).max(255) });

export type CheckoutSessionObject = z.infer<typeof checkoutSessionShape>;

export type CheckedEvent =
  | { readonly kind: "session"; readonly id: string; readonly type: (typeof SESSION_EVENTS)[number]; readonly session: CheckoutSessionObject }
  | { readonly kind: "other"; readonly id: string; readonly type: string };

function describe(error: z.ZodError, prefix: string): string {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter((p) => p !== "").join(".") || "body"}: ${i.message}`).join("; ");
}

const isSessionEvent = (type: string): type is (typeof SESSION_EVENTS)[number] => (SESSION_EVENTS as readonly string[]).includes(type);
const isIntentEvent = (type: string): boolean => (INTENT_EVENTS as readonly string[]).includes(type);

/**
 * Checks a verified event's shape for its type. Throws
 * `CommerceError("malformed_event")` naming the fields that are wrong (never
 * their values: they may hold a customer's data). Types Kiosk does not read
 * pass with their envelope checked only.
 */
export function checkEvent(value: unknown): CheckedEvent {
  const head = envelope.safeParse(value);
  if (!head.success) throw new CommerceError("malformed_event", `not a Stripe event (${describe(head.error, "")})`);
  const { id: eventId, type } = head.data;
  const object = (value as { data?: { object?: unknown } | null }).data;
  const malformed = (error: z.ZodError) =>
    new CommerceError("malformed_event", `event ${eventId} (${type}) is not shaped as Stripe sends it: ${describe(error, "data")}`, { eventId, type });
  if (isSessionEvent(type)) {
    const data = z.looseObject({ object: checkoutSessionShape }).safeParse(object);
    if (!data.success) throw malformed(data.error);
    return { kind: "session", id: eventId, type, session: data.data.object };
  }
  if (isIntentEvent(type)) {
    const data = z.looseObject({ object: paymentIntentShape }).safeParse(object);
    if (!data.success) throw malformed(data.error);
  }
  return { kind: "other", id: eventId, type };
}
