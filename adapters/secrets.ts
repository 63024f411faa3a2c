/**
 * How short a secret may be. A webhook secret, verify token, app secret or
 * password shorter than this can be guessed or brute-forced against a public
 * endpoint; the server refuses to start with one, naming the variable (never
 * the value).
 */
export const MIN_SECRET_CHARS = 16;

/** What to say about a secret's value in a problem: its length, never the value itself. */
export function describeSecret(value: unknown): string {
  return typeof value === "string" ? `${value.length} character${value.length === 1 ? "" : "s"}` : typeof value;
}

/**
 * The problem with a secret set in `from` (a variable or a kiosk.config.ts
 * key), or undefined when it is long enough.
 *
 * @example
 * shortSecret("KIOSK_TELEGRAM_SECRET", "x") // "KIOSK_TELEGRAM_SECRET is 1 character; a secret must be at least 16 …"
 */
export function shortSecret(from: string, value: string): string | undefined {
  if (value.length >= MIN_SECRET_CHARS) return undefined;
  return `${from} is ${describeSecret(value)}; a secret must be at least ${MIN_SECRET_CHARS} characters (generate one with: openssl rand -hex 32)`;
}
