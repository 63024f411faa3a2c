import { parseArgs } from "node:util";
import { flowDiagram } from "../flows/index.ts";
import { loadBot } from "../flows/load-bot.ts";

const USAGE = "usage: kiosk diagram <botDir> [--flow ID]";

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `kiosk diagram <botDir> [--flow ID]`: prints the bot's flows as a Mermaid
 * flowchart. Resolves to the exit code: 2 for a usage error, 1 when the bot
 * or the flow cannot be found.
 */
export async function diagramCommand(args: string[]): Promise<number> {
  let botDir: string | undefined;
  let flow: string | undefined;
  try {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { flow: { type: "string" } } });
    if (positionals.length > 1) throw new Error(`expected one bot folder, got ${positionals.length}: ${positionals.join(" ")}`);
    botDir = positionals[0];
    flow = values.flow;
  } catch (error) {
    process.stderr.write(`kiosk diagram: ${message(error)}\n${USAGE}\n`);
    return 2;
  }
  if (botDir === undefined) {
    process.stderr.write(`kiosk diagram: needs a bot folder, e.g. kiosk diagram bots/cafe\n${USAGE}\n`);
    return 2;
  }
  try {
    const bot = await loadBot(botDir);
    process.stdout.write(`${flowDiagram(bot, flow === undefined ? {} : { flow })}\n`);
    return 0;
  } catch (error) {
    // A missing bot, a bot that does not load or an unknown flow: each message already says how to fix it.
    process.stderr.write(`kiosk diagram: ${message(error)}\n`);
    return 1;
  }
}
