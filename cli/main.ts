import { parseArgs } from "node:util";
import { Emulator, runJsonl, runTerminalChat } from "../adapters/emulator/index.ts";
import type { Order } from "../commerce/index.ts";
import { openSqliteStore } from "../store/index.ts";
import { bookingsCommand } from "./bookings.ts";
import { keysCommand } from "./keys.ts";
import { refundsCommand } from "./refunds.ts";
import { webhooksCommand } from "./webhooks.ts";
import { statsCommand } from "./stats.ts";
import { customersCommand } from "./customers.ts";
import { devCommand } from "./dev.ts";
import { diagramCommand } from "./diagram.ts";
import { loadBot } from "../flows/load-bot.ts";
import { testCommand } from "./test.ts";
import { validateCommand } from "./validate.ts";

const USAGE = `usage:
  kiosk chat <botDir> [--jsonl] [--db FILE] [--clock ISO-INSTANT]
  kiosk orders [--db FILE] [--json]
  kiosk bookings [--db FILE] [--json]
  kiosk refunds [--db FILE] [--json] [--status pending|refunded|manual|failed]
  kiosk webhooks [--bot ID] [--failed] [--json] [--db FILE]
  kiosk webhooks retry <event id> [--db FILE]
  kiosk stats <botDir|bot> [--since ISO] [--idle DURATION] [--db FILE] [--json]
  kiosk customers export <bot> <channel>:<user> [--db FILE]
  kiosk customers erase <bot> <channel>:<user> [--db FILE] [--sandbox-db FILE]
  kiosk keys create --bot <id> --scope read|write [--label TEXT] [--db FILE] [--json]
  kiosk keys list [--bot <id>] [--db FILE] [--json]
  kiosk keys revoke <id> [--db FILE]
  kiosk validate <botDir> [--json]
  kiosk test <botDir>
  kiosk dev <botDir> [--db FILE]
  kiosk diagram <botDir> [--flow ID]
  kiosk serve [--port N] [--host H] [--db FILE] [--bots DIR] [--emulator] [--clock ISO-INSTANT]`;

const DEFAULT_DB = "data/kiosk.db";

class UsageError extends Error {}

function parseClock(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--clock '${text}' is not an ISO instant (e.g. 2026-11-24T09:00:00Z)`);
  return date;
}

async function chat(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { jsonl: { type: "boolean" }, db: { type: "string" }, clock: { type: "string" } },
  });
  const botDir = positionals[0];
  if (!botDir) throw new UsageError("kiosk chat needs a bot folder, e.g. kiosk chat bots/cafe");
  const clock = parseClock(values.clock);
  const bot = await loadBot(botDir);
  const emulator = await Emulator.open({
    bot,
    db: values.db ?? DEFAULT_DB,
    ...(clock ? { clock } : {}),
    onError: (error, context) => process.stderr.write(`kiosk: ${context}: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  try {
    if (values.jsonl) await runJsonl(emulator, process.stdin, process.stdout);
    else await runTerminalChat(emulator, process.stdin, process.stdout);
  } finally {
    await emulator.close();
  }
  return 0;
}

function orderJson(order: Order) {
  return {
    id: order.id,
    bot: order.botId,
    channel: order.channel,
    customer: order.userId,
    status: order.status,
    items: order.items.map((i) => ({
      productId: i.productId,
      name: i.name,
      options: i.options,
      quantity: i.quantity,
      unitPrice: i.unitPrice,
      lineTotal: i.lineTotal,
    })),
    total: order.total,
    currency: order.currency,
    ...(order.shipping === undefined ? {} : { shipping: order.shipping }),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

async function orders(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: "string" }, json: { type: "boolean" } } });
  const store = openSqliteStore({ file: values.db ?? DEFAULT_DB });
  try {
    const list = (await store.listOrders({})).map(orderJson);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    } else if (list.length === 0) {
      process.stdout.write("no orders\n");
    } else {
      for (const o of list) {
        const items = o.items.map((i) => `${i.quantity}×${i.name}`).join(", ");
        process.stdout.write(`#${o.id}\t${o.status}\t${o.total} ${o.currency}\t${o.channel}:${o.customer}\t${o.createdAt}\t${items}\n`);
      }
    }
  } finally {
    await store.close();
  }
  return 0;
}

/** Runs the `kiosk` command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "chat":
        return await chat(rest);
      case "orders":
        return await orders(rest);
      case "bookings":
        return await bookingsCommand(rest);
      case "refunds":
        return await refundsCommand(rest);
      case "webhooks":
        return await webhooksCommand(rest);
      case "stats":
        return await statsCommand(rest);
      case "customers":
        return await customersCommand(rest);
      case "keys":
        return await keysCommand(rest);
      case "validate":
        return await validateCommand(rest);
      case "test":
        return await testCommand(rest);
      case "dev":
        return await devCommand(rest);
      case "diagram":
        return await diagramCommand(rest);
      case "serve":
        // Loaded on demand: the HTTP server's modules are not needed by the other commands.
        return await (await import("./serve.ts")).serveCommand(rest);
      case undefined:
      case "help":
      case "--help":
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    const usage = error instanceof UsageError || (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"));
    process.stderr.write(`kiosk: ${error instanceof Error ? error.message : String(error)}\n${usage ? `${USAGE}\n` : ""}`);
    return usage ? 2 : 1;
  }
}
