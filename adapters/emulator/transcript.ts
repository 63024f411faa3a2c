import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Order } from "../../commerce/index.ts";
import type { LoadedBot } from "../../flows/index.ts";
import type { OutboundMessage } from "../../core/message.ts";
import { Emulator } from "./emulator.ts";
import { bookingDifference, bookingLine, byBookingId, expectationDifference, type Sent } from "./transcript-check.ts";
import type { OrderCheck, Transcript, Turn } from "./transcript-schema.ts";

/** Where a transcript's clock starts when it does not say: fixed, so a transcript plays the same every day. */
export const DEFAULT_TRANSCRIPT_CLOCK = "2026-01-05T09:00:00Z";
export const DEFAULT_TRANSCRIPT_CUSTOMER = "customer";

export interface TranscriptRunOptions {
  /** SQLite file to play on; by default a fresh one in a temp folder, removed afterwards. */
  readonly db?: string;
}

/** One way a transcript did not go as written. */
export interface TranscriptFailure {
  /** 1-based turn number; absent for the end state. */
  readonly turn?: number;
  /** Line of the turn in its file, when read from one. */
  readonly line?: number;
  /** What was played: `alice: text "latte"`, `advance PT16M`, `end`. */
  readonly input: string;
  /** The explanation and both sides, ready to print. */
  readonly details: readonly string[];
}

export interface TranscriptResult {
  readonly name: string;
  readonly file?: string;
  readonly passed: boolean;
  readonly failures: readonly TranscriptFailure[];
}

