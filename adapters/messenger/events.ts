import { createHash } from "node:crypto";
import { describeOverLimit, overLimit, type OverLimit } from "../limits.ts";
import { LIMITS } from "./render.ts";

/** What a customer did, as the engine takes it; `unsupported` is an attachment no flow reads (a sticker), answered and asked again. */
export type MessengerInput =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "postback"; readonly payload: string }
  | { readonly kind: "unsupported"; readonly what: "media" };

/** One messaging event of a webhook batch, read. */
export type MessengerEvent =
  | {
      readonly kind: "input";
      /** Unique per event: the message's or postback's mid, else a hash of the event. */
      readonly id: string;
      /** The customer's page-scoped id (PSID). */
      readonly userId: string;
      readonly pageId: string;
      readonly input: MessengerInput;
    }
  /** `overLimit` when a field is over Messenger's own bounds (text 2000 characters, payloads 1000): acknowledged, logged, not run. */
  | { readonly kind: "ignored"; readonly reason: string; readonly overLimit?: OverLimit };

/** The body is not a Messenger webhook batch. */
export class MalformedBatchError extends Error {
  override readonly name = "MalformedBatchError";
  readonly code = "malformed_batch";
}

/** Postback payloads that mean "the customer pressed Get Started": the conversation (re)starts. */
export const GET_STARTED_PAYLOADS: readonly string[] = ["GET_STARTED", "get_started", "GET_STARTED_PAYLOAD"];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined);

function eventHash(event: unknown): string {
  return `h${createHash("sha256").update(JSON.stringify(event)).digest("hex").slice(0, 32)}`;
}

/** Location and images have no input of their own in the engine: they arrive as text the flow can read. */
function attachmentsText(attachments: unknown): string | undefined {
  if (!Array.isArray(attachments)) return undefined;
  const parts: string[] = [];
  for (const a of attachments) {
    if (!isObject(a)) continue;
    const payload = isObject(a.payload) ? a.payload : {};
    // A sticker (the thumbs-up too) is an image with a sticker_id: no answer to any question.
    if (payload.sticker_id !== undefined) continue;
    if (a.type === "location" && isObject(payload.coordinates)) {
      const { lat, long } = payload.coordinates;
      if (typeof lat === "number" && typeof long === "number") parts.push(`${lat}, ${long}`);
    } else if (a.type === "image" || a.type === "file" || a.type === "video" || a.type === "audio") {
      const url = str(payload.url);
      if (url !== undefined) parts.push(url);
    }
  }
  return parts.length > 0 ? parts.join("\n") : undefined;
}

function readEvent(event: unknown, pageId: string): MessengerEvent {
  if (!isObject(event)) return { kind: "ignored", reason: "a messaging event that is not an object" };
  const userId = isObject(event.sender) ? str(event.sender.id) : undefined;
  const message = isObject(event.message) ? event.message : undefined;
  if (message?.is_echo === true) return { kind: "ignored", reason: "an echo of the page's own message" };
  if (event.delivery !== undefined) return { kind: "ignored", reason: "a delivery receipt" };
  if (event.read !== undefined) return { kind: "ignored", reason: "a read receipt" };
  if (userId === undefined) return { kind: "ignored", reason: "a messaging event without sender.id" };
  const input = (id: string, value: MessengerInput, field = value.kind === "text" ? "message.text" : "postback.payload"): MessengerEvent => {
    // Messenger caps a message's text at 2000 characters and a postback's or quick reply's payload at 1000.
    const over =
      value.kind === "text" ? overLimit(field, value.text, LIMITS.text, "characters") : value.kind === "postback" ? overLimit(field, value.payload, LIMITS.payload, "characters") : undefined;
    if (over) return { kind: "ignored", reason: describeOverLimit("Messenger", over), overLimit: over };
    return { kind: "input", id, userId, pageId, input: value };
  };

  if (message) {
    const id = str(message.mid) ?? eventHash(event);
    const quick = isObject(message.quick_reply) ? str(message.quick_reply.payload) : undefined;
    if (quick !== undefined) return input(id, { kind: "postback", payload: quick }, "message.quick_reply.payload");
    const text = str(message.text);
    if (text !== undefined) return input(id, { kind: "text", text });
    const attached = attachmentsText(message.attachments);
    if (attached !== undefined) return input(id, { kind: "text", text: attached }, "message.attachments");
    if (Array.isArray(message.attachments) && message.attachments.length > 0) return input(id, { kind: "unsupported", what: "media" });
    return { kind: "ignored", reason: "a message with neither text nor an attachment" };
  }
  if (isObject(event.postback)) {
    const payload = str(event.postback.payload);
    const id = str(event.postback.mid) ?? eventHash(event);
    if (payload === undefined) return { kind: "ignored", reason: "a postback without payload" };
    if (GET_STARTED_PAYLOADS.includes(payload)) return input(id, { kind: "text", text: "/start" });
    return input(id, { kind: "postback", payload });
  }
  if (isObject(event.referral)) {
    // An m.me link or ad opened the thread: the conversation starts, like Get Started.
    return input(eventHash(event), { kind: "text", text: "/start" });
  }
  const type = Object.keys(event).find((k) => !["sender", "recipient", "timestamp"].includes(k)) ?? "empty";
  return { kind: "ignored", reason: `messaging event '${type}' is not handled` };
}

/**
 * Reads a Messenger webhook batch (`{ object: "page", entry: [{ id, time,
 * messaging: [...] }] }`): every event of every entry, in order. Throws
 * `MalformedBatchError` for a body that is not one.
 */
export function readBatch(body: unknown): MessengerEvent[] {
  if (!isObject(body) || body.object !== "page" || !Array.isArray(body.entry)) {
    throw new MalformedBatchError('the body must be a Messenger webhook batch: { "object": "page", "entry": [...] }');
  }
  const events: MessengerEvent[] = [];
  for (const entry of body.entry) {
    if (!isObject(entry)) throw new MalformedBatchError("every entry must be an object with id and messaging");
    const pageId = str(entry.id) ?? "";
    const messaging = Array.isArray(entry.messaging) ? entry.messaging : [];
    for (const event of messaging) events.push(readEvent(event, pageId));
    if (!Array.isArray(entry.messaging)) events.push({ kind: "ignored", reason: "an entry without messaging (e.g. standby or changes)" });
  }
  return events;
}
