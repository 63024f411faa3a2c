import type { FlowProblem } from "./errors.ts";
import type { Flow } from "./ir.ts";
import { flowSource, formatField, type FlowPath } from "./source.ts";

/** Collects the problems of one flow, each with its position when the flow came from a file. */
export class FlowReport {
  readonly problems: FlowProblem[] = [];
  readonly #source;

  constructor(
    readonly flow: Flow,
    readonly bot: string | undefined,
  ) {
    this.#source = flowSource(flow);
  }

  /**
   * `field` is the path inside step `index` (or inside the flow when no step)
   * that is wrong; `node` is where to point in the file when that differs.
   */
  add(at: { index?: number; field?: FlowPath; node?: FlowPath }, message: string, fix: string): void {
    const step = at.index === undefined ? undefined : this.flow.steps[at.index]?.id;
    const inStep = (path: FlowPath): FlowPath => (at.index === undefined ? path : ["steps", at.index, ...path]);
    const position = this.#source?.position(inStep(at.node ?? at.field ?? []));
    this.problems.push({
      ...(this.#source && position ? { file: this.#source.file, line: position.line, column: position.column } : {}),
      ...(this.bot === undefined ? {} : { bot: this.bot }),
      ...(this.flow.id === "" ? {} : { flow: this.flow.id }),
      ...(step === undefined ? {} : { step }),
      ...(at.field && at.field.length > 0 ? { field: formatField(at.field) } : {}),
      message,
      fix,
    });
  }
}
