import { describe, expect, it } from "vitest";
import { catalog } from "../bots/cafe/catalog.ts";
import cafe from "../bots/cafe/index.ts";
import { defineBot } from "./bot.ts";
import { flow } from "./builder.ts";
import { FlowError, formatProblem } from "./errors.ts";
import { validateBot, validateFlow } from "./validate.ts";
import { parseFlowSource } from "./yaml/load.ts";

function errorOf(fn: () => unknown): FlowError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FlowError) return error;
    throw error;
  }
  throw new Error("expected a FlowError, but nothing was thrown");
}

const messages = (problems: ReturnType<typeof validateFlow>) => problems.map((p) => formatProblem(p));

describe("validating flows", () => {
  it("finds nothing wrong with the cafe, whose loops all have a way out", () => {
    expect(validateBot(cafe.definition)).toEqual([]);
  });

  it("reports a step nothing leads to, counting default next, confirm and branch targets", () => {
    const f = flow("f")
      .confirm("sure", { prompt: "Sure?", slot: "sure", yes: "thanks", no: "bye" })
      .say("skipped", "Nobody hears this")
      .say("thanks", "Thanks")
      .branch("route", { cases: [{ when: { slot: "sure", equals: true }, goto: "bye" }], otherwise: "bye" })
      .say("orphan", "Nor this")
      .end("bye")
      .build();
    expect(messages(validateFlow(f))).toEqual([
      "flow 'f', step 'skipped': is never reached: no path from the first step 'sure' leads here",
      "flow 'f', step 'orphan': is never reached: no path from the first step 'sure' leads here",
    ]);
  });

  it("reports a loop with no way out once, at its first step", () => {
    const f = flow("f")
      .say("hello", "Hi")
      .askText("name", { prompt: "Name?", slot: "name" })
      .confirm("right", { prompt: "Right?", slot: "ok", yes: "name", no: "name" })
      .end("bye")
      .build();
    const problems = validateFlow(f);
    expect(messages(problems)).toEqual([
      "flow 'f', step 'name': is in a loop with no way out: name, right only lead to each other, and never to an end",
      "flow 'f', step 'bye': is never reached: no path from the first step 'hello' leads here",
    ]);
    expect(problems[0]?.fix).toContain("end");
  });

  it("lets the last step end the flow, and an unpaid invoice end it at a pay step", () => {
    const noEnd = flow("f").say("a", "A").say("b", "B").build();
    expect(validateFlow(noEnd)).toEqual([]);
    const shop = flow("shop")
      .catalog("menu", { prompt: "What?" })
      .addToCart("add")
      .cartReview("review", { checkout: "checkout", more: "menu" })
      .checkout("checkout", { back: "review" })
      .pay("pay", "menu")
      .build();
    expect(validateFlow(shop)).toEqual([]);
  });

  it("counts any step as a place an action may jump to", () => {
    const f = flow("f").action("decide", "pick").end("a").end("b").build();
    expect(validateFlow(f)).toEqual([]);
    const withoutAction = flow("f").say("decide", "Hi", "a").end("a").end("b").build();
    expect(validateFlow(withoutAction).map((p) => p.step)).toEqual(["b"]);
  });

  it("rejects a route for a value that no choice has", () => {
    const f = flow("f")
      .choice("plan", { prompt: "Plan?", slot: "plan", choices: ["monthly", "yearly"], routes: { yarly: "bye" } })
      .end("bye")
      .build();
    const [problem] = validateFlow(f);
    expect(problem).toMatchObject({ step: "plan", field: "routes.yarly", fix: "did you mean 'yearly'?" });
    expect(problem?.message).toBe("'yarly' is not a value of this step's choices (monthly, yearly), so this route is never taken");
  });
});

