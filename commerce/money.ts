import type { Money } from "../core/money.ts";

/** Telegram Stars: Telegram's own currency for digital goods, counted in whole stars. */
export const STARS = "XTR";

// Intl knows ISO 4217 only; it would give Stars two decimals.
const digitsCache = new Map<string, number>([[STARS, 0]]);

/** Minor-unit digits of an ISO 4217 currency (EUR 2, JPY 0, KWD 3), from Intl; Telegram Stars (XTR) 0. */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats integer minor units for a locale: formatMoney({amount: 320, currency: "EUR"}, "fr") → "3,20 €";
 * Telegram Stars as "⭐750". A locale tag Intl refuses (a conversation's locale is the bot's to set) formats in English.
 */
export function formatMoney(money: Money, locale = "en"): string {
  const key = `${locale}|${money.currency}`;
  let format = formatters.get(key);
  if (!format) {
    const options: Intl.NumberFormatOptions = money.currency === STARS ? {} : { style: "currency", currency: money.currency };
    try {
      format = new Intl.NumberFormat(locale, options);
    } catch {
      format = new Intl.NumberFormat("en", options);
    }
    formatters.set(key, format);
  }
  const text = format.format(money.amount / 10 ** minorDigits(money.currency));
  return money.currency === STARS ? `⭐${text}` : text;
}

export function assertMinorUnits(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount)) {
    throw new TypeError(`${what} must be an integer number of minor units, got ${amount}`);
  }
}

/**
 * The largest amount Kiosk takes as one payment or refund, in minor units:
 * 99,999,999 (€999,999.99), the largest amount Stripe's API accepts. A
 * report above it is not a real payment of a chat order.
 */
export const MAX_PAYMENT_MINOR = 99_999_999;

/**
 * Why `amount` cannot be a payment's (or a refund's) amount, or undefined
 * when it can: a whole number of minor units, above zero, at most
 * MAX_PAYMENT_MINOR. Every place money enters (provider webhooks, Telegram's
 * payment updates, the engine's payment reports) asks this first.
 *
 * @example
 * paymentAmountProblem(-180) // "-180 is not above zero"
 * paymentAmountProblem(360)  // undefined
 */
export function paymentAmountProblem(amount: unknown): string | undefined {
  if (typeof amount !== "number" || !Number.isInteger(amount)) return `${String(amount)} is not a whole number of minor units`;
  if (amount <= 0) return `${amount} is not above zero`;
  if (amount > MAX_PAYMENT_MINOR) return `${amount} is over the largest payment Kiosk takes (${MAX_PAYMENT_MINOR} minor units)`;
  return undefined;
}
