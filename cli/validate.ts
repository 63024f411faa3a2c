import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { FlowError, formatProblem, loadFlowDir, type FlowProblem, type LoadedBot } from "../flows/index.ts";
import { loadBot } from "../flows/load-bot.ts";
import { calendarSharedNames, sharedNames, type SharedName } from "../flows/understand/index.ts";

const USAGE = "usage: kiosk validate <botDir> [--json]";

/** Flow files read on their own, so their problems have positions even when index.ts cannot load. */
async function flowFileProblems(botDir: string): Promise<FlowProblem[]> {
  const dir = join(botDir, "flows");
  if (!existsSync(dir)) return [];
  try {
    await loadFlowDir(dir);
    return [];
  } catch (error) {
    if (error instanceof FlowError) return [...error.problems];
    throw error;
  }
}

/** The bot as `kiosk chat` would load it: index.ts, defineBot, and the flow files it reads. */
async function botProblems(botDir: string): Promise<{ bot?: LoadedBot; problems: FlowProblem[] }> {
  try {
    return { bot: await loadBot(botDir), problems: [] };
  } catch (error) {
    if (error instanceof FlowError && error.problems.length > 0) return { problems: [...error.problems] };
    const file = relative(process.cwd(), join(botDir, "index.ts")) || join(botDir, "index.ts");
    const message = error instanceof Error ? error.message : String(error);
    return { problems: [{ file, message: `cannot be loaded: ${message}`, fix: "fix the error above so index.ts loads; kiosk chat would fail the same way" }] };
  }
}

/** The same problem reached both ways (a flow file index.ts loads) is reported once. */
function unique(problems: readonly FlowProblem[]): FlowProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.file, p.line, p.column, p.bot, p.flow, p.step, p.field, p.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What the bot allows but a customer will trip on: names typed at the menu or a booking question that name two things (see flows/understand/ambiguity.ts). */
function warningsOf(bot: LoadedBot): string[] {
  const warn = (where: string) => (s: SharedName) =>
    `warning: bot '${bot.id}', ${where}: '${s.phrase}'${s.locale === undefined ? "" : ` (${s.locale})`} names ${s.names.join(" and ")}; typed, it names neither (fix: rename one, or drop the alias)`;
  return [...(bot.catalog ? sharedNames(bot.catalog).map(warn("catalog")) : []), ...(bot.calendar ? calendarSharedNames(bot.calendar).map(warn("calendar")) : [])];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * `kiosk validate <botDir> [--json]`: checks a bot and its flow files without
 * running them. Prints every problem as `file:line:column: flow 'x', step 'y',
 * field 'z': message (fix: …)`, or a JSON array of them with --json, and
 * warnings (a name that names two products) that do not fail it. Resolves
 * to the exit code: 0 when the bot is fine, 1 when it has problems, 2 on bad usage.
 */
export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" } } });
  const botDir = positionals[0];
  if (botDir === undefined || positionals.length > 1) {
    process.stderr.write(`kiosk: validate takes one bot folder, e.g. kiosk validate bots/cafe\n${USAGE}\n`);
    return 2;
  }
  const fromFiles = await flowFileProblems(botDir);
  const loaded = await botProblems(botDir);
  const problems = unique([...fromFiles, ...loaded.problems]);

  if (values.json) {
    process.stdout.write(`${JSON.stringify(problems, null, 2)}\n`);
  } else if (problems.length > 0) {
    for (const problem of problems) process.stdout.write(`${formatProblem(problem, { fix: true })}\n`);
    process.stderr.write(`kiosk: ${plural(problems.length, "problem")} in ${botDir}\n`);
  } else if (loaded.bot) {
    for (const warning of warningsOf(loaded.bot)) process.stdout.write(`${warning}\n`);
    const flows = [...loaded.bot.flows.values()];
    const steps = flows.reduce((n, f) => n + f.flow.steps.length, 0);
    process.stdout.write(`ok: ${loaded.bot.id} — ${plural(flows.length, "flow")}, ${plural(steps, "step")}\n`);
  }
  return problems.length > 0 ? 1 : 0;
}
