import { describeOverLimit, overLimit, type OverLimit } from "../limits.ts";
import { LIMITS } from "./render.ts";

/**
 * What a customer did, as the engine takes it. A contact card is `own` when
 * one of its numbers is the sender's WhatsApp id; a location pin is where
 * they are (or what they picked on the map).
 */
export type WhatsAppInput =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "postback"; readonly payload: string }
  | { readonly kind: "contact"; readonly phone: string; readonly own: boolean }
  | { readonly kind: "location"; readonly latitude: number; readonly longitude: number }
  /** A voice note, audio, video, sticker or document: no flow reads it; the engine says so and asks again. */
  | { readonly kind: "unsupported"; readonly what: "media" };

/** One line of an `order` message, as WhatsApp reports it; the price is only what the customer saw. */
export interface WhatsAppOrderItem {
  readonly productRetailerId: string;
  readonly quantity: number;
  /** `item_price` converted to the currency's minor unit; undefined when it is not a valid amount. */
  readonly itemPrice: number | undefined;
  readonly currency: string;
}

interface From {
  /** The message's id (wamid). */
  readonly id: string;
  /** The customer's WhatsApp id (their number, as `from`). */
  readonly userId: string;
  readonly phoneNumberId: string;
}

export type WhatsAppEvent =
  | (From & { readonly kind: "input"; readonly input: WhatsAppInput })
  | (From & { readonly kind: "order"; readonly catalogId: string | undefined; readonly items: readonly WhatsAppOrderItem[] })
  | {
      readonly kind: "status";
      /** The wamid of the message Kiosk sent. */
      readonly id: string;
      readonly phoneNumberId: string;
      readonly status: string;
      readonly recipientId: string | undefined;
      readonly errors: ReadonlyArray<{ readonly code: number | undefined; readonly title: string; readonly details: string | undefined }>;
    }
  /** `overLimit` when a field is over the Cloud API's own bounds (see readMessage): acknowledged, logged, not run. */
  | { readonly kind: "ignored"; readonly reason: string; readonly overLimit?: OverLimit };

export class MalformedWebhookError extends Error {
  override readonly name = "MalformedWebhookError";
  readonly code = "malformed_webhook";
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined);

/**
 * A decimal amount ("12.5", 12.5) in the currency's minor unit (1250 for
 * EUR), computed on its digits, never with float arithmetic; undefined when
 * it is not a non-negative amount with at most the currency's decimals.
 */
export function toMinorUnits(value: unknown, currency: string): number | undefined {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const match = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) return undefined;
  let digits: number;
  try {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return undefined;
  }
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > digits) return undefined;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** The Cloud API's caption limit for media. */
const MAX_CAPTION = 1024;

/**
 * The Cloud API's own bounds on what a customer sends: a text body 4096
 * characters, a reply button's id 256, a list row's id 200, a caption 1024,
 * WhatsApp never sends more; such a message is acknowledged and not run. (A
 * phone number or a location the ask step cannot take is its to refuse: it
 * asks again.)
 */
function inputOverLimit(value: WhatsAppInput, field: string): OverLimit | undefined {
  switch (value.kind) {
    case "text":
      return overLimit(field, value.text, field === "image.caption" ? MAX_CAPTION : LIMITS.text, "characters");
    case "postback":
      return overLimit(field, value.payload, field === "interactive.list_reply.id" ? LIMITS.rowId : LIMITS.buttonId, "characters");
    case "contact":
    case "location":
    case "unsupported":
      return undefined;
  }
}

