/**
 * What a template reads, found without rendering it, so validation can say
 * which placeholders may be undefined before a customer ever sees the text.
 */
import { TagToken, Tokenizer, TypeGuards, type Liquid, type Template, type Variable } from "liquidjs";

/** One variable a template reads from its scope: `slots.size`, `cart.total`. */
export interface TemplateRead {
  /** As written, e.g. "slots.size". */
  readonly text: string;
  /** The first name: slots, cart, order, customer, bot, or a name the scope does not have. */
  readonly root: string;
  /** For `slots.X`, X; undefined for other roots and for `slots[expression]`. */
  readonly slot: string | undefined;
  /**
   * True when the template itself copes with it being unset: inside an if or
   * unless condition, behind a `default` filter, or in the branch of an
   * `{% if slots.X %}` that tests it.
   */
  readonly guarded: boolean;
}

interface Region {
  readonly begin: number;
  readonly end: number;
  readonly slots: ReadonlySet<string>;
}

// A conjunct that is only true when the slot holds something: `slots.x`, `slots.x != blank`, `slots.x > 2`.
const GUARD = /^slots\.([\w-]+)(?:\s*!=\s*(?:nil|null|blank|empty)|\s*(?:==|>=|<=|>|<)\s*(?!nil\b|null\b|blank\b|empty\b)\S.*)?$/;
const DEFAULT_FILTER = /\|\s*default\b/;
const LENIENT_TAGS: ReadonlySet<string> = new Set(["if", "elsif", "unless"]);
// Tags that may hold an `else`, so an `else` is only read as the if's when the innermost open block is an if.
const ELSE_BLOCKS: Readonly<Record<string, string>> = { if: "endif", unless: "endunless", for: "endfor", case: "endcase" };

/** The slots an `if`/`elsif` condition proves set; `or` proves nothing. */
function guardedBy(condition: string): Set<string> {
  const slots = new Set<string>();
  if (/\bor\b/.test(condition)) return slots;
  for (const part of condition.split(/\band\b/)) {
    const match = GUARD.exec(part.trim());
    if (match?.[1] !== undefined) slots.add(match[1]);
  }
  return slots;
}

/** The stretches of the source inside an if branch whose condition proves a slot set, and the stretches Liquid reads leniently. */
function regionsOf(source: string): { guarded: Region[]; lenient: Array<[number, number]> } {
  const guarded: Region[] = [];
  const lenient: Array<[number, number]> = [];
  const open: Array<{ end: string; branch?: { start: number; slots: Set<string> } }> = [];
  const close = (at: number) => {
    const top = open.at(-1);
    if (top?.branch && top.branch.slots.size > 0) guarded.push({ begin: top.branch.start, end: at, slots: top.branch.slots });
  };
  for (const token of new Tokenizer(source).readTopLevelTokens()) {
    if (!(token instanceof TagToken)) {
      if (TypeGuards.isOutputToken(token) && DEFAULT_FILTER.test(token.content)) lenient.push([token.begin, token.end]);
      continue;
    }
    const { name, args } = token;
    if (LENIENT_TAGS.has(name) || DEFAULT_FILTER.test(args)) lenient.push([token.begin, token.end]);
    const block = ELSE_BLOCKS[name];
    if (block !== undefined) {
      open.push({ end: block, ...(name === "if" ? { branch: { start: token.end, slots: guardedBy(args) } } : {}) });
    } else if ((name === "elsif" || name === "else") && open.at(-1)?.branch) {
      close(token.begin);
      const top = open.at(-1);
      if (top) top.branch = { start: token.end, slots: name === "elsif" ? guardedBy(args) : new Set() };
    } else if (name === open.at(-1)?.end) {
      close(token.begin);
      open.pop();
    }
  }
  return { guarded, lenient };
}

/** Offsets of the start of each line, to turn a variable's row and column into an offset. */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") starts.push(i + 1);
  return starts;
}

function readOf(variable: Variable, offset: number, regions: ReturnType<typeof regionsOf>): TemplateRead {
  const [root, first] = variable.segments;
  const rootName = typeof root === "string" ? root : String(root);
  const slot = rootName === "slots" && typeof first === "string" ? first : undefined;
  const inside = (begin: number, end: number) => offset >= begin && offset < end;
  const guarded =
    regions.lenient.some(([begin, end]) => inside(begin, end)) ||
    (slot !== undefined && regions.guarded.some((r) => r.slots.has(slot) && inside(r.begin, r.end)));
  return { text: variable.toString(), root: rootName, slot, guarded };
}

/** Every variable the parsed template reads from its scope (not its own `assign`s and loop variables). */
export function templateReads(liquid: Liquid, source: string, templates: Template[]): TemplateRead[] {
  const regions = regionsOf(source);
  const starts = lineStarts(source);
  const analysis = liquid.analyzeSync(templates, { partials: false });
  return Object.values(analysis.globals)
    .flat()
    .map((variable) => {
      const { row, col } = variable.location;
      return readOf(variable, (starts[row - 1] ?? 0) + col - 1, regions);
    });
}
