import type { MessageKind, OutboundMessage } from "../../core/message.ts";

/** Messenger and WhatsApp allow free-form messages for 24 hours after the customer last wrote. */
export const MESSAGING_WINDOW_MS = 24 * 60 * 60 * 1000;

/** True when a customer who last wrote at `lastInbound` may be sent a free-form message at `now`. */
export function insideWindow(lastInbound: Date | undefined, now: Date): boolean {
  return lastInbound !== undefined && now.getTime() - lastInbound.getTime() < MESSAGING_WINDOW_MS;
}

/**
 * What update a message is, for sending it after the window closed: its
 * `kind` when the engine set one, else a booking update when its buttons act
 * on a booking (`booking:<verb>:<id>`, as reminders carry). Undefined for
 * anything else, which is never sent outside the window.
 */
export function updateKind(message: OutboundMessage): MessageKind | undefined {
  if (message.kind !== undefined) return message.kind;
  const payloads = [...(message.buttons ?? []), ...(message.cards ?? []).flatMap((c) => c.buttons ?? [])].map((b) => b.payload);
  return payloads.length > 0 && payloads.every((p) => p.startsWith("booking:")) ? "booking_update" : undefined;
}
