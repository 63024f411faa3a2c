/**
 * What can still be checked in a file that broke the schema: its readable
 * steps, so a wrong target is reported in the same run as a wrong field.
 */
import type { Flow, Step } from "../ir.ts";
import { setFlowSource } from "../source.ts";
import type { SourcePositions } from "./positions.ts";
import { stepSchema } from "./schema.ts";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Removes the value at `path` from plain data read from a file. */
function remove(data: unknown, path: readonly PropertyKey[]): void {
  const [key, ...rest] = path;
  if (key === undefined) return;
  const child = Array.isArray(data) && typeof key === "number" ? data[key] : isRecord(data) && typeof key === "string" ? data[key] : undefined;
  if (rest.length > 0) remove(child, rest);
  else if (isRecord(data) && typeof key === "string") delete data[key];
}

/**
 * A step with its invalid optional fields dropped, so the targets it does
 * name can still be checked; undefined when what is wrong is required.
 */
function salvage(raw: unknown): Step | undefined {
  const first = stepSchema.safeParse(raw);
  if (first.success) return first.data;
  const copy: unknown = structuredClone(raw);
  for (const issue of first.error.issues) {
    const last = issue.path.at(-1);
    if (issue.code === "unrecognized_keys") for (const key of issue.keys) remove(copy, [...issue.path, key]);
    else if (last !== "id" && last !== "type" && last !== "input") remove(copy, issue.path);
  }
  const second = stepSchema.safeParse(copy);
  return second.success ? second.data : undefined;
}

/**
 * The steps of a file that failed the schema, as far as they can be read:
 * valid steps as they are, fixable ones salvaged, the rest reduced to their id (an `end` step
 * names no target, so it adds no false problems), id-less ones left out.
 */
export function partialFlow(data: unknown, positions: SourcePositions): Flow | undefined {
  if (!isRecord(data) || !Array.isArray(data.steps)) return undefined;
  const steps: Step[] = [];
  const rawIndex: number[] = [];
  data.steps.forEach((raw: unknown, i) => {
    const step = salvage(raw);
    const id = isRecord(raw) && typeof raw.id === "string" && raw.id !== "" ? raw.id : undefined;
    if (step) steps.push(step);
    else if (id !== undefined) steps.push({ id, type: "end" });
    else return;
    rawIndex.push(i);
  });
  if (steps.length === 0) return undefined;
  const flow: Flow = { id: typeof data.id === "string" ? data.id : "", version: "", steps };
  setFlowSource(flow, {
    file: positions.file,
    // Step indexes here skip the id-less steps; map them back to the file's.
    position: (path) => {
      const [first, index] = path;
      if (first !== "steps" || typeof index !== "number") return positions.position(path);
      return positions.position(["steps", rawIndex[index] ?? index, ...path.slice(2)]);
    },
  });
  return flow;
}

