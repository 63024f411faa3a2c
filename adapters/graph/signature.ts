import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * The `X-Hub-Signature-256` header Meta sends with every webhook POST:
 * `sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the app secret.
 */
export function hubSignature(raw: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(raw).digest("hex")}`;
}

/**
 * True when `header` is the signature of exactly these bytes. Compared in
 * constant time (both sides hashed first, so their lengths tell nothing);
 * a missing, repeated or malformed header is false.
 */
export function signatureMatches(raw: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  if (typeof header !== "string" || !/^sha256=[0-9a-f]{64}$/i.test(header.trim())) return false;
  const digest = (text: string) => createHash("sha256").update(text.toLowerCase(), "utf8").digest();
  return timingSafeEqual(digest(header.trim()), digest(hubSignature(raw, appSecret)));
}

/** The query of Meta's verification request: `GET …?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`. */
export interface HandshakeQuery {
  readonly "hub.mode"?: unknown;
  readonly "hub.verify_token"?: unknown;
  readonly "hub.challenge"?: unknown;
}

/**
 * The challenge to echo when the verification request is a subscribe with
 * the right verify token (compared in constant time); undefined otherwise.
 */
export function handshakeChallenge(query: HandshakeQuery, verifyToken: string): string | undefined {
  const mode = query["hub.mode"];
  const token = query["hub.verify_token"];
  const challenge = query["hub.challenge"];
  if (mode !== "subscribe" || typeof token !== "string" || typeof challenge !== "string" || challenge === "" || challenge.length > 512) return undefined;
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(token), digest(verifyToken)) ? challenge : undefined;
}
