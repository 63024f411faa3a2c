/**
 * Checks of a flow's templates and CEL conditions: they compile, name only
 * what the conversation has, and read no slot that some path to their step
 * leaves unset.
 */
import { assignedSlots, type Assignment } from "./assigned.ts";
import { ORDER_SLOT } from "./defaults.ts";
import { compileExpression } from "./expression.ts";
import type { Step, StepId } from "./ir.ts";
import type { FlowReport } from "./report.ts";
import { SCOPE_ROOTS } from "./scope.ts";
import type { FlowPath } from "./source.ts";
import { didYouMean } from "./suggest.ts";
import { compileTemplate, isTemplate, templateFilters } from "./template.ts";
import { textFields, textVariants } from "./texts-of.ts";

interface StepSource {
  readonly field: FlowPath;
  readonly source: string;
  readonly kind: "template" | "condition";
  /** Slots set by the time this text is shown though not on entry: a retry's own answer. */
  readonly alsoSet: readonly string[];
}

/** The string texts and conditions of a step, each variant of a translated text on its own; texts written as functions cannot be read and are skipped. */
function sourcesOf(step: Step): StepSource[] {
  const found: StepSource[] = [];
  for (const { field, text, within } of textFields(step)) {
    // Choice labels are shown as written, not rendered as templates.
    if (within !== undefined) continue;
    // A retry is shown after the answer it refuses, so it may quote it.
    const alsoSet = field === "retry" && step.type === "ask" ? [step.slot] : [];
    for (const { path, source } of textVariants(field, text)) {
      if (isTemplate(source)) found.push({ field: path, source, kind: "template", alsoSet });
    }
  }
  if (step.type === "branch") {
    step.cases.forEach(({ when }, i) => {
      if (typeof when === "string") found.push({ field: ["cases", i, "when"], source: when, kind: "condition", alsoSet: [] });
    });
  }
  return found;
}

interface Read {
  readonly text: string;
  readonly root: string;
  readonly slot: string | undefined;
  readonly guarded: boolean;
}

/** Compiles one text or condition, reporting why it does not; its reads when it does. */
function compiled(report: FlowReport, index: number, at: StepSource): readonly Read[] | undefined {
  if (at.kind === "condition") {
    const result = compileExpression(at.source);
    if (result.ok) return result.expression.reads;
    report.add({ index, field: at.field }, result.message, result.fix);
    return undefined;
  }
  const result = compileTemplate(at.source);
  if (result.ok) return result.template.reads;
  if (result.filter !== undefined) {
    const filters = templateFilters();
    const guess = didYouMean(result.filter, filters);
    report.add(
      { index, field: at.field },
      `'${result.filter}' is not a filter; filters are money, date, time, product and Liquid's own (upcase, default, join…)`,
      guess === undefined ? "use one of those filters, or remove it" : `did you mean '${guess}'?`,
    );
  } else {
    report.add({ index, field: at.field }, `is not a valid template: ${result.message}`, "close each {{ with }} and each {% if %} with {% endif %}; see https://liquidjs.com/tutorials/intro-to-liquid.html");
  }
  return undefined;
}

function checkRoots(report: FlowReport, index: number, at: StepSource, reads: readonly Read[]): void {
  const reported = new Set<string>();
  for (const read of reads) {
    if (SCOPE_ROOTS.includes(read.root) || reported.has(read.root)) continue;
    reported.add(read.root);
    const guess = didYouMean(read.root, SCOPE_ROOTS);
    report.add(
      { index, field: at.field },
      `{{ ${read.text} }}: '${read.root}' is not something a text can read; texts read ${SCOPE_ROOTS.join(", ")}`,
      guess === undefined ? `start it with one of those, e.g. slots.${read.root}` : `did you mean '${guess}'?`,
    );
  }
}

function whence(from: StepId | "entry", index: number): string {
  if (from !== "entry") return `not set when coming from '${from}'`;
  return index === 0 ? `not set when the flow starts here` : `not set when the menu command comes here`;
}

function unsetProblem(read: Read, at: StepSource, slot: string, from: string): { message: string; fix: string } {
  const shown = at.kind === "template" ? `{{ ${read.text} }}` : read.text;
  if (read.root === "order") {
    return {
      message: `${shown} is not set on every path to this step (${from}); there is an order only after a checkout step, until it is paid`,
      fix: at.kind === "template" ? "show it between the checkout and pay steps, or guard it: {% if order %}…{% endif %}" : "test it first: order != null && …",
    };
  }
  const guard = at.kind === "template" ? `{% if slots.${slot} %}…{% endif %} or {{ slots.${slot} | default: "…" }}` : `has(slots.${slot}) && …`;
  return { message: `${shown} is not set on every path to this step (${from})`, fix: `set slot '${slot}' on every way here (ask for it earlier), or guard it: ${guard}` };
}

function checkAssigned(report: FlowReport, index: number, at: StepSource, reads: readonly Read[], assignment: Assignment): void {
  const entry = assignment.onEntry(index).with(at.alsoSet);
  const reported = new Set<string>();
  for (const read of reads) {
    const slot = read.root === "order" ? ORDER_SLOT : read.slot;
    if (slot === undefined || read.guarded || entry.has(slot) || reported.has(slot)) continue;
    reported.add(slot);
    const from = assignment.unsetFrom(index, slot);
    const { message, fix } = unsetProblem(read, at, slot, from === undefined ? "not set on some path" : whence(from, index));
    report.add({ index, field: at.field }, message, fix);
  }
}

/**
 * Every problem of the flow's templates and conditions. `paths: false` skips
 * the check of slots along paths, for a flow whose steps or targets are not
 * all known; `entries` are the steps the menu command may start at.
 */
export function checkTexts(report: FlowReport, options: { paths: boolean; entries: readonly StepId[] }): void {
  const assignment = options.paths ? assignedSlots(report.flow, options.entries) : undefined;
  report.flow.steps.forEach((step, index) => {
    for (const at of sourcesOf(step)) {
      const reads = compiled(report, index, at);
      if (!reads) continue;
      if (at.kind === "template") checkRoots(report, index, at, reads);
      if (assignment) checkAssigned(report, index, at, reads, assignment);
    }
  });
}
