/**
 * Branch conditions written as text: Common Expression Language (CEL) over
 * the conversation, e.g. `slots.age >= 65 && cart.total > 1000`. CEL has no
 * loops, no assignment and no eval; it reads only the variables given to it,
 * here the ConversationScope.
 */
import { Environment, type ASTNode } from "@marcbachmann/cel-js";
import type { ConversationScope } from "./scope.ts";

/** Longest condition accepted, so parsing and evaluating stay small. */
export const MAX_EXPRESSION_LENGTH = 500;

/** A variable a condition reads, as validation checks it against the slots set on the way to the step. */
export interface ExpressionRead {
  /** As written, e.g. "slots.age". */
  readonly text: string;
  readonly root: string;
  readonly slot: string | undefined;
  /** The expression tests it first: `has(slots.x)`, `"x" in slots`, `order != null`. */
  readonly guarded: boolean;
}

export interface CompiledExpression {
  readonly source: string;
  readonly reads: readonly ExpressionRead[];
  /** True or false; throws when a read fails (a missing key) or the result is not a boolean. */
  evaluate(scope: ConversationScope): boolean;
}

export type ExpressionResult = { readonly ok: true; readonly expression: CompiledExpression } | { readonly ok: false; readonly message: string; readonly fix: string };

// Macros that evaluate their body once per list element (bind once per nesting
// level). One inside another multiplies the work, so a 500-character
// expression could still run for hours; one level is linear in its list.
const ITERATING: ReadonlySet<string> = new Set(["all", "exists", "exists_one", "map", "filter", "bind"]);
// JavaScript regexes backtrack: `matches` on a customer's text could hang the turn.
const FORBIDDEN: ReadonlySet<string> = new Set(["matches"]);

const env = new Environment({ limits: { maxAstNodes: 200, maxDepth: 24, maxListElements: 64, maxMapEntries: 64, maxCallArguments: 8 } })
  .registerVariable("slots", "map")
  .registerVariable("cart", "map")
  // Null when the conversation has no order, so `order != null` can test it.
  .registerVariable("order", "dyn")
  .registerVariable("customer", "map")
  .registerVariable("bot", "map");

function isNode(value: unknown): value is ASTNode {
  return typeof value === "object" && value !== null && "op" in value && "args" in value;
}

function children(node: ASTNode): ASTNode[] {
  if (node.op === "value" || node.op === "id") return [];
  const found: ASTNode[] = [];
  const collect = (value: unknown): void => {
    if (isNode(value)) found.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
  };
  collect(node.args);
  return found;
}

const idName = (node: ASTNode | undefined): string | undefined => (node?.op === "id" ? node.args : undefined);

/** `slots.x` or `slots["x"]`: the slot name; undefined for anything else. */
function slotAccess(node: ASTNode): string | undefined {
  if (node.op === ".") return idName(node.args[0]) === "slots" ? node.args[1] : undefined;
  if (node.op === "[]") {
    const [target, key] = node.args;
    return idName(target) === "slots" && key.op === "value" && typeof key.args === "string" ? key.args : undefined;
  }
  return undefined;
}

function callName(node: ASTNode): string | undefined {
  if (node.op === "call") return node.args[0];
  if (node.op === "rcall") return node.args[0];
  return undefined;
}

interface Walk {
  readonly reads: Array<{ text: string; root: string; slot: string | undefined }>;
  readonly tested: Set<string>;
  orderTested: boolean;
  problem: { message: string; fix: string } | undefined;
}

