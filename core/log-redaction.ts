import { createHash } from "node:crypto";

/**
 * What logs may say about a customer. A WhatsApp id IS the customer's phone
 * number, and a WhatsApp message id (wamid) carries it too, base64-encoded
 * ("wamid.HBgL" + base64 of the number…). Logs show the last digits and
 * short fingerprints instead: enough to tell customers apart while reading
 * a log, not enough to call anyone. Ids of other channels are opaque
 * platform ids and stay as they are.
 */

const WHATSAPP = "whatsapp";

/** A phone number as logs show it: its last 4 digits, e.g. "…5678". */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length <= 4 ? "…" : `…${digits.slice(-4)}`;
}

/** A customer id as logs show it: masked where it is a phone number (WhatsApp). */
export function customerForLog(channel: string, userId: string): string {
  return channel === WHATSAPP ? maskPhone(userId) : userId;
}

/** A short fingerprint, for ids that must not be shown but must stay comparable between log lines. */
function fingerprint(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/** Replaces every WhatsApp message id in `text` with `wamid#<fingerprint>` (the id encodes the phone number). */
export function maskMessageIds(text: string): string {
  return text.replace(/wamid\.[A-Za-z0-9+/=_-]+/g, (id) => `wamid#${fingerprint(id)}`);
}
