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