function describeTurn(turn: Turn, customer: string): string {
  switch (turn.kind) {
    case "text":
      return `${customer}: text ${JSON.stringify(turn.text)}`;
    case "press":
      return `${customer}: press ${JSON.stringify(turn.press)}`;
    case "pay":
      return `${customer}: pay ${turn.pay}`;
    case "contact":
      return `${customer}: contact ${JSON.stringify(turn.contact)}`;
    case "location":
      return `${customer}: location ${turn.location.latitude},${turn.location.longitude}`;
    case "locale":
      return `${customer}: locale ${turn.locale}`;
    case "advance":
      return `advance ${turn.advance}`;
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Plays one turn; resolves to what it sent that the turn's expect is about. */
async function play(emulator: Emulator, turn: Turn, customerId: string, locale: string | undefined): Promise<Sent[]> {
  if (turn.kind === "advance") {
    const fired = await emulator.advance(turn.advance);
    // An advance fires everyone's timers; `customer:` narrows the check to one of them.
    return turn.customer === undefined ? [...fired] : fired.filter((e) => e.userId === turn.customer);
  }
  const customer = emulator.customer(customerId, locale === undefined ? {} : { locale });
  let sent: OutboundMessage[] = [];
  if (turn.kind === "text") sent = await customer.send(turn.text);
  else if (turn.kind === "press") sent = await customer.press(turn.press);
  else if (turn.kind === "pay") sent = await customer.pay(turn.pay);
  else if (turn.kind === "contact") sent = await customer.shareContact(turn.contact);
  else if (turn.kind === "location") sent = await customer.shareLocation(turn.location.latitude, turn.location.longitude);
  return sent.map((m) => ({ userId: customerId, message: m }));
}

function orderLine(order: Order): string {
  return JSON.stringify({ id: order.id, customer: order.userId, status: order.status, total: order.total, currency: order.currency, items: order.items.length });
}

function orderDifference(check: OrderCheck, order: Order): string | undefined {
  const actual = { customer: order.userId, status: order.status, total: order.total, currency: order.currency, items: order.items.length };
  for (const key of ["customer", "status", "total", "currency", "items"] as const) {
    const want = check[key];
    if (want !== undefined && actual[key] !== want) return `${key}: expected ${JSON.stringify(want)}, was ${JSON.stringify(actual[key])}`;
  }
  return undefined;
}

async function endDifferences(emulator: Emulator, end: NonNullable<Transcript["end"]>): Promise<string[]> {
  const lines: string[] = [];
  if (end.orders) {
    const orders = await emulator.orders();
    const problems: string[] = [];
    if (orders.length !== end.orders.length) problems.push(`expected ${end.orders.length} order(s), got ${orders.length}`);
    for (const [i, check] of end.orders.entries()) {
      const order = orders[i];
      const diff = order ? orderDifference(check, order) : undefined;
      if (diff) problems.push(`order ${i + 1} (#${order?.id ?? "?"}): ${diff}`);
    }
    if (problems.length > 0) {
      lines.push(...problems, "expected orders:", ...end.orders.map((o, i) => `  ${i + 1}. ${JSON.stringify(o)}`));
      lines.push("actual orders:", ...(orders.length === 0 ? ["  (none)"] : orders.map((o, i) => `  ${i + 1}. ${orderLine(o)}`)));
    }
  }
  if (end.bookings) {
    const bookings = byBookingId(await emulator.store.listBookings({ botId: emulator.bot.id }));
    const problems: string[] = [];
    if (bookings.length !== end.bookings.length) problems.push(`expected ${end.bookings.length} booking(s), got ${bookings.length}`);
    for (const [i, check] of end.bookings.entries()) {
      const booking = bookings[i];
      const diff = booking ? bookingDifference(check, booking) : undefined;
      if (diff) problems.push(`booking ${i + 1} (#${booking?.id ?? "?"}): ${diff}`);
    }
    if (problems.length > 0) {
      lines.push(...problems, "expected bookings:", ...end.bookings.map((b, i) => `  ${i + 1}. ${JSON.stringify(b)}`));
      lines.push("actual bookings:", ...(bookings.length === 0 ? ["  (none)"] : bookings.map((b, i) => `  ${i + 1}. ${bookingLine(b)}`)));
    }
  }
  for (const [product, want] of Object.entries(end.stock ?? {})) {
    const left = await emulator.stockLeft(product);
    if (left !== want) lines.push(`stock of ${product}: expected ${JSON.stringify(want)} left, was ${JSON.stringify(left)}`);
  }
  return lines;
}

async function playAll(emulator: Emulator, transcript: Transcript, engineErrors: string[]): Promise<TranscriptFailure[]> {
  const failures: TranscriptFailure[] = [];
  const locales = new Map<string, string>();
  for (const [i, turn] of transcript.turns.entries()) {
    const customer = turn.customer ?? transcript.customer ?? DEFAULT_TRANSCRIPT_CUSTOMER;
    const line = transcript.source?.turnLines[i];
    const where = { turn: i + 1, ...(line === undefined ? {} : { line }), input: describeTurn(turn, customer) };
    if (turn.kind === "locale") {
      locales.set(customer, turn.locale);
      continue;
    }
    const errorsBefore = engineErrors.length;
    let sent: Sent[];
    try {
      sent = await play(emulator, turn, customer, locales.get(customer));
    } catch (error) {
      // Later turns build on this one; what they would report is noise.
      const rest = transcript.turns.length - i - 1;
      failures.push({ ...where, details: [`could not be played: ${message(error)}`, ...(rest > 0 ? [`the ${rest} turn(s) after it were not played`] : [])] });
      return failures;
    }
    const details = engineErrors.slice(errorsBefore).map((e) => `the engine failed: ${e}`);
    const diff = turn.expect ? expectationDifference(turn.expect, sent) : undefined;
    if (diff) details.push(...diff);
    if (details.length > 0) failures.push({ ...where, details });
  }
  if (transcript.end) {
    const details = await endDifferences(emulator, transcript.end);
    if (details.length > 0) failures.push({ input: "end", details });
  }
  return failures;
}

/**
 * Plays a transcript against a bot in a fresh emulator and checks every
 * turn's `expect` and the `end` state. Mismatches do not stop the play (the
 * state does not depend on them); a turn that cannot be played does.
 *
 * @example
 * const result = await runTranscript(cafe, parseTranscript(text, "happy.transcript.yaml"));
 * if (!result.passed) console.log(formatTranscriptResult(result));
 */
export async function runTranscript(bot: LoadedBot, transcript: Transcript, options: TranscriptRunOptions = {}): Promise<TranscriptResult> {
  const dir = options.db === undefined ? mkdtempSync(join(tmpdir(), "kiosk-transcript-")) : undefined;
  const db = options.db ?? join(dir ?? ".", "transcript.db");
  const engineErrors: string[] = [];
  try {
    const emulator = await Emulator.open({
      bot,
      db,
      clock: new Date(transcript.clock ?? DEFAULT_TRANSCRIPT_CLOCK),
      onError: (error, context) => engineErrors.push(`${context}: ${message(error)}`),
    });
    let failures: TranscriptFailure[];
    try {
      failures = await playAll(emulator, transcript, engineErrors);
    } finally {
      await emulator.close();
    }
    return { name: transcript.name, ...(transcript.source ? { file: transcript.source.file } : {}), passed: failures.length === 0, failures };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The heading of one failure: `turn 3 (line 12): alice: text "2"`. */
function heading(failure: TranscriptFailure): string {
  if (failure.turn === undefined) return "end state:";
  return `turn ${failure.turn}${failure.line === undefined ? "" : ` (line ${failure.line})`}: ${failure.input}`;
}

/** `✓ name`, or `✗ name (file)` and every failure indented under it. */
export function formatTranscriptResult(result: TranscriptResult): string {
  if (result.passed) return `✓ ${result.name}`;
  const lines = [`✗ ${result.name}${result.file === undefined ? "" : ` (${result.file})`}`];
  for (const failure of result.failures) lines.push(`  ${heading(failure)}`, ...failure.details.map((d) => `    ${d}`));
  return lines.join("\n");
}
