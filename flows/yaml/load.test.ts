import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { order as tsOrder } from "../../tests/fixtures/yaml-cafe/builder-order.ts";
import { FlowFileError, formatProblem, type FlowFileProblem } from "../errors.ts";
import { loadFlowDir, loadFlowFile, parseFlowSource } from "./load.ts";

const cafeYaml = new URL("../../tests/fixtures/yaml-cafe/flows/order.yaml", import.meta.url);

/** The problems parsing `text` throws, as `file:line:col: where: message` lines. */
function problemsOf(text: string, file = "flows/f.yaml"): string[] {
  return fileErrorOf(() => parseFlowSource(text, file)).problems.map((p) => formatProblem(p));
}

function fileErrorOf(fn: () => unknown): FlowFileError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FlowFileError) return error;
    throw error;
  }
  throw new Error("expected a FlowFileError, but the file loaded");
}

async function rejectionOf(promise: Promise<unknown>): Promise<FlowFileError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FlowFileError) return error;
    throw error;
  }
  throw new Error("expected a FlowFileError, but the files loaded");
}

const src = (...lines: string[]) => `${lines.join("\n")}\n`;

describe("loading a flow file", () => {
  it("compiles the cafe's YAML order flow to the same IR as the TypeScript builder", async () => {
    const fromYaml = await loadFlowFile(fileURLToPath(cafeYaml));
    expect(fromYaml).toEqual(tsOrder);
    const quantity = fromYaml.steps.find((s) => s.type === "quantity");
    expect(quantity?.prompt).toBe("How many {{ slots.product | product }}? (1–10)");
  });

  it("reads the same flow written as JSON", () => {
    const json = JSON.stringify(parse(readFileSync(cafeYaml, "utf8")), null, 2);
    expect(parseFlowSource(json, "order.json")).toEqual(parseFlowSource(readFileSync(cafeYaml, "utf8"), "order.yaml"));
  });

  it("names file, line, column, flow, step and field of a value of the wrong type", () => {
    const text = src(
      "id: f", //
      'version: "1"',
      "steps:",
      "  - id: age",
      "    type: ask",
      "    input: number",
      "    prompt: How old are you?",
      "    slot: age",
      "    min: ten",
      "  - id: bye",
      "    type: end",
    );
    const error = fileErrorOf(() => parseFlowSource(text, "flows/f.yaml"));
    expect(error.code).toBe("flow_file_invalid");
    expect(error.problems).toEqual<FlowFileProblem[]>([
      {
        file: "flows/f.yaml",
        line: 9,
        column: 10,
        flow: "f",
        step: "age",
        field: "min",
        message: "should be a number, not the string 'ten'",
        fix: "write a number without quotes, e.g. min: 10",
      },
    ]);
    expect(error.message).toBe("flows/f.yaml:9:10: flow 'f', step 'age', field 'min': should be a number, not the string 'ten'");
  });

  it("points at a misspelt field's name and suggests the field it meant, once", () => {
    const text = src(
      "id: f", //
      'version: "1"',
      "steps:",
      "  - id: menu",
      "    type: catalog",
      "    promt: What would you like?",
      "  - id: bye",
      "    type: end",
    );
    expect(problemsOf(text)).toEqual(["flows/f.yaml:6:5: flow 'f', step 'menu', field 'promt': 'promt' is not a field of a 'catalog' step; did you mean 'prompt'?"]);
    const unrelated = text.replace("promt", "colour");
    expect(problemsOf(unrelated)).toEqual([
      "flows/f.yaml:4:5: flow 'f', step 'menu', field 'prompt': is missing; a 'catalog' step needs 'prompt' (text or one text per locale)",
      "flows/f.yaml:6:5: flow 'f', step 'menu', field 'colour': 'colour' is not a field of a 'catalog' step; fields are: id, type, prompt, slot, understand, next",
    ]);
  });

  it("rejects an unknown step type, listing the types", () => {
    const text = src("id: f", 'version: "1"', "steps:", "  - id: hi", "    type: sya", "    text: Hello", "  - id: bye", "    type: end");
    const [problem] = fileErrorOf(() => parseFlowSource(text, "f.yaml")).problems;
    expect(problem).toMatchObject({ line: 5, column: 11, step: "hi", field: "type", fix: "did you mean 'say'? Set type: say" });
    expect(problem?.message).toBe(
      "'sya' is not a step type; use one of say, ask, catalog, quantity, options, cart_add, cart_review, checkout, pay, book, bookings, branch, action, end",
    );
  });

  it("rejects a target that is not a step, listing the steps", () => {
    const text = src(
      "id: order",
      'version: "1"',
      "steps:",
      "  - id: greet",
      "    type: say",
      "    text: Hi",
      "  - id: more",
      "    type: ask",
      "    input: confirm",
      "    prompt: Anything else?",
      "    slot: more",
      "    yes: menuu",
      "    no: done",
      "  - id: menu",
      "    type: say",
      "    text: Menu",
      "    next: more",
      "  - id: done",
      "    type: end",
    );
    const [problem, ...rest] = fileErrorOf(() => parseFlowSource(text, "bots/cafe/flows/order.yaml")).problems;
    expect(rest).toEqual([]);
    expect(problem && formatProblem(problem, { fix: true })).toBe(
      "bots/cafe/flows/order.yaml:12:10: flow 'order', step 'more', field 'yes': 'menuu' is not a step; steps are: greet, more, menu, done (fix: did you mean 'menu'? Set yes: menu)",
    );
  });

  it("rejects a step id used twice, at the second", () => {
    const text = src("id: f", 'version: "1"', "steps:", "  - id: a", "    type: say", "    text: A", "  - id: a", "    type: end");
    expect(problemsOf(text)).toEqual(["flows/f.yaml:7:9: flow 'f', step 'a': is defined twice; step ids must be unique in a flow"]);
  });

  it("rejects a step nothing leads to", () => {
    const text = src(
      "id: f",
      'version: "1"',
      "steps:",
      "  - id: hello",
      "    type: say",
      "    text: Hi",
      "    next: bye",
      "  - id: lost",
      "    type: say",
      "    text: Nobody hears this",
      "  - id: bye",
      "    type: end",
    );
    expect(problemsOf(text)).toEqual(["flows/f.yaml:8:5: flow 'f', step 'lost': is never reached: no path from the first step 'hello' leads here"]);
  });

  it("rejects a loop with no way out, at its first step", () => {
    const text = src(
      "id: f",
      'version: "1"',
      "steps:",
      "  - id: hello",
      "    type: say",
      "    text: Hi",
      "  - id: name",
      "    type: ask",
      "    input: text",
      "    prompt: Your name?",
      "    slot: name",
      "  - id: again",
      "    type: branch",
      "    cases:",
      "      - when: { slot: name, equals: bob }",
      "        goto: hello",
      "    otherwise: name",
    );
    expect(problemsOf(text)).toEqual([
      "flows/f.yaml:4:5: flow 'f', step 'hello': is in a loop with no way out: hello, name, again only lead to each other, and never to an end",
    ]);
    // The same loop with an exit is fine, even though the customer may go round it forever.
    const withExit = text.replace("    otherwise: name\n", "    otherwise: bye\n  - id: bye\n    type: end\n");
    expect(parseFlowSource(withExit, "f.yaml").steps.map((s) => s.id)).toEqual(["hello", "name", "again", "bye"]);
  });

  it("reports a YAML syntax error at its position", () => {
    const text = src("id: f", 'version: "1"', "steps:", "  - id: a", "    type: say", '    text: "Hello', "  - id: b", "    type: end");
    const [problem] = fileErrorOf(() => parseFlowSource(text, "f.yaml")).problems;
    expect(problem).toMatchObject({ file: "f.yaml", line: 6, column: 11, message: 'not valid YAML: Missing closing "quote' });
    expect(problemsOf(src("id: f", "id: g"))).toEqual(["flows/f.yaml:2:1: not valid YAML: Map keys must be unique"]);
  });

  it("reports a JSON syntax error at its position", () => {
    const json = '{\n  "id": "f",\n  "version": "1",\n  "steps": [\n    { "id": "a", "type": "end" },\n  ]\n';
    expect(problemsOf(json, "f.json")).toEqual(["f.json:7:1: not valid YAML: Flow map must end with a }"]);
  });

  it("reports every problem of a file at once, in file order", () => {
    const text = src(
      "id: f", // 1
      "version: 2", // 2
      "steps:", // 3
      "  - id: size", // 4
      "    type: ask", // 5
      "    input: choice", // 6
      "    prompt: Which size?", // 7
      "    slot: size", // 8
      "    choices:", // 9
      "      - { label: Small, value: s }", // 10
      "      - { label: Large, value: l, colour: red }", // 11
      "    routes: { s: smal }", // 12
      "  - id: qty", // 13
      "    type: quantity", // 14
      "    prompt: How many?", // 15
      "    max: lots", // 16
      "  - id: x", // 17
      "    type: wait", // 18
      "  - id: bye", // 19
      "    type: end", // 20
      "    next: size", // 21
    );
    expect(problemsOf(text)).toEqual([
      "flows/f.yaml:2:10: flow 'f', field 'version': should be text, not the number 2",
      "flows/f.yaml:11:35: flow 'f', step 'size', field 'choices[1].colour': 'colour' is not a field of a choice; fields are: label, value, aliases",
      "flows/f.yaml:12:18: flow 'f', step 'size', field 'routes.s': 'smal' is not a step; steps are: size, qty, x, bye",
      "flows/f.yaml:16:10: flow 'f', step 'qty', field 'max': should be a number, not the string 'lots'",
      "flows/f.yaml:18:11: flow 'f', step 'x', field 'type': 'wait' is not a step type; use one of say, ask, catalog, quantity, options, cart_add, cart_review, checkout, pay, book, bookings, branch, action, end",
      "flows/f.yaml:21:5: flow 'f', step 'bye', field 'next': 'next' is not a field of an 'end' step: the flow ends at an end step",
    ]);
  });
});

