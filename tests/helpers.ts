/**
 * Shared setup for the cross-folder tests: a fresh temp folder with a real
 * SQLite file per test, emulators on a manual clock, and small readers for
 * what customers were sent and what the store holds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, vi } from "vitest";
import type { Button, Clock, OutboundMessage } from "../core/index.ts";
import { Emulator, type EmulatedCustomer, type EmulatorOptions } from "../adapters/emulator/emulator.ts";
import { EMULATOR_CHANNEL } from "../adapters/emulator/sender.ts";
import cafe from "../bots/cafe/index.ts";
import { openSqliteStore, type ConversationRow, type Store } from "../store/index.ts";

/** Where every test clock starts: a fixed instant, so transcripts are repeatable. */
export const T0 = new Date("2025-03-01T09:00:00.000Z");

export const CROISSANT_STOCK = 12;

export interface Harness {
  /** This test's own temp folder, removed after the test. */
  readonly dir: string;
  /** The SQLite file every emulator of this test opens. */
  readonly db: string;
  /** Opens an emulator on this test's file (cafe bot, clock at T0 unless told); closed after the test. */
  open(options?: Partial<Omit<EmulatorOptions, "db">>): Promise<Emulator>;
  /** Registers something to close after the test (before the folder is removed). */
  defer(close: () => Promise<unknown> | unknown): void;
}

/** A new emulator of the cafe and a customer of it (in `locale` when given) who has sent /start: at the menu. */
export async function atMenu(harness: Harness, name: string, locale?: string): Promise<{ emulator: Emulator; customer: EmulatedCustomer }> {
  const emulator = await harness.open();
  const customer = emulator.customer(name, ...(locale === undefined ? [] : [{ locale }]));
  await customer.send("/start");
  return { emulator, customer };
}

/** Call at the top of a describe: gives each test a fresh temp folder and closes what it opened. */
export function useHarness(): Harness {
  let dir: string | undefined;
  let closers: Array<() => Promise<unknown> | unknown> = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kiosk-"));
  });
  afterEach(async () => {
    const toClose = closers.reverse();
    closers = [];
    for (const close of toClose) await close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const harness: Harness = {
    get dir() {
      if (!dir) throw new Error("the harness is only usable inside a test");
      return dir;
    },
    get db() {
      return join(harness.dir, "kiosk.db");
    },
    async open(options = {}) {
      const emulator = await Emulator.open({ bot: cafe, clock: T0, ...options, db: harness.db });
      closers.push(() => emulator.close());
      return emulator;
    },
    defer(close) {
      closers.push(close);
    },
  };
  return harness;
}

/**
 * Call at the top of a describe: opens a store on a fresh SQLite file before
 * each test, hands it to `take`, and closes and removes it after the test.
 *
 * @example
 * let store: Store;
 * useSqliteStore((opened) => (store = opened));
 */
export function useSqliteStore(take: (store: Store) => void): void {
  const harness = useHarness();
  beforeEach(() => {
    const store = openSqliteStore({ file: harness.db });
    harness.defer(() => store.close());
    take(store);
  });
}

export function textsOf(messages: readonly OutboundMessage[]): string[] {
  return messages.flatMap((m) => (m.text === undefined ? [] : [m.text]));
}

export function labelsOf(message: OutboundMessage | undefined): string[] {
  return (message?.buttons ?? []).map((b: Button) => b.label);
}

/** The last message of a turn, which is the one waiting for an answer. */
export function last(messages: readonly OutboundMessage[]): OutboundMessage {
  const message = messages.at(-1);
  if (!message) throw new Error("the turn sent no message");
  return message;
}

export const CART_BUTTONS = ["Place order", "Change quantity", "Remove item", "Add more"];

/** The stored conversation of one emulator customer, with its version. */
export function conversationOf(emulator: Emulator, userId: string): Promise<ConversationRow | undefined> {
  return emulator.store.transaction((tx) => tx.loadConversation({ botId: emulator.bot.id, channel: EMULATOR_CHANNEL, userId }));
}

/** Runs the customer's turns in order and returns every message they produced. */
export async function say(customer: EmulatedCustomer, ...turns: string[]): Promise<OutboundMessage[]> {
  const all: OutboundMessage[] = [];
  for (const text of turns) all.push(...(await customer.send(text)));
  return all;
}

/** Puts `quantity` croissants in the cart and stops at the cart summary. */
export async function croissantsInCart(customer: EmulatedCustomer, quantity: number): Promise<OutboundMessage[]> {
  return say(customer, "/start", "croissant", String(quantity), "no");
}

/** Orders `quantity` croissants up to the invoice; returns the turn that placed the order. */
export async function placeCroissantOrder(customer: EmulatedCustomer, quantity: number): Promise<OutboundMessage[]> {
  await croissantsInCart(customer, quantity);
  return customer.press("Place order");
}

/**
 * Captures what a command writes to stdout and stderr until the test's
 * mocks are restored (`vi.restoreAllMocks()`).
 *
 * @example
 * const output = captureStdio();
 * expect(await refundsCommand(["--db", db])).toBe(0);
 * expect(output.out()).toContain("pending");
 */
export function captureStdio(): { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  return { out: () => out, err: () => err };
}

/** Polls every 10 ms until `check` holds (for what the server reaches after it answered), failing after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Waits until a running server's outbox has sent (or given up on) every
 * message due within the hour, by the server's clock, which a test may have
 * started or moved away from the wall clock.
 */
export async function settleOutbox(server: { readonly store: Store; readonly clock: Clock }, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await server.store.pendingOutbox(new Date(server.clock.now().getTime() + 3_600_000), 1);
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the outbox still holds messages after ${timeoutMs} ms: ${JSON.stringify(pending)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A customer of a chat-app test harness (Telegram's, Bot Framework's), who types and taps buttons. */
export interface ChatCustomer {
  send(text: string): Promise<unknown>;
  press(label: string): Promise<unknown>;
}

/** /start → two croissants → the invoice, as a customer taps and types in a chat app. */
export async function orderCroissants(customer: ChatCustomer): Promise<void> {
  await customer.send("/start");
  await customer.press("Pastries");
  await customer.send("croissant");
  await customer.send("2");
  await customer.press("No");
  await customer.press("Place order");
}