function readMessage(message: unknown, phoneNumberId: string): WhatsAppEvent {
  if (!isObject(message)) return { kind: "ignored", reason: "a message that is not an object" };
  const id = str(message.id);
  const userId = str(message.from);
  if (id === undefined || userId === undefined) return { kind: "ignored", reason: "a message without id or from" };
  const from = { id, userId, phoneNumberId };
  const input = (value: WhatsAppInput, field: string): WhatsAppEvent => {
    const over = inputOverLimit(value, field);
    if (over) return { kind: "ignored", reason: describeOverLimit("WhatsApp", over), overLimit: over };
    return { kind: "input", ...from, input: value };
  };
  switch (message.type) {
    case "text": {
      const body = isObject(message.text) ? str(message.text.body) : undefined;
      return body === undefined ? { kind: "ignored", reason: "a text message without body" } : input({ kind: "text", text: body }, "text.body");
    }
    case "interactive": {
      const interactive = isObject(message.interactive) ? message.interactive : {};
      const reply = interactive.type === "button_reply" ? interactive.button_reply : interactive.type === "list_reply" ? interactive.list_reply : undefined;
      const payload = isObject(reply) ? str(reply.id) : undefined;
      return payload === undefined ? { kind: "ignored", reason: `interactive reply '${String(interactive.type)}' is not handled` } : input({ kind: "postback", payload }, `interactive.${String(interactive.type)}.id`);
    }
    case "button": {
      // A quick-reply button of a template message.
      const payload = isObject(message.button) ? (str(message.button.payload) ?? str(message.button.text)) : undefined;
      return payload === undefined ? { kind: "ignored", reason: "a template button without payload" } : input({ kind: "postback", payload }, "button.payload");
    }
    case "location": {
      const loc = isObject(message.location) ? message.location : {};
      if (typeof loc.latitude !== "number" || typeof loc.longitude !== "number") return { kind: "ignored", reason: "a location without coordinates" };
      return input({ kind: "location", latitude: loc.latitude, longitude: loc.longitude }, "location");
    }
    case "contacts": {
      // The customer's own card first: one of its numbers has their WhatsApp id.
      const phones = (Array.isArray(message.contacts) ? message.contacts : []).flatMap((c) => (isObject(c) && Array.isArray(c.phones) ? c.phones.filter(isObject) : []));
      const own = phones.find((p) => str(p.wa_id) === userId);
      const phone = str((own ?? phones[0])?.phone);
      return phone === undefined ? { kind: "ignored", reason: "a contact card without a phone number" } : input({ kind: "contact", phone, own: own !== undefined }, "contacts.phones.phone");
    }
    case "image": {
      const image = isObject(message.image) ? message.image : {};
      return input({ kind: "text", text: str(image.caption) ?? `[image ${str(image.id) ?? ""}]`.trim() }, "image.caption");
    }
    case "audio":
    case "video":
    case "sticker":
    case "document":
      return input({ kind: "unsupported", what: "media" }, String(message.type));
    case "order": {
      const order = isObject(message.order) ? message.order : {};
      const items: WhatsAppOrderItem[] = [];
      for (const item of Array.isArray(order.product_items) ? order.product_items : []) {
        if (!isObject(item)) continue;
        const productRetailerId = str(item.product_retailer_id);
        const quantity = Number(item.quantity);
        const currency = str(item.currency)?.toUpperCase() ?? "";
        if (productRetailerId === undefined || !Number.isInteger(quantity) || quantity < 1) continue;
        items.push({ productRetailerId, quantity, itemPrice: toMinorUnits(item.item_price, currency), currency });
      }
      if (items.length === 0) return { kind: "ignored", reason: "an order without product items" };
      return { kind: "order", ...from, catalogId: str(order.catalog_id), items };
    }
    default:
      return { kind: "ignored", reason: `message type '${String(message.type)}' is not handled` };
  }
}

function readStatus(status: unknown, phoneNumberId: string): WhatsAppEvent {
  if (!isObject(status) || str(status.id) === undefined || str(status.status) === undefined) return { kind: "ignored", reason: "a status without id or status" };
  const errors = (Array.isArray(status.errors) ? status.errors : []).filter(isObject).map((e) => ({
    code: typeof e.code === "number" ? e.code : undefined,
    title: str(e.title) ?? str(e.message) ?? "error",
    details: isObject(e.error_data) ? str(e.error_data.details) : undefined,
  }));
  return { kind: "status", id: str(status.id) ?? "", phoneNumberId, status: str(status.status) ?? "", recipientId: str(status.recipient_id), errors };
}

/**
 * Reads a WhatsApp Cloud API webhook (`{ object: "whatsapp_business_account",
 * entry: [{ id, changes: [{ field: "messages", value: { metadata, contacts,
 * messages, statuses } }] }] }`): every message and status of every change
 * of every entry, in order. Throws `MalformedWebhookError` for a body that is not one.
 */
export function readWebhook(body: unknown): WhatsAppEvent[] {
  if (!isObject(body) || body.object !== "whatsapp_business_account" || !Array.isArray(body.entry)) {
    throw new MalformedWebhookError('the body must be a WhatsApp webhook: { "object": "whatsapp_business_account", "entry": [...] }');
  }
  const events: WhatsAppEvent[] = [];
  for (const entry of body.entry) {
    if (!isObject(entry) || !Array.isArray(entry.changes)) throw new MalformedWebhookError("every entry must be an object with changes");
    for (const change of entry.changes) {
      if (!isObject(change) || change.field !== "messages" || !isObject(change.value)) {
        events.push({ kind: "ignored", reason: `change field '${isObject(change) ? String(change.field) : "?"}' is not handled` });
        continue;
      }
      const value = change.value;
      const phoneNumberId = isObject(value.metadata) ? (str(value.metadata.phone_number_id) ?? "") : "";
      for (const message of Array.isArray(value.messages) ? value.messages : []) events.push(readMessage(message, phoneNumberId));
      for (const status of Array.isArray(value.statuses) ? value.statuses : []) events.push(readStatus(status, phoneNumberId));
    }
  }
  return events;
}
