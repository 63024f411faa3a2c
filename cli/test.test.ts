import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { testCommand } from "./test.ts";

const cafeEntry = fileURLToPath(new URL("../bots/cafe/index.ts", import.meta.url));

const PASSING = ["name: welcome", "turns:", "  - text: /start", "    expect:", "      includes:", "        - text: { contains: Welcome }", ""].join("\n");
const FAILING = ["name: wrong welcome", "turns:", "  - text: /start", "    expect:", "      - text: Hello", ""].join("\n");
const BROKEN = ["name: broken", "turns:", "  - pay: maybe", ""].join("\n");

describe("kiosk test", () => {
  let dir: string;
  let stdout: MockInstance<typeof process.stdout.write>;
  let stderr: MockInstance<typeof process.stderr.write>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kiosk-test-command-"));
    stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  const printed = () => stdout.mock.calls.map(([chunk]) => String(chunk)).join("");
  const errors = () => stderr.mock.calls.map(([chunk]) => String(chunk)).join("");

  /** A bot folder that is the cafe, with the given transcripts. */
  function botWith(transcripts: Record<string, string>): string {
    writeFileSync(join(dir, "index.ts"), `export { default } from ${JSON.stringify(cafeEntry)};\n`);
    mkdirSync(join(dir, "transcripts"), { recursive: true });
    for (const [name, text] of Object.entries(transcripts)) writeFileSync(join(dir, "transcripts", name), text);
    return dir;
  }

  it("exits 0 and prints ✓ per transcript and the summary when all pass", async () => {
    expect(await testCommand([botWith({ "a.transcript.yaml": PASSING })])).toBe(0);
    expect(printed()).toBe("✓ welcome\n1 passed, 0 failed\n");
  });

  it("exits 1 and prints ✗ with the diff, counting a broken file as failed", async () => {
    const botDir = botWith({ "a.transcript.yaml": PASSING, "b.transcript.yaml": FAILING, "c.transcript.yaml": BROKEN });
    expect(await testCommand([botDir])).toBe(1);
    const lines = printed().split("\n");
    expect(lines[0]).toBe("✓ welcome");
    expect(lines[1]).toBe(`✗ wrong welcome (${join(botDir, "transcripts", "b.transcript.yaml")})`);
    expect(lines[2]).toBe('  turn 1 (line 3): customer: text "/start"');
    expect(lines).toContain("    message 1: text differs at character 1:");
    expect(lines).toContain('      expected "Hello"');
    expect(lines).toContain(`✗ ${join(botDir, "transcripts", "c.transcript.yaml")}`);
    expect(lines).toContain(`  ${join(botDir, "transcripts", "c.transcript.yaml")}:3:10: turns[0].pay: should be one of succeed, decline, not the string 'maybe'`);
    expect(lines.at(-2)).toBe("1 passed, 2 failed");
    expect(lines.at(-1)).toBe("");
  });

  it("exits 1 and says so when the bot folder has no transcripts", async () => {
    expect(await testCommand([botWith({})])).toBe(1);
    expect(printed()).toBe(`no transcripts in ${dir}: write one as <name>.transcript.yaml in the bot folder\n`);
  });

  it("exits 1 when the bot cannot be loaded", async () => {
    expect(await testCommand([join(dir, "missing")])).toBe(1);
    expect(errors()).toContain("no index.ts");
  });

  it("exits 2 on bad usage", async () => {
    expect(await testCommand([])).toBe(2);
    expect(await testCommand(["a", "b"])).toBe(2);
    expect(errors()).toContain("usage: kiosk test <botDir>");
  });

  it("runs the cafe's transcripts, all passing", async () => {
    expect(await testCommand(["bots/cafe"])).toBe(0);
    expect(printed()).toMatch(/^(✓ .+\n){10,}\d+ passed, 0 failed\n$/u);
  });
});
