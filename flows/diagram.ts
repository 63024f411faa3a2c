import type { LoadedBot, LoadedFlow } from "./bot.ts";
import type { CommandName } from "./commands.ts";
import { FlowError } from "./errors.ts";
import type { JsonValue, Step, StepId, StepType, When } from "./ir.ts";

export interface DiagramOptions {
  /** Draw only this flow (and the global commands). */
  readonly flow?: string;
  /** Where a conversation is; that step gets the `current` class. `stepId: null` means its flow has ended. */
  readonly current?: { readonly flowId: string; readonly stepId: string | null };
}

/** A transition out of a step; `to: null` ends the flow. */
interface Edge {
  readonly to: StepId | null;
  readonly label?: string;
}

/** Where each global command takes the customer (see commands.ts); a new command fails to compile until it is drawn. */
const COMMANDS: Readonly<Record<CommandName, "start" | "menu" | "end" | "back">> = {
  start: "start",
  help: "back",
  menu: "menu",
  cancel: "end",
  orders: "back",
  bookings: "back",
  language: "back",
  human: "back",
};

/** Lexer words that would split a node id starting with them (mermaid's flow.jison). */
const RESERVED = /^(?:end|style|default|linkstyle|interpolate|classdef|class|href|click|call|graph|flowchart|subgraph|direction|_|[0-9])/i;

/**
 * Mermaid decodes `#NN;` codes after parsing, so a label written this way can
 * contain no character that ends a string, a shape or an edge text early.
 */
