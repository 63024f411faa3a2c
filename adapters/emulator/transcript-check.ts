import type { Booking } from "../../commerce/index.ts";
import type { Envelope } from "../../core/message.ts";
import { toJsonl } from "./jsonl.ts";
import type { BookingCheck, CardCheck, Expectation, MessageCheck, TextCheck } from "./transcript-schema.ts";

/** What one message of a turn was, as the checks see it. */
export type Sent = Pick<Envelope, "userId" | "message">;

const show = (value: unknown) => JSON.stringify(value);

/** "expected/actual" lines with a caret under the first character that differs. */
function textDiff(expected: string, actual: string): string[] {
  const want = Array.from(expected);
  const got = Array.from(actual);
  let i = 0;
  while (i < want.length && i < got.length && want[i] === got[i]) i++;
  // Both strings are shown JSON-quoted, so the caret sits after the quoted common prefix.
  const column = show(want.slice(0, i).join("")).length - 1;
  return [
    `text differs at character ${i + 1}:`,
    `  expected ${show(expected)}`,
    `  actual   ${show(actual)}`,
    `  ${" ".repeat(9 + column)}^`,
    ...lookAlike(want[i], got[i]),
  ];
}

const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** Two different spaces (a space and a no-break space, as Intl writes "6,40 €") print the same; name them. */
function lookAlike(want: string | undefined, got: string | undefined): string[] {
  if (want === undefined || got === undefined || !/\s/u.test(want) || !/\s/u.test(got)) return [];
  const escape = got === " " ? "a plain space" : `"\\u${codePoint(got).slice(2).toLowerCase()}" in a double-quoted string`;
  return [`  they look alike: expected ${codePoint(want)}, actual ${codePoint(got)}; write ${escape}`];
}

function checkText(check: TextCheck, actual: string | undefined): string[] | undefined {
  if (typeof check === "string") {
    if (actual === check) return undefined;
    return actual === undefined ? [`text: expected ${show(check)}, but the message has no text`] : textDiff(check, actual);
  }
  if ("contains" in check) {
    if (actual?.includes(check.contains)) return undefined;
    return [`text: expected to contain ${show(check.contains)}, was ${actual === undefined ? "no text" : show(actual)}`];
  }
  if (actual !== undefined && new RegExp(check.matches, "u").test(actual)) return undefined;
  return [`text: expected to match /${check.matches}/, was ${actual === undefined ? "no text" : show(actual)}`];
}

function checkLabels(what: string, expected: readonly string[], actual: readonly string[]): string[] | undefined {
  if (expected.length === actual.length && expected.every((label, i) => label === actual[i])) return undefined;
  const at = expected.findIndex((label, i) => label !== actual[i]);
  const where = at >= 0 && at < actual.length ? ` (first difference at ${what} ${at + 1})` : "";
  return [`${what}s: expected ${show(expected)}, was ${show(actual)}${where}`];
}

function checkCard(check: CardCheck, card: NonNullable<Sent["message"]["cards"]>[number], n: number): string[] | undefined {
  const want = typeof check === "string" ? { title: check } : check;
  if (card.title !== want.title) return [`card ${n}: expected title ${show(want.title)}, was ${show(card.title)}`];
  if (want.subtitle !== undefined && card.subtitle !== want.subtitle) {
    return [`card ${n} (${card.title}): expected subtitle ${show(want.subtitle)}, was ${card.subtitle === undefined ? "none" : show(card.subtitle)}`];
  }
  if (want.price !== undefined && card.price?.amount !== want.price) {
    return [`card ${n} (${card.title}): expected price ${want.price}, was ${card.price === undefined ? "none" : String(card.price.amount)}`];
  }
  if (want.buttons !== undefined) {
    return checkLabels("button", want.buttons, (card.buttons ?? []).map((b) => b.label))?.map((line) => `card ${n} (${card.title}): ${line}`);
  }
  return undefined;
}

function checkInvoice(check: NonNullable<MessageCheck["invoice"]>, sent: Sent): string[] | undefined {
  const invoice = sent.message.invoice;
  if (!invoice) return [`invoice: expected ${show(check)}, but the message has no invoice`];
  for (const key of ["amount", "currency", "title", "order"] as const) {
    const want = check[key];
    if (want !== undefined && invoice[key] !== want) return [`invoice ${key}: expected ${show(want)}, was ${show(invoice[key])}`];
  }
  return undefined;
}

/** Every way `sent` differs from `check`, one entry per field checked, each in lines to print. */
function differences(check: MessageCheck, sent: Sent): string[][] {
  const { message } = sent;
  const found: Array<string[] | undefined> = [];
  if (check.to !== undefined && sent.userId !== check.to) found.push([`to: expected ${show(check.to)}, was ${show(sent.userId)}`]);
  if (check.text !== undefined) found.push(checkText(check.text, message.text));
  if (check.buttons !== undefined) found.push(checkLabels("button", check.buttons, (message.buttons ?? []).map((b) => b.label)));
  if (check.cards !== undefined) {
    const cards = message.cards ?? [];
    const want = check.cards;
    found.push(
      cards.length === want.length
        ? cards.map((card, i) => (want[i] === undefined ? undefined : checkCard(want[i], card, i + 1))).find((d) => d !== undefined)
        : [`cards: expected ${want.length}, was ${cards.length} ${show(cards.map((c) => c.title))}`],
    );
  }
  if (check.invoice !== undefined) found.push(checkInvoice(check.invoice, sent));
  return found.filter((d): d is string[] => d !== undefined);
}

