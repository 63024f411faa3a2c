/**
 * Which slots are set on every path to a step: a forward "must" analysis over
 * the same transitions as flows/graph.ts, so a template or condition that
 * reads a slot some path leaves unset is caught before a customer gets there.
 */
import { BOOKING_SLOT, ORDER_SLOT } from "./defaults.ts";
import { stepExits } from "./graph.ts";
import type { Flow, Step, StepId } from "./ir.ts";

/**
 * A set of slot names that may be "every slot but these". An action may set
 * any slot, so what follows one counts everything as set: that is how the
 * check stays quiet downstream of actions, rather than guess what they write.
 */
export class SlotSet {
  private constructor(
    readonly every: boolean,
    /** The members, or when `every`, the slots known unset. */
    readonly names: ReadonlySet<string>,
  ) {}

  static readonly NONE = new SlotSet(false, new Set());
  static readonly ALL = new SlotSet(true, new Set());

  has(slot: string): boolean {
    return this.every !== this.names.has(slot);
  }

  with(slots: readonly string[]): SlotSet {
    const names = new Set(this.names);
    for (const s of slots) {
      if (this.every) names.delete(s);
      else names.add(s);
    }
    return new SlotSet(this.every, names);
  }

  without(slots: readonly string[]): SlotSet {
    const names = new Set(this.names);
    for (const s of slots) {
      if (this.every) names.add(s);
      else names.delete(s);
    }
    return new SlotSet(this.every, names);
  }

  /** Set on both: what every path into a step guarantees. */
  meet(other: SlotSet): SlotSet {
    if (this.every && other.every) return new SlotSet(true, new Set([...this.names, ...other.names]));
    if (!this.every && !other.every) return new SlotSet(false, new Set([...this.names].filter((s) => other.names.has(s))));
    const [all, some] = this.every ? [this, other] : [other, this];
    return new SlotSet(false, new Set([...some.names].filter((s) => !all.names.has(s))));
  }

  equals(other: SlotSet): boolean {
    return this.every === other.every && this.names.size === other.names.size && [...this.names].every((s) => other.names.has(s));
  }
}

/** One way from a step to another, with what taking it does to the slots. */
interface Edge {
  readonly from: number;
  readonly to: StepId;
  readonly apply: (slots: SlotSet) => SlotSet;
}

const keep = (slots: SlotSet) => slots;

/** The moves of one step and their effect on slots, as the step handlers in flows/steps make them. */
function edgesOf(step: Step, index: number, following: StepId | undefined): Edge[] {
  const { targets } = stepExits(step, following);
  const all = (apply: (slots: SlotSet) => SlotSet) => targets.map((to) => ({ from: index, to, apply }));
  switch (step.type) {
    case "ask":
    case "catalog":
    case "quantity":
    case "options":
      return all((s) => s.with([step.slot]));
    case "cart_add":
      return all((s) => s.without([step.productSlot, step.optionsSlot, step.quantitySlot]));
    case "checkout": {
      // `back` is taken when no order was placed; going on means one was.
      const next = step.next ?? following;
      return [{ from: index, to: step.back, apply: keep }, ...(next === undefined ? [] : [{ from: index, to: next, apply: (s: SlotSet) => s.with([ORDER_SLOT]) }])];
    }
    case "book":
      return all((s) => s.with([BOOKING_SLOT]));
    case "pay":
      // A paid order leaves slot `order` before the flow goes on.
      return all((s) => s.without([ORDER_SLOT]));
    case "action":
      // Where an action jumps by returning a step id needs no edge: everything-set is no constraint.
      return all(() => SlotSet.ALL);
    default:
      return all(keep);
  }
}

/** Where a step's slots come from, to say which way in leaves one unset. */
export interface Assignment {
  /** The slots set on entry to step `index`, whichever way the flow came. */
  onEntry(index: number): SlotSet;
  /**
   * A way into step `index` that arrives without `slot`: the step it comes
   * from, or "entry" when the flow (or the menu command) can start there.
   */
  unsetFrom(index: number, slot: string): StepId | "entry" | undefined;
}

/**
 * Runs the analysis. `entries` are steps the engine may start at with
 * nothing known set, besides the first: the bot's menu step.
 */
export function assignedSlots(flow: Flow, entries: readonly StepId[] = []): Assignment {
  const ids = flow.steps.map((s) => s.id);
  const indexOf = new Map(ids.map((id, i) => [id, i] as const));
  const edges = flow.steps.flatMap((step, i) => edgesOf(step, i, ids[i + 1]));
  const incoming = ids.map((): Edge[] => []);
  for (const edge of edges) {
    const j = indexOf.get(edge.to);
    if (j !== undefined) incoming[j]?.push(edge);
  }
  const starts = new Set([0, ...entries.flatMap((id) => indexOf.get(id) ?? [])]);

  // Start from "everything" and narrow until nothing changes; steps no path reaches stay at everything.
  const entry = ids.map((_, i) => (starts.has(i) ? SlotSet.NONE : SlotSet.ALL));
  const out = (edge: Edge) => edge.apply(entry[edge.from] ?? SlotSet.ALL);
  for (let changed = true; changed; ) {
    changed = false;
    ids.forEach((_, j) => {
      let slots = starts.has(j) ? SlotSet.NONE : SlotSet.ALL;
      for (const edge of incoming[j] ?? []) slots = slots.meet(out(edge));
      if (!slots.equals(entry[j] ?? SlotSet.ALL)) {
        entry[j] = slots;
        changed = true;
      }
    });
  }

  return {
    onEntry: (index) => entry[index] ?? SlotSet.ALL,
    unsetFrom(index, slot) {
      if (starts.has(index)) return "entry";
      const edge = (incoming[index] ?? []).find((e) => !out(e).has(slot));
      return edge === undefined ? undefined : ids[edge.from];
    },
  };
}
