/**
 * Every bot's `*.transcript.yaml`, one test each, found when the suite is
 * collected: adding a transcript to a bot folder adds a test to `npm test`.
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatTranscriptProblem, formatTranscriptResult, loadTranscripts, runTranscript, type LoadedTranscript } from "../adapters/emulator/index.ts";
import { loadBot } from "../flows/load-bot.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const botsDir = join(repoRoot, "bots");

const botDirs = readdirSync(botsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => relative(repoRoot, join(botsDir, e.name)))
  .sort();

const suites: Array<{ botDir: string; transcripts: LoadedTranscript[] }> = [];
for (const botDir of botDirs) {
  const transcripts = await loadTranscripts(join(repoRoot, botDir));
  if (transcripts.length > 0) suites.push({ botDir, transcripts });
}

const title = (t: LoadedTranscript) => (t.ok ? `${t.transcript.name} (${relative(repoRoot, t.file)})` : relative(repoRoot, t.file));

describe("transcripts", () => {
  it("are found for the cafe", () => {
    expect(suites.map((s) => s.botDir)).toContain(join("bots", "cafe"));
  });
});

describe.each(suites.map((s) => [s.botDir, s.transcripts] as const))("%s transcripts", (botDir, transcripts) => {
  it.each(transcripts.map((t) => [title(t), t] as const))("%s", async (_title, loaded) => {
    if (!loaded.ok) expect.fail(loaded.problems.map(formatTranscriptProblem).join("\n"));
    const bot = await loadBot(join(repoRoot, botDir));
    const result = await runTranscript(bot, loaded.transcript);
    if (!result.passed) expect.fail(formatTranscriptResult(result));
  });
});
