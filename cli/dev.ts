import { parseArgs } from "node:util";
import { Emulator, runTerminalChat } from "../adapters/emulator/index.ts";
import { FlowError, formatProblem } from "../flows/index.ts";
import { loadBot } from "../flows/load-bot.ts";
import { readBooking, readOrder } from "../flows/understand/index.ts";
import { watchBot } from "./watch-bot.ts";

const USAGE = "usage: kiosk dev <botDir> [--db FILE]";

/** Every problem of a failed load, one per line, as `kiosk validate` prints them. */
export function describeLoadError(error: unknown): string {
  if (error instanceof FlowError && error.problems.length > 0) return error.problems.map((p) => formatProblem(p, { fix: true })).join("\n");
  return error instanceof Error ? error.message : String(error);
}

/**
 * How `text` reads against the bot's own data, as its steps would read it:
 * as an order against the catalog, as a booking against the calendar (with
 * the words not understood). `kiosk dev` shows it under each typed line.
 */
export function catalogReading(emulator: Pick<Emulator, "bot" | "clock">, text: string): string | undefined {
  const { bot } = emulator;
  const lines: string[] = [];
  if (bot.catalog) lines.push(`as an order: ${readOrder(text, bot.catalog, { locale: bot.locale }).rule}`);
  if (bot.calendar) {
    const reading = readBooking(text, bot.calendar, { locale: bot.locale, timeZone: bot.calendar.timeZone, now: emulator.clock.now() });
    lines.push(`as a booking: ${reading.rule}${reading.unknown.length > 0 ? ` (not understood: ${reading.unknown.join(", ")})` : ""}`);
  }
  return lines.length > 0 ? lines.join("\n") : undefined;
}

/**
 * `kiosk dev <botDir>`: the terminal chat, plus a watcher that reloads the
 * bot when its files change. A change that does not validate is reported and
 * the running bot is kept; conversations go on with the flow version they
 * started with. Under each typed line, how it reads as an order against the
 * catalog (the rule that matched, what was not understood).
 */
export async function devCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { db: { type: "string" } } });
  const botDir = positionals[0];
  if (!botDir) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const report = (text: string) => process.stderr.write(`kiosk dev: ${text}\n`);
  let bot;
  try {
    bot = await loadBot(botDir);
  } catch (error) {
    report(`${botDir} does not load:\n${describeLoadError(error)}`);
    return 1;
  }
  const emulator = await Emulator.open({ bot, db: values.db ?? "data/kiosk.db", onError: (error, context) => report(`${context}: ${describeLoadError(error)}`) });
  const watcher = watchBot(botDir, {
    onReload: async (next) => {
      await emulator.reload(next);
      report(`reloaded ${next.id}: ${next.flows.size} flow(s); conversations keep the version they started with`);
    },
    onError: (error) => report(`not reloaded, the running bot is unchanged:\n${describeLoadError(error)}`),
  });
  try {
    await runTerminalChat(emulator, process.stdin, process.stdout, { explain: (text) => catalogReading(emulator, text) });
  } finally {
    watcher.close();
    await emulator.close();
  }
  return 0;
}
