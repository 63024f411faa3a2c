import type { Flow, Step, StepId } from "./ir.ts";
import { formatField, type FlowPath } from "./source.ts";

export interface StepTarget {
  /** The field as a message names it: "next", "routes.yearly", "cases[1].goto". */
  readonly field: string;
  /** The same field as a path inside the step, to find it in a source file. */
  readonly path: FlowPath;
  readonly target: StepId;
}

/** Every field of a step that names another step. */
export function stepTargets(step: Step): StepTarget[] {
  const targets: StepTarget[] = [];
  const add = (path: FlowPath, target: StepId | undefined) => {
    if (target !== undefined) targets.push({ field: formatField(path), path, target });
  };
  if (step.type !== "end") add(["next"], step.next);
  switch (step.type) {
    case "ask":
      if (step.input === "confirm") {
        add(["yes"], step.yes);
        add(["no"], step.no);
      } else if (step.input === "choice") {
        for (const [value, target] of Object.entries(step.routes ?? {})) add(["routes", value], target);
      }
      break;
    case "cart_review":
      add(["checkout"], step.checkout);
      add(["more"], step.more);
      break;
    case "checkout":
      add(["back"], step.back);
      break;
    case "branch":
      step.cases.forEach((c, i) => add(["cases", i, "goto"], c.goto));
      add(["otherwise"], step.otherwise);
      break;
    default:
      break;
  }
  return targets;
}

/** Where a step can go at run time, as the step handlers decide it. */
export interface StepExits {
  readonly targets: readonly StepId[];
  /** The flow can end here: an `end` step, a default next past the last step, an expired invoice. */
  readonly endsFlow: boolean;
  /** An action may return any step id, so it may go anywhere. */
  readonly anywhere: boolean;
}

/** `following` is the step written after this one, the default `next`. */
export function stepExits(step: Step, following: StepId | undefined): StepExits {
  const targets: StepId[] = [];
  let endsFlow = false;
  const defaultNext = () => {
    const next = step.type === "end" ? undefined : (step.next ?? following);
    if (next === undefined) endsFlow = true;
    else targets.push(next);
  };
  const go = (target: StepId | undefined) => (target === undefined ? defaultNext() : targets.push(target));
  switch (step.type) {
    case "end":
      return { targets, endsFlow: true, anywhere: false };
    case "ask":
      if (step.input === "confirm") {
        go(step.yes);
        go(step.no);
      } else if (step.input === "choice") {
        for (const choice of step.choices) go(step.routes?.[choice.value]);
      } else {
        defaultNext();
      }
      break;
    case "cart_review":
      targets.push(step.checkout, step.more);
      break;
    case "checkout":
      targets.push(step.back);
      defaultNext();
      break;
    case "pay":
      // An invoice that expires unpaid ends the flow at this step.
      endsFlow = true;
      defaultNext();
      break;
    case "book":
      // A reschedule, or no free day at all, ends the flow here.
      endsFlow = true;
      defaultNext();
      break;
    case "branch":
      targets.push(...step.cases.map((c) => c.goto), step.otherwise);
      break;
    case "action":
      defaultNext();
      return { targets, endsFlow, anywhere: true };
    default:
      defaultNext();
  }
  return { targets, endsFlow, anywhere: false };
}

export interface FlowShape {
  /** Indexes of steps no path from the first step reaches. */
  readonly unreachable: readonly number[];
  /** Loops the flow can enter but never leave: the first step of each, and all its steps. */
  readonly traps: ReadonlyArray<{ readonly index: number; readonly steps: readonly StepId[] }>;
}

/**
 * Which steps are dead and which lead into a loop with no way out. Expects
 * unique step ids and known targets; check those first.
 */
export function flowShape(flow: Flow): FlowShape {
  const ids = flow.steps.map((s) => s.id);
  const exits = flow.steps.map((step, i) => stepExits(step, ids[i + 1]));
  const successors = exits.map((e) => (e.anywhere ? ids : e.targets));
  const indexOf = new Map(ids.map((id, i) => [id, i]));

  const reachable = new Set<number>();
  const queue = flow.steps.length > 0 ? [0] : [];
  while (queue.length > 0) {
    const i = queue.pop() ?? 0;
    if (reachable.has(i)) continue;
    reachable.add(i);
    for (const target of successors[i] ?? []) {
      const j = indexOf.get(target);
      if (j !== undefined && !reachable.has(j)) queue.push(j);
    }
  }

  // Walk backwards from every step where the flow can end.
  const predecessors = ids.map((): number[] => []);
  successors.forEach((targets, i) => {
    for (const target of targets) {
      const j = indexOf.get(target);
      if (j !== undefined) predecessors[j]?.push(i);
    }
  });
  const canEnd = new Set<number>();
  const back = exits.flatMap((e, i) => (e.endsFlow ? [i] : []));
  while (back.length > 0) {
    const i = back.pop() ?? 0;
    if (canEnd.has(i)) continue;
    canEnd.add(i);
    for (const p of predecessors[i] ?? []) if (!canEnd.has(p)) back.push(p);
  }

  // Every trapped step leads into a loop; report each loop that nothing leads out of, once.
  const onwardFrom = (from: number): Set<number> => {
    const seen = new Set<number>();
    const stack = [...(successors[from] ?? [])];
    while (stack.length > 0) {
      const j = indexOf.get(stack.pop() ?? "");
      if (j === undefined || seen.has(j)) continue;
      seen.add(j);
      stack.push(...(successors[j] ?? []));
    }
    return seen;
  };
  const reported = new Set<number>();
  const traps: Array<{ index: number; steps: StepId[] }> = [];
  ids.forEach((_, i) => {
    if (!reachable.has(i) || canEnd.has(i) || reported.has(i)) return;
    const onward = onwardFrom(i);
    const isClosedLoop = onward.has(i) && [...onward].every((j) => onwardFrom(j).has(i));
    if (!isClosedLoop) return;
    for (const j of onward) reported.add(j);
    traps.push({ index: i, steps: [...onward].sort((a, b) => a - b).map((k) => ids[k] ?? "") });
  });

  return { unreachable: ids.flatMap((_, i) => (reachable.has(i) ? [] : [i])), traps };
}