describe("validating a bot", () => {
  const shop = (when: { slot: string; equals: string | Record<string, string> }) =>
    flow("order")
      .catalog("menu", { prompt: "What?" })
      .options("options")
      .branch("route", { cases: [{ when, goto: "bye" }], otherwise: "add" })
      .addToCart("add")
      .end("bye")
      .build();

  it("rejects an unknown product in a condition on the product slot, listing the products", () => {
    const error = errorOf(() => defineBot({ id: "cafe", name: "Cafe", catalog, flows: [shop({ slot: "product", equals: "lattee" })] }));
    expect(error.where).toEqual({ bot: "cafe", flow: "order", step: "route", field: "cases[0].when.equals" });
    expect(error.message).toBe(
      "bot 'cafe', flow 'order', step 'route', field 'cases[0].when.equals': 'lattee' is not a product in the catalog; products are: espresso, latte, cappuccino, croissant, pain-au-chocolat",
    );
    expect(error.problems[0]?.fix).toBe("did you mean 'latte'?");
    // Another slot may hold any string.
    expect(() => defineBot({ id: "cafe", name: "Cafe", catalog, flows: [shop({ slot: "note", equals: "lattee" })] })).not.toThrow();
  });

  it("rejects an unknown option choice in a condition on the options slot", () => {
    const error = errorOf(() => defineBot({ id: "cafe", name: "Cafe", catalog, flows: [shop({ slot: "options", equals: { size: "xl" } })] }));
    expect(error.where.field).toBe("cases[0].when.equals.size");
    expect(error.problems[0]?.message).toBe("'xl' is not a choice of option 'size'; choices are: s, m, l");
  });

  it("reports every problem of every flow at once", () => {
    const one = flow("one").action("grab", "holdCroissants").say("lost", "Never").end("done").build();
    const two = flow("two").catalog("menu", { prompt: "What?", next: "nowhere" }).end("done").build();
    const error = errorOf(() => defineBot({ id: "b", name: "B", flows: [one, two, flow("one").end("x").build()], main: "three" }));
    expect(error.problems.map((p) => [p.flow, p.step, p.field])).toEqual([
      ["one", "grab", "action"],
      ["two", "menu", "next"],
      ["two", "menu", undefined],
      ["one", undefined, undefined],
      [undefined, undefined, undefined],
    ]);
    expect(error.message.split("\n")).toEqual([
      "5 problems:",
      "  bot 'b', flow 'one', step 'grab', field 'action': action 'holdCroissants' is not registered; register it in the bot's actions (none yet)",
      "  bot 'b', flow 'two', step 'menu', field 'next': 'nowhere' is not a step; steps are: menu, done",
      "  bot 'b', flow 'two', step 'menu': a 'catalog' step needs the bot to have a catalog",
      "  bot 'b', flow 'one': is defined twice",
      "  bot 'b': main flow 'three' does not exist; flows are: one, two",
    ]);
  });

  it("names the file, line and column of a bot-level problem in a flow read from a file", () => {
    const yaml = [
      "id: grab", // 1
      'version: "1"', // 2
      "steps:", // 3
      "  - id: reserve", // 4
      "    type: action", // 5
      "    action: holdCroisants", // 6
      "  - id: done", // 7
      "    type: end", // 8
    ].join("\n");
    const grab = parseFlowSource(yaml, "bots/bakery/flows/grab.yaml");
    const error = errorOf(() => defineBot({ id: "bakery", name: "Bakery", flows: [grab], actions: { holdCroissants: () => undefined } }));
    expect(error.problems).toEqual([
      {
        file: "bots/bakery/flows/grab.yaml",
        line: 6,
        column: 13,
        bot: "bakery",
        flow: "grab",
        step: "reserve",
        field: "action",
        message: "action 'holdCroisants' is not registered; register it in the bot's actions (known: holdCroissants)",
        fix: "did you mean 'holdCroissants'? Otherwise add holdCroisants to the bot's actions",
      },
    ]);
    expect(error.message).toMatch(/^bots\/bakery\/flows\/grab\.yaml:6:13: bot 'bakery', flow 'grab', step 'reserve', field 'action': /);
    // A copy of the flow is plain IR again: the same problem, without a position.
    const copy = errorOf(() => defineBot({ id: "bakery", name: "Bakery", flows: [{ ...grab }] }));
    expect(copy.problems[0]?.file).toBeUndefined();
  });
});
