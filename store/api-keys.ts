import { createHash, randomBytes } from "node:crypto";

/** Every admin API key starts with this, then its bot's id and `_`: a leaked key is recognizable (and scrubbed from logs). */
export const API_KEY_PREFIX = "kiosk_";

/**
 * The hash a key is stored and looked up by: SHA-256, hex. A key is 32
 * random bytes (256 bits), so no slow password KDF (scrypt, argon2) is
 * needed: those protect low-entropy secrets against guessing, and nobody
 * can guess 2^256 keys whatever the hash costs. A fast hash also lets each
 * request find its key with one indexed lookup, and no key is compared in
 * variable time.
 */
export function apiKeyHash(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/**
 * A new key for `botId`: `kiosk_<bot>_<32 random bytes, base64url>`, and its
 * hash. The key is shown once to whoever creates it; only the hash is kept.
 *
 * @example
 * const { key, hash } = newApiKey("cafe");
 * await store.createApiKey({ botId: "cafe", scope: "read", hash, at: new Date() });
 */
export function newApiKey(botId: string): { readonly key: string; readonly hash: string } {
  const key = `${API_KEY_PREFIX}${botId}_${randomBytes(32).toString("base64url")}`;
  return { key, hash: apiKeyHash(key) };
}
