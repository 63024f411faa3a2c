import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import cafe from "../bots/cafe/index.ts";
import { diagramCommand } from "../cli/diagram.ts";
import { defineBot } from "./bot.ts";
import { flow } from "./builder.ts";
import { flowDiagram } from "./diagram.ts";
import { FlowError } from "./errors.ts";

const signup = flow("signup")
  .askNumber("age", { prompt: "How old are you?", slot: "age" })
  .branch("route", {
    cases: [
      { when: { slot: "age", min: 65 }, goto: "senior" },
      { when: { slot: "tier", equals: 'gold "vip" [x]' }, goto: "senior" },
    ],
    otherwise: "plan",
  })
  .say("senior", "A senior discount applies.")
  .choice("plan", { prompt: "Which plan?", slot: "plan", choices: ["basic", "pro", "team"], routes: { pro: "charge", team: "sales-call" } })
  .confirm("sure", { prompt: "Sure?", slot: "sure", yes: "charge", no: "bye" })
  .action("charge", "chargeCard", "bye")
  .say("sales-call", "We will call you.")
  .end("bye", "Bye!")
  .build();

const support = flow("support").say("hi", "Hi").say('tip "quote" [1] |pipe| <b>', "Tip").build();

const shop = defineBot({ id: "shop", name: "Shop", flows: [signup, support], actions: { chargeCard: () => undefined } });

/**
 * A structural check of mermaid's flowchart grammar as this module writes it:
 * every line is a known statement, node ids are declared once, and every
 * edge and class line names declared nodes. Returns the problems found.
 */
function mermaidProblems(text: string): string[] {
  const [header, ...lines] = text.split("\n");
  const problems: string[] = header === "flowchart TD" ? [] : [`header is '${header}'`];
  const label = String.raw`"[^"]*"`;
  const shapes = [`\\(${label}\\)`, `\\(\\[${label}\\]\\)`, `\\{${label}\\}`, `\\{\\{${label}\\}\\}`, `\\[\\[${label}\\]\\]`, `\\[${label}\\]`, `>${label}\\]`, `\\(\\(${label}\\)\\)`, `\\(\\(\\(${label}\\)\\)\\)`];
  const node = new RegExp(String.raw`^\s*([A-Za-z][A-Za-z0-9_]*)(?:${shapes.join("|")})$`);
  const edge = new RegExp(String.raw`^\s*([A-Za-z][A-Za-z0-9_]*) -->(?:\|${label}\|)? ([A-Za-z][A-Za-z0-9_]*)$`);
  const declared = new Set<string>();
  const references: string[] = [];
  let depth = 0;
  for (const line of lines) {
    const subgraph = /^\s*subgraph ([A-Za-z][A-Za-z0-9_]*) \["[^"]*"\]$/.exec(line);
    const declaration = node.exec(line);
    const link = edge.exec(line);
    const classLine = /^\s*class ([A-Za-z][A-Za-z0-9_]*) current$/.exec(line);
    if (subgraph?.[1] !== undefined) {
      depth++;
      if (declared.has(subgraph[1])) problems.push(`subgraph id ${subgraph[1]} is used twice`);
      declared.add(subgraph[1]);
    } else if (/^\s*end$/.test(line)) {
      if (--depth < 0) problems.push("'end' without a subgraph");
    } else if (declaration?.[1] !== undefined) {
      if (declared.has(declaration[1])) problems.push(`node ${declaration[1]} is declared twice`);
      declared.add(declaration[1]);
    } else if (link?.[1] !== undefined && link[2] !== undefined) {
      references.push(link[1], link[2]);
    } else if (classLine?.[1] !== undefined) {
      references.push(classLine[1]);
    } else if (!/^\s*classDef current [a-z-]+:[^\s]+$/.test(line)) {
      problems.push(`unknown line: ${line}`);
    }
  }
  if (depth !== 0) problems.push("unbalanced subgraphs");
  for (const id of references) if (!declared.has(id)) problems.push(`${id} is not declared`);
  return problems;
}

function lines(text: string): string[] {
  return text.split("\n").map((l) => l.trim());
}