function escapeLabel(text: string): string {
  return text.replace(/\s+/g, " ").replace(/["#&<>()[\]{}|`~]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** Hands out node ids that mermaid reads as one token, unique even when two step ids sanitize alike. */
class NodeIds {
  readonly #used = new Set<string>();

  take(base: string): string {
    let safe = base.replace(/[^A-Za-z0-9_]/g, "_");
    if (RESERVED.test(safe)) safe = `n_${safe}`;
    let id = safe;
    for (let n = 2; this.#used.has(id); n++) id = `${safe}_${n}`;
    this.#used.add(id);
    return id;
  }
}

/** Strings shown as written, not JSON-escaped: the label is escaped for mermaid anyway. */
function show(value: JsonValue): string {
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

function describeCondition(c: When): string {
  if (typeof c === "string") return c;
  const parts: string[] = [];
  if (c.exists !== undefined) parts.push(c.exists ? `${c.slot} is set` : `${c.slot} is not set`);
  if (c.equals !== undefined) parts.push(`${c.slot} = ${show(c.equals)}`);
  if (c.notEquals !== undefined) parts.push(`${c.slot} ≠ ${show(c.notEquals)}`);
  if (c.min !== undefined) parts.push(`${c.slot} ≥ ${c.min}`);
  if (c.max !== undefined) parts.push(`${c.slot} ≤ ${c.max}`);
  return parts.length > 0 ? parts.join(" and ") : "always";
}

/**
 * The transitions the step handlers can take. Mirrors flows/steps/*.ts rather
 * than `stepTargets`, because some written fields are never followed (a branch
 * or cart review ignores `next`) and some moves name no field (a pay step
 * ends the flow when its order expires).
 */
function edgesOf(bot: LoadedBot, loaded: LoadedFlow, step: Step): Edge[] {
  if (step.type === "end") return [{ to: null }];
  const next = step.next ?? loaded.following.get(step.id) ?? null;
  switch (step.type) {
    case "branch":
      return [...step.cases.map((c) => ({ to: c.goto, label: describeCondition(c.when) })), { to: step.otherwise, label: "otherwise" }];
    case "cart_review":
      return [{ to: step.checkout, label: "checkout" }, { to: step.more, label: "more" }];
    case "checkout":
      return [{ to: next }, { to: step.back, label: "back" }];
    case "pay":
      return next === null ? [{ to: null }] : [{ to: next }, { to: null, label: "expired" }];
    case "book":
      return next === null ? [{ to: null }] : [{ to: next }, { to: null, label: "rescheduled" }];
    case "quantity": {
      // A sold-out product sends the customer to the menu step, which exists only in the main flow.
      const soldOut = loaded === bot.main ? [{ to: bot.menuStep, label: "sold out" }] : [];
      return [{ to: next }, ...soldOut];
    }
    case "ask":
      if (step.input === "confirm") {
        return [{ to: step.yes ?? next, label: "yes" }, { to: step.no ?? next, label: "no" }];
      }
      if (step.input === "choice") {
        const routes = step.routes ?? {};
        const routed = Object.entries(routes).map(([value, to]) => ({ to, label: `routes.${value}` }));
        const unrouted = step.choices.some((c) => routes[c.value] === undefined);
        return unrouted ? [...routed, { to: next }] : routed;
      }
      return [{ to: next }];
    default:
      return [{ to: next }];
  }
}

/**
 * Shapes: say and end rounded; ask a stadium (it waits for the customer);
 * branch a diamond (it decides without waiting); action a subroutine (it runs
 * TypeScript); catalog, cart, checkout and pay steps a rectangle. The flow's
 * start is a circle and its end a double circle; commands are hexagons.
 */
const SHAPES: Partial<Record<StepType, readonly [string, string]>> = {
  say: ["(", ")"],
  end: ["(", ")"],
  ask: ["([", "])"],
  branch: ["{", "}"],
  action: ["[[", "]]"],
};

function stepNode(id: string, step: Step): string {
  const kind = step.type === "ask" ? `ask ${step.input}` : step.type === "action" ? `action ${step.action}` : step.type;
  const [open, close] = SHAPES[step.type] ?? ["[", "]"];
  return `${id}${open}"${escapeLabel(`${step.id} · ${kind}`)}"${close}`;
}

function arrow(from: string, to: string, label?: string): string {
  return label === undefined ? `${from} --> ${to}` : `${from} -->|"${escapeLabel(label)}"| ${to}`;
}

interface DrawnFlow {
  readonly steps: ReadonlyMap<StepId, string>;
  readonly end: string;
}

function drawFlow(bot: LoadedBot, loaded: LoadedFlow, ids: NodeIds, out: string[]): DrawnFlow {
  const flowId = loaded.flow.id;
  const subgraph = ids.take(`flow_${flowId}`);
  const steps = new Map(loaded.flow.steps.map((s) => [s.id, ids.take(`${flowId}__${s.id}`)]));
  const start = ids.take(`${flowId}__start`);
  const end = ids.take(`${flowId}__end`);
  const nodeOf = (step: StepId | null): string => (step === null ? end : (steps.get(step) ?? end));
  out.push(`  subgraph ${subgraph} ["${escapeLabel(`flow ${flowId}`)}"]`, `    ${start}(("start"))`);
  for (const step of loaded.flow.steps) out.push(`    ${stepNode(nodeOf(step.id), step)}`);
  out.push(`    ${end}((("end")))`, `    ${arrow(start, nodeOf(loaded.start))}`);
  for (const step of loaded.flow.steps) {
    for (const edge of edgesOf(bot, loaded, step)) out.push(`    ${arrow(nodeOf(step.id), nodeOf(edge.to), edge.label)}`);
  }
  out.push("  end");
  return { steps, end };
}

/** The global commands, which work at any step; `drawn` holds the flows in the diagram. */
function drawCommands(bot: LoadedBot, drawn: ReadonlyMap<string, DrawnFlow>, ids: NodeIds, out: string[]): void {
  const mainId = bot.main.flow.id;
  const main = drawn.get(mainId);
  const subgraph = ids.take("commands");
  const nodes: string[] = [];
  const edges: string[] = [];
  const stubs = new Map<StepId, string>();
  // With the main flow filtered out, start and menu point at stand-ins so every edge still has both ends.
  const mainStep = (step: StepId): string => {
    const node = main?.steps.get(step) ?? stubs.get(step);
    if (node !== undefined) return node;
    const stub = ids.take(`cmd_${mainId}__${step}`);
    stubs.set(step, stub);
    nodes.push(`    ${stub}["${escapeLabel(`flow ${mainId} › ${step}`)}"]`);
    return stub;
  };
  const back = ids.take("cmd_back");
  // Cancel ends whatever flow the customer is in; the main flow's end stands for it when drawn.
  const endNode = (main ?? [...drawn.values()][0])?.end ?? back;
  for (const [name, goes] of Object.entries(COMMANDS)) {
    const node = ids.take(`cmd_${name}`);
    nodes.push(`    ${node}{{"/${escapeLabel(name)}"}}`);
    const target = goes === "start" ? mainStep(bot.main.start) : goes === "menu" ? mainStep(bot.menuStep) : goes === "end" ? endNode : back;
    edges.push(`  ${arrow(node, target)}`);
  }
  nodes.push(`    ${back}>"back to the current step"]`);
  out.push(`  subgraph ${subgraph} ["global commands"]`, ...nodes, "  end", ...edges);
}

/**
 * Draws a bot's flows as a Mermaid flowchart: one subgraph per flow with its
 * steps and every transition the engine can take, plus the global commands.
 * Labelled edges name the field they come from (`yes`, `routes.pro`,
 * `checkout`) or the branch condition; unlabelled ones are the default next.
 * The same bot always gives the same text.
 *
 * @example
 * const text = flowDiagram(cafe, { current: { flowId: "order", stepId: "menu" } });
 * // flowchart TD
 * //   subgraph flow_order ["flow order"]
 * //     order__start(("start"))
 * //     order__greet("greet · say")
 * //     …
 * //   class order__menu current
 */
export function flowDiagram(bot: LoadedBot, options: DiagramOptions = {}): string {
  const only = options.flow;
  if (only !== undefined && !bot.flows.has(only)) {
    const known = [...bot.flows.keys()].join(", ");
    throw new FlowError("flow_invalid", `bot '${bot.id}': flow '${only}' does not exist; flows are: ${known}`, { bot: bot.id, flow: only });
  }
  const ids = new NodeIds();
  const out = ["flowchart TD"];
  const drawn = new Map<string, DrawnFlow>();
  for (const [id, loaded] of bot.flows) if (only === undefined || id === only) drawn.set(id, drawFlow(bot, loaded, ids, out));
  drawCommands(bot, drawn, ids, out);
  const { current } = options;
  if (current) {
    out.push("  classDef current fill:#fde68a,stroke:#b45309,stroke-width:3px");
    const flow = drawn.get(current.flowId);
    // A step a redeploy removed, or a flow filtered out, has nothing to highlight.
    const node = current.stepId === null ? flow?.end : flow?.steps.get(current.stepId);
    if (node !== undefined) out.push(`  class ${node} current`);
  }
  return out.join("\n");
}
