import { parseArgs } from "node:util";
import {
  TRANSCRIPT_SUFFIX,
  formatTranscriptProblem,
  formatTranscriptResult,
  loadTranscripts,
  runTranscript,
} from "../adapters/emulator/index.ts";
import type { LoadedBot } from "../flows/index.ts";
import { loadBot } from "../flows/load-bot.ts";

const USAGE = "usage: kiosk test <botDir>";

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * `kiosk test <botDir>`: plays every `*.transcript.yaml` in the bot folder
 * against the bot, each on a fresh emulator and database. Prints `✓ name` or
 * `✗ name` with a diff per failing turn, then `N passed, M failed`. Resolves
 * to the exit code: 0 when all pass, 1 when any fails or there are none,
 * 2 on bad usage.
 */
export async function testCommand(args: string[]): Promise<number> {
  let botDir: string | undefined;
  try {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length > 1) throw new Error(`expected one bot folder, got ${positionals.length}: ${positionals.join(" ")}`);
    botDir = positionals[0];
  } catch (error) {
    process.stderr.write(`kiosk test: ${message(error)}\n${USAGE}\n`);
    return 2;
  }
  if (botDir === undefined) {
    process.stderr.write(`kiosk test: needs a bot folder, e.g. kiosk test bots/cafe\n${USAGE}\n`);
    return 2;
  }

  let bot: LoadedBot;
  try {
    bot = await loadBot(botDir);
  } catch (error) {
    process.stderr.write(`kiosk test: ${message(error)}\n`);
    return 1;
  }
  const transcripts = await loadTranscripts(botDir);
  if (transcripts.length === 0) {
    process.stdout.write(`no transcripts in ${botDir}: write one as <name>${TRANSCRIPT_SUFFIX} in the bot folder\n`);
    return 1;
  }

  let passed = 0;
  let failed = 0;
  for (const loaded of transcripts) {
    if (!loaded.ok) {
      // A file that cannot be read counts as failed: a typo must not silently skip a test.
      failed += 1;
      process.stdout.write(`✗ ${loaded.file}\n${loaded.problems.map((p) => `  ${formatTranscriptProblem(p)}\n`).join("")}`);
      continue;
    }
    const result = await runTranscript(bot, loaded.transcript);
    if (result.passed) passed += 1;
    else failed += 1;
    process.stdout.write(`${formatTranscriptResult(result)}\n`);
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}