describe("flowDiagram", () => {
  it("draws the cafe's steps, implicit and labelled transitions, and its end", () => {
    const text = lines(flowDiagram(cafe));
    expect(text[0]).toBe("flowchart TD");
    expect(text).toContain('order__menu["menu · catalog"]');
    expect(text).toContain('order__more(["more · ask confirm"])');
    expect(text).toContain('order__done("done · end")');
    expect(text).toContain("order__start --> order__greet");
    expect(text).toContain("order__greet --> order__menu");
    expect(text).toContain('order__more -->|"yes"| order__menu');
    expect(text).toContain('order__more -->|"no"| order__review');
    expect(text).toContain('order__review -->|"checkout"| order__counter');
    expect(text).toContain('order__counter[["counter · action fitsOnOneTray"]]');
    expect(text).toContain("order__counter --> order__checkout");
    expect(text).toContain('order__review -->|"more"| order__menu');
    expect(text).toContain('order__checkout -->|"back"| order__review');
    expect(text).toContain("order__pay --> order__done");
    expect(text).toContain('order__pay -->|"expired"| order__end');
    expect(text).toContain("order__done --> order__end");
    // The review step waits for a choice, so it never falls through to the step written after it.
    expect(text).not.toContain("order__review --> order__checkout");
  });

  it("routes the global commands: menu to the cafe's menu step, start to the main flow, cancel to its end", () => {
    const text = lines(flowDiagram(cafe));
    expect(text).toContain('subgraph commands ["global commands"]');
    expect(text).toContain('cmd_menu{{"/menu"}}');
    expect(text).toContain(`cmd_menu --> order__${cafe.menuStep}`);
    expect(text).toContain("cmd_start --> order__greet");
    expect(text).toContain("cmd_cancel --> order__end");
    expect(text).toContain("cmd_help --> cmd_back");
    expect(text).toContain("cmd_orders --> cmd_back");
  });

  it("draws branch conditions, confirm, choice routes, actions and a last step that ends the flow", () => {
    const text = lines(flowDiagram(shop));
    expect(text).toContain('signup__route{"route · branch"}');
    expect(text).toContain('signup__charge[["charge · action chargeCard"]]');
    expect(text).toContain('signup__route -->|"age ≥ 65"| signup__senior');
    expect(text).toContain('signup__route -->|"otherwise"| signup__plan');
    expect(text).toContain("signup__senior --> signup__plan");
    expect(text).toContain('signup__plan -->|"routes.pro"| signup__charge');
    expect(text).toContain('signup__plan -->|"routes.team"| signup__sales_call');
    expect(text).toContain("signup__plan --> signup__sure");
    expect(text).toContain('signup__sure -->|"yes"| signup__charge');
    expect(text).toContain('signup__sure -->|"no"| signup__bye');
    expect(text).toContain("signup__charge --> signup__bye");
    expect(text).toContain("signup__bye --> signup__end");
    expect(text).toContain("support__hi --> support__tip__quote___1___pipe___b_");
    expect(text).toContain("support__tip__quote___1___pipe___b_ --> support__end");
    expect(text.filter((l) => l.startsWith("subgraph "))).toEqual(['subgraph flow_signup ["flow signup"]', 'subgraph flow_support ["flow support"]', 'subgraph commands ["global commands"]']);
  });

  it("escapes quotes, brackets, pipes and angle brackets in labels", () => {
    const text = flowDiagram(shop);
    expect(text).toContain('support__tip__quote___1___pipe___b_("tip #34;quote#34; #91;1#93; #124;pipe#124; #60;b#62; · say")');
    expect(text).toContain('signup__route -->|"tier = #34;gold #34;vip#34; #91;x#93;#34;"| signup__senior');
    expect(mermaidProblems(text)).toEqual([]);
  });

  it("keeps node ids unique when step ids sanitize alike", () => {
    const twins = flow("f").say("a-b", "1").say("a_b", "2").say("start", "3").build();
    const text = lines(flowDiagram(defineBot({ id: "twins", name: "Twins", flows: [twins] })));
    expect(text).toContain('f__a_b("a-b · say")');
    expect(text).toContain('f__a_b_2("a_b · say")');
    expect(text).toContain('f__start("start · say")');
    expect(text).toContain('f__start_2(("start"))');
    expect(text).toContain("f__start_2 --> f__a_b");
  });

  it("draws only the flow asked for, pointing commands at stand-ins for the main flow", () => {
    const text = lines(flowDiagram(shop, { flow: "support" }));
    expect(text.some((l) => l.startsWith("signup__"))).toBe(false);
    expect(text).toContain("support__hi --> support__tip__quote___1___pipe___b_");
    expect(text).toContain('cmd_signup__age["flow signup › age"]');
    expect(text).toContain("cmd_start --> cmd_signup__age");
    expect(text).toContain("cmd_cancel --> support__end");
    expect(mermaidProblems(flowDiagram(shop, { flow: "support" }))).toEqual([]);
  });

  it("rejects an unknown flow, listing the known ones", () => {
    let error: unknown;
    try {
      flowDiagram(shop, { flow: "nope" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FlowError);
    expect(error).toMatchObject({ code: "flow_invalid", where: { bot: "shop", flow: "nope" } });
    expect(error instanceof Error ? error.message : "").toBe("bot 'shop': flow 'nope' does not exist; flows are: signup, support");
  });

  it("highlights the current step, or the end when the flow has ended", () => {
    const text = lines(flowDiagram(cafe, { current: { flowId: "order", stepId: "review" } }));
    expect(text).toContain("classDef current fill:#fde68a,stroke:#b45309,stroke-width:3px");
    expect(text).toContain("class order__review current");
    expect(lines(flowDiagram(cafe, { current: { flowId: "order", stepId: null } }))).toContain("class order__end current");
    expect(flowDiagram(cafe)).not.toContain("classDef current");
    const gone = lines(flowDiagram(cafe, { current: { flowId: "order", stepId: "removed" } }));
    expect(gone.filter((l) => l.startsWith("class "))).toEqual([]);
  });

  it("gives the same text for the same bot", () => {
    expect(flowDiagram(cafe)).toBe(flowDiagram(cafe));
    expect(flowDiagram(shop, { current: { flowId: "signup", stepId: "plan" } })).toBe(flowDiagram(shop, { current: { flowId: "signup", stepId: "plan" } }));
  });

  it("writes mermaid whose every edge and class line names a declared node", () => {
    expect(mermaidProblems(flowDiagram(cafe, { current: { flowId: "order", stepId: "pay" } }))).toEqual([]);
    expect(mermaidProblems(flowDiagram(shop))).toEqual([]);
    // The checker itself must catch a dangling edge.
    expect(mermaidProblems(`${flowDiagram(cafe)}\n  order__pay --> order__nowhere`)).toEqual(["order__nowhere is not declared"]);
  });
});

describe("kiosk diagram", () => {
  const cafeDir = fileURLToPath(new URL("../bots/cafe", import.meta.url));

  function capture(stream: NodeJS.WriteStream): { text: () => string } {
    const chunks: string[] = [];
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    return { text: () => chunks.join("") };
  }

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("prints the cafe's diagram", async () => {
    const out = capture(process.stdout);
    expect(await diagramCommand([cafeDir])).toBe(0);
    expect(out.text().startsWith("flowchart TD\n")).toBe(true);
    expect(out.text()).toContain("cmd_menu --> order__menu");
  });

  it("prints one flow with --flow, and fails with the known flows on a bad id", async () => {
    const out = capture(process.stdout);
    const err = capture(process.stderr);
    expect(await diagramCommand([cafeDir, "--flow", "order"])).toBe(0);
    expect(out.text()).toContain('subgraph flow_order ["flow order"]');
    expect(await diagramCommand([cafeDir, "--flow", "nope"])).toBe(1);
    expect(err.text()).toContain("flow 'nope' does not exist; flows are: order");
  });

  it("needs a bot folder", async () => {
    const err = capture(process.stderr);
    expect(await diagramCommand([])).toBe(2);
    expect(err.text()).toContain("usage: kiosk diagram <botDir> [--flow ID]");
  });
});
