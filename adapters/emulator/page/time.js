// Instants as a customer reads them: their locale, the bot's time zone, the
// ISO instant on hover.

import { el } from "./dom.js";
import { page } from "./state.js";

/** @typedef {import("./state.js").Customer} Customer */

/** The bot's time zone (from `GET /api/emulator/bots`), UTC if it names none. */
export const timeZoneOf = (/** @type {string} */ bot) => page.bots.find((b) => b.id === bot)?.timeZone ?? "UTC";

/**
 * A formatter for the customer's locale in the bot's time zone; the default
 * locale if the browser does not know theirs.
 * @param {Customer} customer @param {Intl.DateTimeFormatOptions} options
 */
function formatterFor(customer, options) {
  const timeZone = timeZoneOf(customer.bot);
  try {
    return new Intl.DateTimeFormat(customer.locale, { timeZone, ...options });
  } catch {
    return new Intl.DateTimeFormat(undefined, { timeZone, ...options });
  }
}

const DAY_AND_TIME = /** @type {Intl.DateTimeFormatOptions} */ ({ weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
const STAMP = /** @type {Intl.DateTimeFormatOptions} */ ({ day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" });

/**
 * An instant as the customer reads it (their locale, the bot's zone), the ISO
 * instant on hover. @param {Customer} customer @param {string} iso
 */
export function localTime(customer, iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return el("span", { text: iso ?? "" });
  return el("time", { text: formatterFor(customer, STAMP).format(date), title: `${iso} (${timeZoneOf(customer.bot)})`, attrs: { datetime: iso } });
}

/** A booking's start – end, e.g. "Thu 3 Dec, 09:00 – 09:30", the ISO instants on hover. @param {Customer} customer @param {string} start @param {string} end */
export function localRange(customer, start, end) {
  const a = new Date(start);
  const b = new Date(end);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return el("span", { text: `${start} – ${end}` });
  const format = formatterFor(customer, DAY_AND_TIME);
  const text = typeof format.formatRange === "function" ? format.formatRange(a, b) : `${format.format(a)} – ${format.format(b)}`;
  return el("time", { class: "when", text, title: `${start} – ${end} (${timeZoneOf(customer.bot)})`, attrs: { datetime: start, "data-testid": "booking-time" } });
}
