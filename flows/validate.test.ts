import { describe, expect, it } from "vitest";
import { shop as cafeShop } from "../bots/cafe/catalog.ts";
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

  it("refuses a choice value that Kiosk's own buttons would take first (cmd:, order:, booking:, shop:)", () => {
    const f = flow("f")
      .choice("pick", { prompt: "Which?", slot: "pick", choices: [{ label: "Mine", value: "order:cancel:1" }, { label: "Shop", value: "shop:x" }, { label: "Fine", value: "orders" }] })
      .end("bye")
      .build();
    expect(messages(validateFlow(f))).toEqual([
      "flow 'f', step 'pick', field 'choices': choice value 'order:cancel:1' starts with 'order:', which Kiosk's own buttons use: a press would never reach this step",
      "flow 'f', step 'pick', field 'choices': choice value 'shop:x' starts with 'shop:', which Kiosk's own buttons use: a press would never reach this step",
    ]);
    expect(validateFlow(f)[0]?.fix).toBe("use a value without 'order:', e.g. 'cancel-1'");
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

  it("refuses a chain of steps that do not wait longer than a turn follows (20,001 says), naming its ends; 100 steps pass", () => {
    const says = (n: number) => {
      const b = flow("long");
      for (let i = 1; i <= n; i++) b.say(`s${i}`, `Line ${i}`);
      return b;
    };
    const huge = says(20_001).end("done").build();
    const problems = validateFlow(huge);
    expect(messages(problems)).toEqual([
      "flow 'long', step 's1': starts a chain of 20002 steps that do not wait for the customer ('s1' → 's2' → … → 'done'); a turn follows at most 100, so every turn that reaches it would fail",
    ]);
    expect(problems[0]?.fix).toBe("put an ask (or another step that waits) within every 100 steps, or merge consecutive say steps into one text");
    // 99 says and the ask that waits: 100 steps entered, as many as a turn follows.
    expect(validateFlow(says(99).askText("more", { prompt: "More?", slot: "more" }).build())).toEqual([]);
    expect(messages(validateFlow(says(100).askText("more", { prompt: "More?", slot: "more" }).build()))).toEqual([
      expect.stringMatching(/^flow 'long', step 's1': starts a chain of 101 steps .*\('s1' → 's2' → … → 'more'\)/),
    ]);
    // An ask every 50 steps breaks the chain.
    const broken = says(60).askText("pause", { prompt: "Go on?", slot: "go" });
    for (let i = 61; i <= 120; i++) broken.say(`s${i}`, `Line ${i}`);
    expect(validateFlow(broken.build())).toEqual([]);
  });

  it("refuses a loop of steps that neither wait nor change anything, which a turn can only leave by failing", () => {
    const f = flow("f")
      .askText("name", { prompt: "Name?", slot: "name" })
      .say("again", "Checking…")
      .branch("check", { cases: [{ when: { slot: "vip", exists: true }, goto: "done" }], otherwise: "again" })
      .end("done")
      .build();
    expect(messages(validateFlow(f))).toEqual([
      "flow 'f', step 'again': is in a loop of steps that never wait for the customer and change nothing (again → check → again): a turn that enters it fails after 100 steps",
    ]);
    // With an ask in the loop, each round waits for the customer.
    const asking = flow("f")
      .askText("name", { prompt: "Name?", slot: "name" })
      .branch("check", { cases: [{ when: { slot: "name", equals: "ok" }, goto: "done" }], otherwise: "name" })
      .end("done")
      .build();
    expect(validateFlow(asking)).toEqual([]);
  });

  it("refuses texts that go past the render bounds with sample data (a 10⁹-step loop, nested loops, string doubling), and passes loops over the cart", () => {
    const f = flow("f")
      .say("count", "{% for i in (1..1000000000) %}.{% endfor %}")
      .say("nested", "{% for i in (1..1000) %}{% for j in (1..1000) %}.{% endfor %}{% endfor %}")
      .say("doubled", { en: "{% assign s = 'ab' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}", fr: "ok" })
      .say("lines", "{% for l in cart.lines %}{{ l.quantity }} × {{ l.name }} {% endfor %}{{ cart.total | money }}")
      .askText("name", { prompt: "Name?", slot: "name" })
      .end("bye", "{% for i in (1..200) %}{{ slots.name | upcase }}{% endfor %}")
      .build();
    const problems = validateBot({ id: "shop", name: "Shop", ...cafeShop, locales: ["en", "fr"], flows: [f] }).filter((p) => /render/.test(p.message));
    expect(problems.map((p) => [p.step, p.field])).toEqual([
      ["count", "text"],
      ["nested", "text"],
      ["doubled", "text.en"],
    ]);
    expect(problems[0]?.message).toBe(
      "goes past the bounds every text renders under (200 ms, 100000 characters or items built by ranges, loops and appends) with a sample conversation, so every turn that shows it would fail",
    );
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
    const error = errorOf(() => defineBot({ id: "cafe", name: "Cafe", ...cafeShop, flows: [shop({ slot: "product", equals: "lattee" })] }));
    expect(error.where).toEqual({ bot: "cafe", flow: "order", step: "route", field: "cases[0].when.equals" });
    expect(error.message).toBe(
      "bot 'cafe', flow 'order', step 'route', field 'cases[0].when.equals': 'lattee' is not a product in the catalog; products are: espresso, latte, cappuccino, croissant, pain-au-chocolat, gift-card, beans",
    );
    expect(error.problems[0]?.fix).toBe("did you mean 'latte'?");
    // Another slot may hold any string.
    expect(() => defineBot({ id: "cafe", name: "Cafe", ...cafeShop, flows: [shop({ slot: "note", equals: "lattee" })] })).not.toThrow();
  });

  it("rejects an unknown option choice in a condition on the options slot", () => {
    const error = errorOf(() => defineBot({ id: "cafe", name: "Cafe", ...cafeShop, flows: [shop({ slot: "options", equals: { size: "xl" } })] }));
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

describe("validating templates and conditions", () => {
  const yamlProblems = (text: string) => {
    try {
      parseFlowSource(text, "flows/f.yaml");
    } catch (error) {
      if (error instanceof FlowError) return error.problems.map((p) => formatProblem(p));
      throw error;
    }
    return [];
  };

  it("names file, line and column of a placeholder that one path to its step leaves unset", () => {
    const yaml = (confirmPrompt: string, teaGoesTo: string) =>
      [
        "id: f", // 1
        'version: "1"', // 2
        "steps:", // 3
        "  - id: menu", // 4
        "    type: ask", // 5
        "    input: choice", // 6
        "    prompt: Coffee or tea?", // 7
        "    slot: drink", // 8
        "    choices: [{ label: Coffee, value: coffee }, { label: Tea, value: tea }]", // 9
        `    routes: { tea: ${teaGoesTo} }`, // 10
        "  - id: size", // 11
        "    type: ask", // 12
        "    input: choice", // 13
        "    prompt: Which size?", // 14
        "    slot: size", // 15
        "    choices: [{ label: S, value: s }, { label: L, value: l }]", // 16
        "  - id: confirm", // 17
        "    type: ask", // 18
        "    input: confirm", // 19
        `    prompt: ${confirmPrompt}`, // 20
        "    slot: ok", // 21
        "  - id: done", // 22
        "    type: end", // 23
      ].join("\n");
    expect(yamlProblems(yaml('"A {{ slots.size }} {{ slots.drink }}?"', "confirm"))).toEqual([
      "flows/f.yaml:20:13: flow 'f', step 'confirm', field 'prompt': {{ slots.size }} is not set on every path to this step (not set when coming from 'menu')",
    ]);
    // Tea asks the size too: set on both ways in.
    expect(yamlProblems(yaml('"A {{ slots.size }} {{ slots.drink }}?"', "size"))).toEqual([]);
    // A guard is a way to cope with it.
    expect(yamlProblems(yaml('"A {% if slots.size %}{{ slots.size }} {% endif %}{{ slots.drink }}?"', "confirm"))).toEqual([]);
  });

  it("does not count a step's own answer in its prompt, but does in its retry, which quotes it", () => {
    const f = flow("f")
      .askNumber("age", { prompt: "Still {{ slots.age }}?", slot: "age", min: 16, retry: "'{{ slots.age }}' is not an age" })
      .end("bye", "Bye at {{ slots.age }}")
      .build();
    const problems = validateFlow(f);
    expect(messages(problems)).toEqual(["flow 'f', step 'age', field 'prompt': {{ slots.age }} is not set on every path to this step (not set when the flow starts here)"]);
    expect(problems[0]?.fix).toBe(`set slot 'age' on every way here (ask for it earlier), or guard it: {% if slots.age %}…{% endif %} or {{ slots.age | default: "…" }}`);
  });

  it("forgets the slots a cart_add step empties, and knows an order only between checkout and payment", () => {
    const f = flow("shop")
      .catalog("menu", { prompt: "What?" })
      .quantity("qty", { prompt: "How many {{ slots.product | product }}?" })
      .addToCart("add")
      .cartReview("review", { checkout: "checkout", more: "menu" })
      .checkout("checkout", { back: "review" })
      .say("placed", "Order #{{ order.id }}: {{ order.total | money }}, {{ slots.product }}")
      .pay("pay")
      .end("done", "Paid #{{ order.id }}")
      .build();
    expect(messages(validateFlow(f))).toEqual([
      "flow 'shop', step 'placed', field 'text': {{ slots.product }} is not set on every path to this step (not set when coming from 'checkout')",
      "flow 'shop', step 'done', field 'text': {{ order.id }} is not set on every path to this step (not set when coming from 'pay'); there is an order only after a checkout step, until it is paid",
    ]);
  });

  it("trusts what follows an action, which may set any slot", () => {
    const f = flow("f").action("load", "loadProfile").say("hi", "Hi {{ slots.name }}").build();
    expect(validateFlow(f)).toEqual([]);
  });

  it("counts the menu command as a way into the menu step", () => {
    const main = flow("order").askText("name", { prompt: "Name?", slot: "name" }).catalog("menu", { prompt: "What would you like, {{ slots.name }}?" }).end("done").build();
    expect(validateFlow(main)).toEqual([]);
    expect(messages(validateBot({ id: "cafe", name: "Cafe", ...cafeShop, flows: [main] }))).toEqual([
      "bot 'cafe', flow 'order', step 'menu', field 'prompt': {{ slots.name }} is not set on every path to this step (not set when the menu command comes here)",
    ]);
  });

  it("reports syntax errors, unknown filters and names a text cannot read, with suggestions", () => {
    const f = flow("f")
      .say("a", "Total {{ cart.total | mony }}")
      .say("b", "Hi {{ customer.id ")
      .say("c", "Size {{ slot.size }}")
      .end("d")
      .build();
    const problems = validateFlow(f);
    expect(messages(problems)).toEqual([
      "flow 'f', step 'a', field 'text': 'mony' is not a filter; filters are money, date, time, product and Liquid's own (upcase, default, join…)",
      `flow 'f', step 'b', field 'text': is not a valid template: output "{{ customer.id " not closed, line:1, col:4`,
      "flow 'f', step 'c', field 'text': {{ slot.size }}: 'slot' is not something a text can read; texts read slots, cart, order, customer, bot",
    ]);
    expect(problems.map((p) => p.fix)).toEqual(["did you mean 'money'?", expect.stringContaining("close each {{ with }}"), "did you mean 'slots'?"]);
  });

  it("checks CEL conditions: syntax, names, and slots set on the way", () => {
    const f = (...whens: string[]) =>
      flow("f")
        .askNumber("age", { prompt: "Age?", slot: "age" })
        .branch("route", { cases: whens.map((when) => ({ when, goto: "senior" })), otherwise: "done" })
        .say("senior", "Welcome")
        .end("done")
        .build();
    expect(validateFlow(f("slots.age >= 65", "has(slots.vip) && slots.vip == true"))).toEqual([]);
    expect(messages(validateFlow(f("slots.age >=", "process.pid > 0", "slots.vip", "slots.age")))).toEqual([
      "flow 'f', step 'route', field 'cases[0].when': is not a valid condition: Unexpected token: EOF",
      "flow 'f', step 'route', field 'cases[1].when': is not a valid condition: Unknown variable: process",
      "flow 'f', step 'route', field 'cases[2].when': slots.vip is not set on every path to this step (not set when coming from 'age')",
    ]);
  });

  it("reads a condition written as text in a YAML flow, and points at it", () => {
    const yaml = (when: string) =>
      [
        "id: f", // 1
        'version: "1"', // 2
        "steps:", // 3
        "  - id: age", // 4
        "    type: ask", // 5
        "    input: number", // 6
        "    prompt: Age?", // 7
        "    slot: age", // 8
        "  - id: route", // 9
        "    type: branch", // 10
        "    cases:", // 11
        `      - when: ${when}`, // 12
        "        goto: done", // 13
        "    otherwise: done", // 14
        "  - id: done", // 15
        "    type: end", // 16
      ].join("\n");
    expect(yamlProblems(yaml("slots.age >= 65 && slots.age < 120"))).toEqual([]);
    expect(yamlProblems(yaml("slots.agee >= 65"))).toEqual([
      "flows/f.yaml:12:15: flow 'f', step 'route', field 'cases[0].when': slots.agee is not set on every path to this step (not set when coming from 'age')",
    ]);
    expect(yamlProblems(yaml("{ slott: age }"))).toEqual(["flows/f.yaml:12:17: flow 'f', step 'route', field 'cases[0].when.slott': 'slott' is not a field of a condition; did you mean 'slot'?"]);
    expect(yamlProblems(yaml("3"))).toEqual(["flows/f.yaml:12:15: flow 'f', step 'route', field 'cases[0].when': should be text or a map of fields, not the number 3"]);
    expect(yamlProblems(yaml("").replace("      - when: \n        goto", "      - goto"))).toEqual([
      "flows/f.yaml:12:9: flow 'f', step 'route', field 'cases[0].when': is missing; a case needs 'when' (text or a map of fields)",
    ]);
    expect(yamlProblems(yaml(`"slots.age > ${"9".repeat(500)}"`))).toEqual([
      "flows/f.yaml:12:15: flow 'f', step 'route', field 'cases[0].when': is 512 characters long; it may have at most 500",
    ]);
  });

  it("rejects a time zone Intl does not know", () => {
    expect(messages(validateBot({ id: "cafe", name: "Cafe", timeZone: "Europe/Pariss", flows: [flow("f").end("e").build()] }))).toEqual(["bot 'cafe': timeZone 'Europe/Pariss' is not a time zone"]);
  });
});
