import type { Flow } from "./ir.ts";

/** A path from a flow's root to one of its nodes: `["steps", 3, "cases", 0, "goto"]`. */
export type FlowPath = ReadonlyArray<string | number>;

/** Where a flow read from a file came from, so checks run later can still name a line. */
export interface FlowSource {
  readonly file: string;
  /** Line and column (1-based) of the node at `path`, or of its nearest ancestor that exists. */
  position(path: FlowPath): { readonly line: number; readonly column: number };
}

// A side table rather than a field on Flow: the IR stays plain data, equal
// whichever way it was written, and a copied flow simply has no source.
const sources = new WeakMap<Flow, FlowSource>();

export function setFlowSource(flow: Flow, source: FlowSource): void {
  sources.set(flow, source);
}

export function flowSource(flow: Flow): FlowSource | undefined {
  return sources.get(flow);
}

/** "cases[1].goto", "routes.yearly": how a path inside a step reads in a message. */
export function formatField(path: FlowPath): string {
  let field = "";
  for (const key of path) {
    if (typeof key === "number") field += `[${key}]`;
    else field += field === "" ? key : `.${key}`;
  }
  return field;
}