describe("loading a folder of flow files", () => {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kiosk-flows-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const good = (id: string) => src(`id: ${id}`, 'version: "1"', "steps:", "  - id: hi", "    type: say", "    text: Hi", "  - id: bye", "    type: end");

  it("loads .yaml, .yml and .json files sorted by name, and nothing else", async () => {
    writeFileSync(join(dir, "b.yml"), good("second"));
    writeFileSync(join(dir, "a.yaml"), good("first"));
    writeFileSync(join(dir, "c.json"), JSON.stringify(parse(good("third"))));
    writeFileSync(join(dir, "notes.md"), "# not a flow");
    expect((await loadFlowDir(dir)).map((f) => f.id)).toEqual(["first", "second", "third"]);
  });

  it("returns nothing when one file is broken, and reports the problems of every file", async () => {
    writeFileSync(join(dir, "a.yaml"), good("first"));
    writeFileSync(join(dir, "b.yaml"), good("second").replace("    text: Hi", "    text: Hi\n    next: nowhere"));
    writeFileSync(join(dir, "c.yaml"), good("third").replace("type: end", "type: stop"));
    const error = await rejectionOf(loadFlowDir(dir));
    expect(error.problems.map((p) => [p.file.endsWith("b.yaml") ? "b" : "c", p.line, p.column, p.field])).toEqual([
      ["b", 7, 11, "next"],
      ["c", 8, 11, "type"],
    ]);
  });

  it("rejects two files that define the same flow", async () => {
    writeFileSync(join(dir, "a.yaml"), good("order"));
    writeFileSync(join(dir, "b.yaml"), good("order"));
    const error = await rejectionOf(loadFlowDir(dir));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ line: 1, column: 5, flow: "order", field: "id" });
    expect(error.problems[0]?.message).toMatch(/^flow 'order' is already defined in .*a\.yaml$/);
  });

  it("does not read a flow file over 1 MiB: the error names the file, its size and the limit; one of exactly 1 MiB loads", async () => {
    const big = join(dir, "huge.yaml");
    writeFileSync(big, good("huge"));
    // 30 MB, as a generated file might be; sparse, so the test writes nothing.
    truncateSync(big, 30 * 1024 * 1024);
    const error = await rejectionOf(loadFlowFile(big));
    expect(error.problems).toEqual([
      {
        file: expect.stringMatching(/huge\.yaml$/),
        line: 1,
        column: 1,
        message: "is 31457280 bytes (30 MiB), over the limit of 1048576 bytes (1 MiB) for a flow file; it was not read",
        fix: "split it into several flow files, one sub-flow each",
      },
    ]);
    expect(formatProblem(error.problems[0] as FlowFileProblem)).toMatch(/huge\.yaml:1:1: is 31457280 bytes \(30 MiB\), over the limit of 1048576 bytes \(1 MiB\) for a flow file; it was not read$/);

    const atLimit = join(dir, "full.yaml");
    const text = good("full");
    writeFileSync(atLimit, text + "#".repeat(1024 * 1024 - Buffer.byteLength(text) - 1) + "\n");
    expect((await loadFlowFile(atLimit)).id).toBe("full");
    writeFileSync(atLimit, text + "#".repeat(1024 * 1024 - Buffer.byteLength(text)) + "\n");
    expect((await rejectionOf(loadFlowFile(atLimit))).problems[0]?.message).toMatch(/^is 1048577 bytes \(1\.0 MiB\), over the limit of 1048576 bytes/);
  });

  it("refuses a file that is not .yaml, .yml or .json", async () => {
    const path = join(dir, "order.txt");
    writeFileSync(path, good("order"));
    const error = await rejectionOf(loadFlowFile(path));
    expect(error.problems[0]?.message).toBe("is not a flow file; flow files end in .yaml, .yml, .json");
  });
});
