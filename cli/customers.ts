import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { sandboxDbPath } from "../adapters/emulator/sandbox.ts";
import { openSqliteStore, type ConversationAddress, type CustomerErasure, type CustomerRecord } from "../store/index.ts";

/** The channels a customer can be on; a typo would otherwise export or erase nothing without a word. */
const CHANNELS = ["telegram", "messenger", "whatsapp", "botframework", "emulator"] as const;

const USAGE = "kiosk customers export|erase <bot> <channel>:<user> [--db FILE] [--sandbox-db FILE]";

/** A mistake in the command line: exit code 2 with the usage. */
class CustomersUsageError extends Error {
  readonly code = "usage";
}

/** `telegram:42` → the customer's address; the user id may itself hold colons (Bot Framework's `29:1a…`). */
export function parseCustomer(bot: string | undefined, customer: string | undefined): ConversationAddress {
  if (!bot || !customer) throw new CustomersUsageError(`name the bot and the customer, e.g. kiosk customers export cafe telegram:42`);
  const colon = customer.indexOf(":");
  const channel = colon < 0 ? "" : customer.slice(0, colon);
  const userId = colon < 0 ? "" : customer.slice(colon + 1);
  if (channel === "" || userId === "") throw new CustomersUsageError(`'${customer}' is not <channel>:<user>, e.g. telegram:42 or whatsapp:33612345678`);
  if (!(CHANNELS as readonly string[]).includes(channel)) throw new CustomersUsageError(`unknown channel '${channel}'; channels are: ${CHANNELS.join(", ")}`);
  return { botId: bot, channel, userId };
}

/** The export as scripts read it: instants as ISO UTC strings, money in minor units beside its currency, absent as null. */
export function customerJson(record: CustomerRecord, exportedAt: Date): unknown {
  const { address, ...rest } = record;
  const body = { bot: address.botId, channel: address.channel, customer: address.userId, exportedAt, ...rest };
  // Dates become ISO strings through Date.toJSON; undefined becomes null so every key is there.
  return JSON.parse(JSON.stringify(body, (_key, value: unknown) => (value === undefined ? null : value)));
}

function describeErasure(file: string, counts: CustomerErasure): string {
  const parts = (Object.entries(counts) as Array<[string, number]>).map(([table, n]) => `${table} ${n}`);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return `${file}: ${total === 0 ? "nothing held under this id (already erased, or never seen)" : parts.join(", ")}\n`;
}

async function exportCustomer(address: ConversationAddress, db: string): Promise<number> {
  const store = openSqliteStore({ file: db });
  try {
    const record = await store.customerRecord(address);
    process.stdout.write(`${JSON.stringify(customerJson(record, new Date()), null, 2)}\n`);
  } finally {
    await store.close();
  }
  return 0;
}

async function eraseIn(file: string, address: ConversationAddress): Promise<CustomerErasure> {
  const store = openSqliteStore({ file });
  try {
    return await store.eraseCustomer(address, new Date());
  } finally {
    await store.close();
  }
}

/**
 * `kiosk customers export <bot> <channel>:<user> [--db FILE]`: everything
 * held about one customer, as JSON on stdout.
 * `kiosk customers erase <bot> <channel>:<user> [--db FILE] [--sandbox-db FILE]`:
 * removes their personal data from the store and from the emulator
 * sandbox's store beside it (when there is one), keeping their orders,
 * bookings, payments and refunds under a pseudonym. Prints how many rows of
 * each table changed, never the data.
 */
export async function customersCommand(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { db: { type: "string" }, "sandbox-db": { type: "string" } } });
    const [action, bot, customer, ...extra] = positionals;
    if (action !== "export" && action !== "erase") throw new CustomersUsageError(action === undefined ? "say export or erase" : `unknown action '${action}'; say export or erase`);
    if (extra.length > 0) throw new CustomersUsageError(`unexpected '${extra.join(" ")}'`);
    const address = parseCustomer(bot, customer);
    const db = values.db ?? "data/kiosk.db";
    // Opening a store creates its file: a mistyped path would export or erase an empty store.
    if (!existsSync(db)) {
      process.stderr.write(`kiosk customers: no store at '${db}'; pass the server's database with --db (KIOSK_DB)\n`);
      return 1;
    }
    if (action === "export") {
      if (values["sandbox-db"] !== undefined) throw new CustomersUsageError("--sandbox-db is for erase; export one store at a time with --db");
      return await exportCustomer(address, db);
    }
    const sandbox = values["sandbox-db"] ?? sandboxDbPath(db);
    if (values["sandbox-db"] !== undefined && !existsSync(sandbox)) {
      process.stderr.write(`kiosk customers: no sandbox store at '${sandbox}'; nothing was erased\n`);
      return 1;
    }
    process.stdout.write(`erased ${address.channel} customer of bot ${address.botId} (orders, bookings and refunds kept under a pseudonym):\n`);
    process.stdout.write(describeErasure(db, await eraseIn(db, address)));
    if (existsSync(sandbox)) process.stdout.write(describeErasure(sandbox, await eraseIn(sandbox, address)));
    return 0;
  } catch (error) {
    const usage = error instanceof CustomersUsageError || (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"));
    process.stderr.write(`kiosk customers: ${error instanceof Error ? error.message : String(error)}\n${usage ? `usage: ${USAGE}\n` : ""}`);
    return usage ? 2 : 1;
  }
}
