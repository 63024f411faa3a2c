/**
 * Checks that a flow's turns cannot fail on the engine's own limits: every
 * template renders under the runtime's bounds (TEMPLATE_LIMITS) with
 * representative data, and no chain of steps that do not wait for the
 * customer is longer than a turn may follow (MAX_STEPS_PER_TURN). A flow
 * that breaks either would load, then fail every turn that reaches it.
 */
import type { Catalog } from "../commerce/index.ts";
import { ORDER_SLOT } from "./defaults.ts";
import type { JsonValue, Step } from "./ir.ts";
import { MAX_STEPS_PER_TURN } from "./limits.ts";
import type { FlowReport } from "./report.ts";
import type { ConversationScope, ScopeLine, TextFormat } from "./scope.ts";
import { compileTemplate, isTemplate, limitBroken, TEMPLATE_LIMITS } from "./template.ts";
import { textFields, textVariants } from "./texts-of.ts";

/** What the representative data is built from: the bot's catalog and languages. */
export interface LimitContext {
  readonly catalog: Catalog | undefined;
  readonly locales?: readonly string[];
}

/** A value like the ones the step that fills `slot` stores, so a template sees data of the right kind. */
function sampleOf(step: Step): JsonValue | undefined {
  switch (step.type) {
    case "ask":
      switch (step.input) {
        case "text":
          return "Two croissants, please, and a table by the window";
        case "number":
          return 2;
        case "choice":
          return step.choices[0]?.value ?? "yes";
        case "confirm":
          return true;
        case "phone":
          return "+33612345678";
        case "location":
          return { latitude: 48.8566, longitude: 2.3522 };
      }
      return undefined;
    case "quantity":
      return 2;
    case "options":
      return {};
    default:
      return undefined;
  }
}

function slotsOf(steps: readonly Step[], catalog: Catalog | undefined): Record<string, JsonValue> {
  const slots: Record<string, JsonValue> = {};
  const product = catalog?.products[0]?.id ?? "product";
  for (const step of steps) {
    if (step.type === "catalog") slots[step.slot] = product;
    if (step.type === "quantity" || step.type === "options") slots[step.productSlot] = product;
    if ("slot" in step && typeof step.slot === "string") {
      const sample = sampleOf(step);
      if (sample !== undefined) slots[step.slot] = sample;
    }
  }
  return slots;
}

/** A cart of the catalog's first three products, two each; an order of the same. */
function sampleScope(steps: readonly Step[], context: LimitContext, extraSlots: readonly string[]): ConversationScope {
  const products = context.catalog?.products.slice(0, 3) ?? [];
  const lines: ScopeLine[] = products.map((p) => ({ name: p.name, quantity: 2, options: [], unitPrice: p.price, lineTotal: p.price * 2 }));
  const total = lines.reduce((sum, l) => sum + l.lineTotal, 0);
  const currency = context.catalog?.currency ?? "EUR";
  const slots: Record<string, JsonValue> = {};
  // A slot an action sets (the flow does not say of what kind) is read as a short text.
  for (const slot of extraSlots) slots[slot] = "sample";
  Object.assign(slots, slotsOf(steps, context.catalog));
  slots[ORDER_SLOT] = "1042";
  return {
    slots,
    cart: { lines, total, currency: context.catalog ? currency : null },
    order: { id: "1042", status: "awaiting_payment", total, currency, items: lines, createdAt: "2026-03-06T09:30:00.000Z" },
    customer: { id: "customer-1", channel: "telegram", locale: context.locales?.[0] ?? "en" },
    bot: { name: "Sample shop" },
  };
}

function formatFor(context: LimitContext): TextFormat {
  const catalog = context.catalog;
  return {
    locale: context.locales?.[0] ?? "en",
    timeZone: "UTC",
    currency: catalog?.currency,
    productName: (id) => catalog?.products.find((p) => p.id === id)?.name,
  };
}

// One message whichever bound broke first: which one does can depend on the machine's speed, the report must not.
const OVER_BOUNDS = `goes past the bounds every text renders under (${TEMPLATE_LIMITS.renderMs} ms, ${TEMPLATE_LIMITS.memoryUnits} characters or items built by ranges, loops and appends) with a sample conversation, so every turn that shows it would fail`;

/**
 * Renders every template of the flow with representative data under the
 * runtime's bounds; a text that breaks one is reported at its step and
 * field. Other render failures (a slot some path leaves unset, a filter
 * given the wrong kind of value) are the other checks' to report.
 */
export function checkTemplateLimits(report: FlowReport, context: LimitContext): void {
  const steps = report.flow.steps;
  const sources = steps.flatMap((step, index) =>
    textFields(step)
      .filter(({ within }) => within === undefined)
      .flatMap(({ field, text }) => textVariants(field, text).map((variant) => ({ index, ...variant }))),
  );
  const compiled = sources.flatMap((at) => {
    if (!isTemplate(at.source)) return [];
    const result = compileTemplate(at.source);
    return result.ok ? [{ ...at, template: result.template }] : [];
  });
  if (compiled.length === 0) return;
  const readSlots = compiled.flatMap((c) => c.template.reads.flatMap((r) => (r.slot === undefined ? [] : [r.slot])));
  const scope = sampleScope(steps, context, readSlots);
  const format = formatFor(context);
  for (const at of compiled) {
    try {
      at.template.render(scope, format);
    } catch (error) {
      if (limitBroken(error) === undefined) continue;
      report.add(
        { index: at.index, field: at.path },
        OVER_BOUNDS,
        "loop over what the conversation holds (cart.lines, order.items), not over a large range; do not nest loops or double a string in a loop",
      );
    }
  }
}