/** The first way `sent` differs from `check`, in lines to print; undefined when it matches. */
export function messageDifference(check: MessageCheck, sent: Sent): string[] | undefined {
  return differences(check, sent)[0];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function listing(title: string, lines: readonly string[]): string[] {
  return [title, ...(lines.length === 0 ? ["  (none)"] : lines.map((line, i) => `  ${i + 1}. ${line}`))];
}

/** Both sides in full, under the explanation: expected as written, actual as the JSON-lines protocol shows it. */
function sides(expectation: Expectation, sent: readonly Sent[]): string[] {
  const how = expectation.mode === "exact" ? "exactly" : "among others";
  return [
    ...listing(`expected (${how}, ${plural(expectation.messages.length, "message")}):`, expectation.messages.map((m) => show(m))),
    ...listing(`actual (${plural(sent.length, "message")}):`, sent.map((s) => show(toJsonl(s)))),
  ];
}

function exactDifference(checks: readonly MessageCheck[], sent: readonly Sent[]): string[] | undefined {
  const lines: string[] = [];
  if (checks.length !== sent.length) lines.push(`expected ${plural(checks.length, "message")}, got ${sent.length}`);
  for (let i = 0; i < Math.min(checks.length, sent.length); i++) {
    const check = checks[i];
    const message = sent[i];
    const diff = check && message ? messageDifference(check, message) : undefined;
    if (diff) return [...lines, `message ${i + 1}: ${diff[0] ?? ""}`, ...diff.slice(1)];
  }
  if (lines.length === 0) return undefined;
  const n = Math.min(checks.length, sent.length) + 1;
  return [...lines, checks.length > sent.length ? `message ${n} is missing` : `message ${n} was not expected`];
}

/** How many of the kinds of content `check` looks at (text, buttons, …) the message has at all. */
function kindsPresent(check: MessageCheck, { message }: Sent): number {
  const has = [
    check.text !== undefined && message.text !== undefined,
    check.buttons !== undefined && (message.buttons?.length ?? 0) > 0,
    check.cards !== undefined && (message.cards?.length ?? 0) > 0,
    check.invoice !== undefined && message.invoice !== undefined,
  ];
  return has.filter(Boolean).length;
}

/**
 * The message the author most likely meant: the fewest fields wrong, then
 * the most of the checked kinds of content present, then the earliest.
 */
function nearest(check: MessageCheck, sent: readonly Sent[], from: number): { index: number; diff: string[] } | undefined {
  let best: { index: number; diff: string[]; wrong: number; present: number } | undefined;
  for (let index = from; index < sent.length; index++) {
    const message = sent[index];
    if (!message) continue;
    const found = differences(check, message);
    const [diff] = found;
    const present = kindsPresent(check, message);
    const better = best === undefined || found.length < best.wrong || (found.length === best.wrong && present > best.present);
    if (diff && better) best = { index, diff, wrong: found.length, present };
  }
  return best;
}

function includedDifference(checks: readonly MessageCheck[], sent: readonly Sent[]): string[] | undefined {
  let from = 0;
  for (const [i, check] of checks.entries()) {
    const found = sent.findIndex((s, j) => j >= from && messageDifference(check, s) === undefined);
    if (found < 0) {
      const after = from === 0 ? "" : ` after message ${from}`;
      const near = nearest(check, sent, from);
      return [`no message${after} matches expected message ${i + 1}`, ...(near ? [`nearest, message ${near.index + 1}: ${near.diff[0] ?? ""}`, ...near.diff.slice(1)] : [])];
    }
    from = found + 1;
  }
  return undefined;
}

/**
 * Checks what a turn sent against its `expect`: undefined when it matches,
 * else lines that say where the first difference is and show both sides.
 */
export function expectationDifference(expectation: Expectation, sent: readonly Sent[]): string[] | undefined {
  const diff = expectation.mode === "exact" ? exactDifference(expectation.messages, sent) : includedDifference(expectation.messages, sent);
  return diff ? [...diff, ...sides(expectation, sent)] : undefined;
}

/** Bookings as `end.bookings` lists them: by id, numerically ("2" before "10"). */
export function byBookingId(bookings: readonly Booking[]): Booking[] {
  return [...bookings].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
}

/** The fields of a booking a check can name, under the names it uses. */
function bookingFields(booking: Booking) {
  return {
    customer: booking.userId,
    service: booking.serviceId,
    resource: booking.resourceId,
    status: booking.status,
    start: booking.start.toISOString(),
    depositPaid: booking.depositPaid,
    depositRefunded: booking.depositRefunded,
  };
}

/** One booking as the end-state listing shows it. */
export function bookingLine(booking: Booking): string {
  return show({ id: booking.id, ...bookingFields(booking) });
}

/** The first way `booking` differs from `check`, as `field: expected …, was …`; undefined when it matches. */
export function bookingDifference(check: BookingCheck, booking: Booking): string | undefined {
  const actual = bookingFields(booking);
  for (const key of ["customer", "service", "resource", "status", "start", "depositPaid", "depositRefunded"] as const) {
    if (key === "start") {
      // An instant: the same moment written with another offset matches.
      const at = check.start === undefined ? undefined : new Date(check.start);
      if (at === undefined || at.getTime() === booking.start.getTime()) continue;
      const utc = check.start === at.toISOString() ? "" : ` (${at.toISOString()})`;
      return `start: expected ${show(check.start)}${utc}, was ${show(actual.start)}`;
    }
    const want = check[key];
    if (want !== undefined && actual[key] !== want) return `${key}: expected ${show(want)}, was ${show(actual[key])}`;
  }
  return undefined;
}
