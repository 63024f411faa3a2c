import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { describeLoadError } from "../cli/dev.ts";
import { loadBot } from "../flows/load-bot.ts";
import { watchBot } from "../cli/watch-bot.ts";
import { textsOf, useHarness } from "./helpers.ts";

const flowsIndex = pathToFileURL(fileURLToPath(new URL("../flows/index.ts", import.meta.url))).href;

function flowYaml(version: string, hello: string, check: string): string {
  return [
    "id: join",
    `version: "${version}"`,
    "steps:",
    "  - { id: hello, type: say, text: " + JSON.stringify(hello) + " }",
    "  - { id: name, type: ask, input: text, prompt: Your name?, slot: name }",
    "  - { id: check, type: ask, input: confirm, prompt: " + JSON.stringify(check) + ", slot: ok, no: name }",
    "  - { id: bye, type: end, text: Bye }",
    "",
  ].join("\n");
}

/** Resolves the next time `register` hands it a value. */
function next<T>(register: (resolve: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve) => register(resolve));
}

describe("kiosk dev reload", () => {
  const harness = useHarness();

  it("reloads a bot when its flow file changes, keeps it when the change is broken, and never drops a conversation", async () => {
    const botDir = join(harness.dir, "club");
    mkdirSync(join(botDir, "flows"), { recursive: true });
    writeFileSync(
      join(botDir, "index.ts"),
      `import { defineBot, loadFlowDir } from ${JSON.stringify(flowsIndex)};\n` +
        `export default defineBot({ id: "club", name: "Club", flows: await loadFlowDir(new URL("./flows", import.meta.url)) });\n`,
    );
    const flowFile = join(botDir, "flows", "join.yaml");
    writeFileSync(flowFile, flowYaml("1", "Hello v1", "Is {{ slots.name }} right?"));

    const emulator = await harness.open({ bot: await loadBot(botDir) });
    expect(textsOf(await emulator.customer("old").send("hi"))).toEqual(["Hello v1", "Your name?"]);

    let onReload: (id: string) => void = () => {};
    let onError: (message: string) => void = () => {};
    const watcher = watchBot(
      botDir,
      {
        onReload: async (bot) => {
          await emulator.reload(bot);
          onReload(bot.id);
        },
        onError: (error) => onError(describeLoadError(error)),
      },
      { debounceMs: 20 },
    );
    harness.defer(() => watcher.close());

    // A broken edit is reported with its position and changes nothing.
    const failed = next<string>((resolve) => (onError = resolve));
    writeFileSync(flowFile, flowYaml("2", "Hello v2", "Is {{ slots.name }} right?").replace("no: name", "no: nowhere"));
    expect(await failed).toMatch(/join\.yaml:6:\d+: .*step 'check', field 'no': 'nowhere' is not a step/);
    expect(textsOf(await emulator.customer("a").send("hi"))).toEqual(["Hello v1", "Your name?"]);

    // A good edit is swapped in: new conversations see it, the one under way keeps its version.
    const reloaded = next<string>((resolve) => (onReload = resolve));
    writeFileSync(flowFile, flowYaml("2", "Hello v2", "Confirm {{ slots.name }}?"));
    expect(await reloaded).toBe("club");
    expect(textsOf(await emulator.customer("b").send("hi"))).toEqual(["Hello v2", "Your name?"]);
    expect(textsOf(await emulator.customer("old").send("Ann"))).toEqual(["Is Ann right?"]);
  });
});