function walk(node: ASTNode, iterating: number, found: Walk): void {
  const name = callName(node);
  if (name !== undefined && FORBIDDEN.has(name)) {
    found.problem ??= { message: `uses ${name}(), which conditions do not allow`, fix: "compare with ==, startsWith(), endsWith() or contains() instead" };
  }
  if (name !== undefined && ITERATING.has(name) && iterating > 0) {
    found.problem ??= { message: `nests ${name}() inside another list macro, which conditions do not allow`, fix: "split the test into separate conditions joined with &&" };
  }
  const slot = slotAccess(node);
  if (slot !== undefined) found.reads.push({ text: `slots.${slot}`, root: "slots", slot });
  if (idName(node) === "order") found.reads.push({ text: "order", root: "order", slot: undefined });
  if (node.op === "call" && name === "has") {
    for (const arg of node.args[1]) {
      const tested = slotAccess(arg);
      if (tested !== undefined) found.tested.add(tested);
    }
  }
  if (node.op === "in" && idName(node.args[1]) === "slots" && node.args[0].op === "value" && typeof node.args[0].args === "string") {
    // `"x" in slots` tests x; it reads nothing that must be set.
    found.tested.add(node.args[0].args);
    return;
  }
  if ((node.op === "!=" || node.op === "==") && node.args.some((a) => idName(a) === "order") && node.args.some((a) => a.op === "value" && a.args === null)) {
    found.orderTested = true;
  }
  // has() tests presence; the field inside it needs nothing set.
  if (node.op === "call" && name === "has") return;
  if (node.op === "rcall" && name !== undefined && ITERATING.has(name)) {
    // The list a macro runs over is not inside it; its body is.
    walk(node.args[1], iterating, found);
    for (const arg of node.args[2]) walk(arg, iterating + 1, found);
    return;
  }
  for (const child of children(node)) walk(child, iterating, found);
}

/** CEL integers are BigInts; the conversation's whole numbers become them, so `slots.age + 1 == 66` works. */
function toCel(value: unknown): unknown {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

const EXAMPLE_FIX = "write a CEL expression over slots, cart, order, customer and bot, e.g. slots.age >= 18 && cart.total > 1000";

function compile(source: string): ExpressionResult {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, message: `is ${source.length} characters long; a condition may have at most ${MAX_EXPRESSION_LENGTH}`, fix: "split it into several cases, or move the logic into an action" };
  }
  const checked = env.check(source);
  if (!checked.valid) return { ok: false, message: `is not a valid condition: ${firstLine(checked.error)}`, fix: EXAMPLE_FIX };
  if (checked.type !== "bool" && checked.type !== "dyn") {
    return { ok: false, message: `gives ${checked.type ?? "a value"}, not true or false`, fix: "compare it with something, e.g. slots.count > 0" };
  }
  let parsed: ReturnType<typeof env.parse>;
  try {
    parsed = env.parse(source);
  } catch (error) {
    return { ok: false, message: `is not a valid condition: ${firstLine(error)}`, fix: EXAMPLE_FIX };
  }
  const found: Walk = { reads: [], tested: new Set(), orderTested: false, problem: undefined };
  walk(parsed.ast, 0, found);
  if (found.problem) return { ok: false, ...found.problem };
  const reads = found.reads.map((r) => ({ ...r, guarded: r.root === "order" ? found.orderTested : r.slot !== undefined && found.tested.has(r.slot) }));
  return {
    ok: true,
    expression: {
      source,
      reads,
      evaluate(scope) {
        const { slots, cart, order, customer, bot } = scope;
        let result: unknown;
        try {
          result = parsed(toCel({ slots, cart, order: order ?? null, customer, bot }) as Record<string, unknown>);
        } catch (error) {
          throw new Error(firstLine(error), { cause: error });
        }
        if (typeof result !== "boolean") throw new Error(`gave ${typeof result === "bigint" ? String(result) : JSON.stringify(result)}, not true or false`);
        return result;
      },
    },
  };
}

// Conditions come from flow definitions, a fixed set, so the cache stays as small as the bots.
const cache = new Map<string, ExpressionResult>();

/**
 * Parses and checks a condition once; later calls with the same text get the
 * same result. Unknown variables, syntax errors, over-long text and
 * constructs that could run long are `{ ok: false, message, fix }`.
 *
 * @example
 * const result = compileExpression("slots.age >= 65");
 * if (result.ok) result.expression.evaluate(scope); // true or false
 */
export function compileExpression(source: string): ExpressionResult {
  let result = cache.get(source);
  if (!result) {
    result = compile(source);
    cache.set(source, result);
  }
  return result;
}