/** Steps whose `enter` may go on without waiting for the customer, and where to. */
function passesTo(step: Step, following: string | undefined): readonly string[] {
  const next = step.type === "end" ? undefined : (step.next ?? following);
  const orEnd = (target: string | undefined) => (target === undefined ? [] : [target]);
  switch (step.type) {
    // An action may return another step; its default next is the chain a validator can see.
    // A pay step with no order to pay, an options step with no option to choose, go straight on.
    case "say":
    case "cart_add":
    case "bookings":
    case "action":
    case "pay":
    case "options":
      return orEnd(next);
    case "branch":
      return [...step.cases.map((c) => c.goto), step.otherwise];
    case "checkout":
      return [step.back, ...orEnd(next)];
    case "cart_review":
      // An empty cart goes back to `more`.
      return [step.more];
    default:
      // ask, catalog, quantity and book wait; end ends the flow.
      return [];
  }
}

/** Steps that change nothing a later branch reads: a loop of only these repeats the same way until the turn fails. */
const INERT: ReadonlySet<Step["type"]> = new Set(["say", "branch", "bookings", "end"]);

/**
 * Reports the longest chain of steps a turn may enter without waiting when
 * it is longer than MAX_STEPS_PER_TURN (at the chain's first step, naming
 * its ends), and every loop of steps that neither wait nor change anything.
 * Expects unique step ids and known targets.
 */
export function checkStepChains(report: FlowReport): void {
  const steps = report.flow.steps;
  const index = new Map(steps.map((s, i) => [s.id, i] as const));
  const edges = steps.map((step, i) => passesTo(step, steps[i + 1]?.id).flatMap((id) => (index.has(id) ? [index.get(id) as number] : [])));
  // Longest chain from each step, in steps entered; iterative, so 20,000 steps do not overflow the stack.
  const longest = new Array<number>(steps.length).fill(0);
  const via = new Array<number>(steps.length).fill(-1);
  const state = new Array<0 | 1 | 2>(steps.length).fill(0);
  const loops: number[][] = [];
  for (let start = 0; start < steps.length; start++) {
    if (state[start] !== 0) continue;
    const stack: Array<{ node: number; edge: number }> = [{ node: start, edge: 0 }];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: number; edge: number };
      const out = edges[top.node] ?? [];
      if (top.edge < out.length) {
        const next = out[top.edge++] as number;
        if (state[next] === 0) {
          state[next] = 1;
          stack.push({ node: next, edge: 0 });
        } else if (state[next] === 1) {
          // A loop back to a step still being walked: its steps are the stack from there.
          const from = stack.findIndex((f) => f.node === next);
          loops.push(stack.slice(from).map((f) => f.node));
        }
        continue;
      }
      let best = 0;
      let bestVia = -1;
      for (const next of out) {
        if (state[next] !== 2) continue;
        const length = longest[next] ?? 0;
        if (length > best) {
          best = length;
          bestVia = next;
        }
      }
      longest[top.node] = best + 1;
      via[top.node] = bestVia;
      state[top.node] = 2;
      stack.pop();
    }
  }
  const reported = new Set<number>();
  for (const loop of loops) {
    if (!loop.every((i) => INERT.has(steps[i]?.type ?? "ask"))) continue;
    const first = Math.min(...loop);
    if (reported.has(first)) continue;
    reported.add(first);
    const ids = loop.map((i) => steps[i]?.id ?? "?");
    report.add(
      { index: first },
      `is in a loop of steps that never wait for the customer and change nothing (${[...ids, ids[0]].join(" → ")}): a turn that enters it fails after ${MAX_STEPS_PER_TURN} steps`,
      "put an ask (or another step that waits) in the loop, or send one of its branches out of it",
    );
  }
  // The chain starting earliest in the flow of those too long, once: its steps are all reported by naming its ends.
  const inChain = new Set<number>();
  for (let start = 0; start < steps.length; start++) {
    if ((longest[start] ?? 0) <= MAX_STEPS_PER_TURN || inChain.has(start)) continue;
    const chain: number[] = [];
    for (let at = start; at !== -1 && chain.length <= steps.length; at = via[at] ?? -1) chain.push(at);
    for (const i of chain) inChain.add(i);
    const name = (i: number | undefined) => `'${steps[i ?? 0]?.id ?? "?"}'`;
    report.add(
      { index: start },
      `starts a chain of ${chain.length} steps that do not wait for the customer (${name(chain[0])} → ${name(chain[1])} → … → ${name(chain.at(-1))}); a turn follows at most ${MAX_STEPS_PER_TURN}, so every turn that reaches it would fail`,
      `put an ask (or another step that waits) within every ${MAX_STEPS_PER_TURN} steps, or merge consecutive say steps into one text`,
    );
  }
}
