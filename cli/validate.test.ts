import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { validateCommand } from "./validate.ts";

const fixture = (name: string) => `tests/fixtures/${name}`;

describe("kiosk validate", () => {
  let stdout: MockInstance<typeof process.stdout.write>;
  let stderr: MockInstance<typeof process.stderr.write>;
  beforeEach(() => {
    stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  const printed = () => stdout.mock.calls.map(([chunk]) => String(chunk)).join("");

  it("exits 0 and counts flows and steps for a bot without problems", async () => {
    expect(await validateCommand([fixture("yaml-cafe")])).toBe(0);
    expect(printed()).toBe("ok: yaml-cafe — 1 flow, 10 steps\n");
    expect(await validateCommand(["bots/cafe"])).toBe(0);
    expect(printed()).toContain("ok: cafe — 1 flow, 11 steps\n");
  });

  it("warns, without failing, when a name typed at the menu would name two products", async () => {
    expect(await validateCommand([fixture("ambiguous-menu")])).toBe(0);
    expect(printed().split("\n")).toEqual([
      "warning: bot 'ambiguous-menu', catalog: 'coffee' (en) names product 'espresso' and product 'filter'; typed, it names neither (fix: rename one, or drop the alias)",
      "ok: ambiguous-menu — 1 flow, 4 steps",
      "",
    ]);
  });

  it("warns, without failing, when a name typed at a booking question would name two services", async () => {
    expect(await validateCommand([fixture("ambiguous-salon")])).toBe(0);
    expect(printed().split("\n")).toEqual([
      "warning: bot 'ambiguous-salon', calendar: 'trim' (en) names service 'beard' and service 'haircut'; typed, it names neither (fix: rename one, or drop the alias)",
      "ok: ambiguous-salon — 1 flow, 2 steps",
      "",
    ]);
  });

  it("exits 1 and prints each problem of a broken flow file with its position and fix, even though index.ts cannot load", async () => {
    expect(await validateCommand([fixture("yaml-broken")])).toBe(1);
    expect(printed().split("\n")).toEqual([
      "tests/fixtures/yaml-broken/flows/order.yaml:9:5: flow 'order', step 'menu', field 'promt': 'promt' is not a field of a 'catalog' step; did you mean 'prompt'? (fix: rename 'promt' to 'prompt')",
      "tests/fixtures/yaml-broken/flows/order.yaml:15:10: flow 'order', step 'more', field 'yes': 'menuu' is not a step; steps are: greet, menu, more, done (fix: did you mean 'menu'? Set yes: menu)",
      "",
    ]);
    expect(stderr.mock.calls.map(([chunk]) => String(chunk)).join("")).toBe("kiosk: 2 problems in tests/fixtures/yaml-broken\n");
  });

  it("reports what only the bot can tell (actions, products) at the file position", async () => {
    expect(await validateCommand([fixture("yaml-bad-refs"), "--json"])).toBe(1);
    const problems: unknown = JSON.parse(printed());
    expect(problems).toEqual([
      {
        file: "tests/fixtures/yaml-bad-refs/flows/order.yaml",
        line: 10,
        column: 40,
        bot: "bad-refs",
        flow: "order",
        step: "route",
        field: "cases[0].when.equals",
        message: "'lattee' is not a product in the catalog; products are: espresso, latte, cappuccino, croissant, pain-au-chocolat, gift-card, beans",
        fix: "did you mean 'latte'?",
      },
      {
        file: "tests/fixtures/yaml-bad-refs/flows/order.yaml",
        line: 15,
        column: 13,
        bot: "bad-refs",
        flow: "order",
        step: "hold",
        field: "action",
        message: "action 'holdCroissants' is not registered; register it in the bot's actions (none yet)",
        fix: "add holdCroissants to defineBot({ actions: { ... } })",
      },
    ]);
  });

  it("refuses flows whose turns would fail on the engine's own limits: texts over the render bounds, a chain of 102 steps that never wait", async () => {
    expect(await validateCommand([fixture("yaml-limits"), "--json"])).toBe(1);
    const problems = JSON.parse(printed()) as Array<{ file: string; line: number; column: number; flow: string; step: string; field?: string; message: string }>;
    expect(problems.map((p) => [p.file, p.line, p.column, p.flow, p.step, p.field])).toEqual([
      ["tests/fixtures/yaml-limits/flows/a-order.yaml", 6, 11, "order", "counting", "text"],
      ["tests/fixtures/yaml-limits/flows/a-order.yaml", 9, 11, "order", "nested", "text"],
      ["tests/fixtures/yaml-limits/flows/a-order.yaml", 12, 11, "order", "doubled", "text"],
      ["tests/fixtures/yaml-limits/flows/b-chain.yaml", 4, 5, "chain", "s1", undefined],
    ]);
    expect(problems.slice(0, 3).map((p) => p.message)).toEqual(Array(3).fill(expect.stringMatching(/^goes past the bounds every text renders under \(200 ms, 100000 characters/)));
    expect(problems[3]?.message).toBe(
      "starts a chain of 102 steps that do not wait for the customer ('s1' → 's2' → … → 'ask'); a turn follows at most 100, so every turn that reaches it would fail",
    );
  });

  it("prints an empty JSON array for a bot without problems", async () => {
    expect(await validateCommand([fixture("yaml-cafe"), "--json"])).toBe(0);
    expect(JSON.parse(printed())).toEqual([]);
  });

  it("reports a folder that is not a bot, and exits 2 without one", async () => {
    expect(await validateCommand(["tests/fixtures/no-such-bot"])).toBe(1);
    expect(printed()).toContain("tests/fixtures/no-such-bot/index.ts: cannot be loaded: ");
    expect(await validateCommand([])).toBe(2);
  });
});
