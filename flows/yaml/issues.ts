import type { z } from "zod";
import type { FlowFileProblem } from "../errors.ts";
import { formatField, type FlowPath } from "../source.ts";
import { didYouMean } from "../suggest.ts";
import type { SourcePositions } from "./positions.ts";
import { ASK_INPUTS, CASE_FIELDS, CHOICE_FIELDS, CONDITION_FIELDS, FLOW_FIELDS, STEP_TYPES, stepFields } from "./schema.ts";
import { describeValue, isRecord, valueAt, type Path } from "./values.ts";


const EXPECTED: Readonly<Record<string, { name: string; fix: (key: string, value: unknown) => string }>> = {
  number: { name: "a number", fix: (key) => `write a number without quotes, e.g. ${key}: 10` },
  int: { name: "a whole number", fix: (key) => `write a whole number without quotes, e.g. ${key}: 10` },
  string: {
    name: "text",
    fix: (key, value) => (value === null || value === undefined ? `write some text after '${key}:'` : `quote it: ${key}: "${String(value)}"`),
  },
  boolean: { name: "true or false", fix: (key) => `write ${key}: true or ${key}: false` },
  array: { name: "a list", fix: (key) => `write ${key} as a list, one '- item' per line` },
  object: { name: "a map of fields", fix: (key) => `write ${key} as 'field: value' lines, indented under it` },
  record: { name: "a map of fields", fix: (key) => `write ${key} as 'field: value' lines, indented under it` },
};

/** Steps whose way on is not `next`, and where it is instead. */
const NO_NEXT: Readonly<Record<string, string>> = {
  end: "the flow ends at an end step",
  branch: "a branch goes to a case's goto, or to otherwise",
  cart_review: "a cart review goes to checkout or more",
};

/** Locates and words zod's issues for one file, with the raw data to name steps and suggest fixes. */
export class IssueReader {
  constructor(
    readonly positions: SourcePositions,
    readonly data: unknown,
  ) {}

  #problem(path: Path, message: string, fix: string, at?: { line: number; column: number }): FlowFileProblem {
    const flowPath: FlowPath = path.filter((k): k is string | number => typeof k !== "symbol");
    const flowId = valueAt(this.data, ["id"]);
    const inStep = flowPath[0] === "steps" && typeof flowPath[1] === "number";
    const stepId = inStep ? valueAt(this.data, flowPath.slice(0, 2).concat("id")) : undefined;
    // Inside a step with an id, the field is named from the step; otherwise from the top of the file.
    const fieldPath = typeof stepId === "string" ? flowPath.slice(2) : flowPath;
    const { line, column } = at ?? this.positions.position(flowPath);
    return {
      file: this.positions.file,
      line,
      column,
      ...(typeof flowId === "string" ? { flow: flowId } : {}),
      ...(typeof stepId === "string" ? { step: stepId } : {}),
      ...(fieldPath.length > 0 ? { field: formatField(fieldPath) } : {}),
      message,
      fix,
    };
  }

  /** What the map at `path` is, and the fields it may have, for "'promt' is not a field of …". */
  #container(path: Path): { what: string; fields: readonly string[] | undefined } {
    const last = path.at(-1);
    if (path.length === 0) return { what: "a flow file", fields: FLOW_FIELDS };
    if (path.length === 2 && path[0] === "steps") {
      const step = valueAt(this.data, path);
      const type = isRecord(step) ? step.type : undefined;
      const input = isRecord(step) ? step.input : undefined;
      const what = type === "ask" ? `an 'ask' step with input '${String(input)}'` : `${/^[aeiou]/.test(String(type)) ? "an" : "a"} '${String(type)}' step`;
      return { what, fields: stepFields(type, input) };
    }
    if (last === "when") return { what: "a condition", fields: CONDITION_FIELDS };
    if (path.at(-2) === "choices") return { what: "a choice", fields: CHOICE_FIELDS };
    if (path.at(-2) === "cases") return { what: "a case", fields: CASE_FIELDS };
    return { what: "this map", fields: undefined };
  }

  /**
   * A field that takes one of several shapes (a case's `when`: text or a
   * condition map). When what was written has one of the shapes, its own
   * problems are reported; otherwise which shapes it could have.
   */
  #either(issue: z.core.$ZodIssueInvalidUnion): FlowFileProblem[] {
    const { path } = issue;
    const key = String(path.at(-1) ?? "");
    const isShapeMismatch = (i: z.core.$ZodIssue) => i.path.length === 0 && i.code === "invalid_type";
    const fitting = issue.errors.filter((branch) => !branch.some(isShapeMismatch));
    if (fitting.length === 1 && fitting[0]) return fitting[0].flatMap((inner) => this.read({ ...inner, path: [...path, ...inner.path] }));
    const expected = issue.errors.flatMap((branch) => branch.filter(isShapeMismatch).map((i) => (i.code === "invalid_type" ? i.expected : "")));
    // A text is one string or a map of locale → string; "a map of fields" would not say which map.
    const isText = expected.includes("string") && expected.includes("record");
    const names = expected.map((e) => (isText && e === "record" ? "one text per locale" : e === "" ? "" : (EXPECTED[e]?.name ?? e)));
    const shapes = names.filter((n) => n !== "").join(" or ");
    const value = valueAt(this.data, path);
    const fix =
      key === "when"
        ? "write a CEL expression, e.g. when: slots.age >= 65, or a condition, e.g. when: { slot: age, min: 65 }"
        : isText
          ? `write some text after '${key}:', or one per locale: ${key}: { en: …, fr: … }`
          : `write ${key} as ${shapes}`;
    if (value === undefined) {
      if (this.#misspelt(path)) return [];
      return [this.#problem(path, `is missing; ${this.#container(path.slice(0, -1)).what} needs '${key}' (${shapes})`, fix)];
    }
    return [this.#problem(path, `should be ${shapes}, not ${describeValue(value)}`, fix)];
  }

  /** A misspelt field ('promt') is reported once, as the typo, not again as the field it meant. */
  #misspelt(path: readonly PropertyKey[]): boolean {
    const key = String(path.at(-1) ?? "");
    const parent = valueAt(this.data, path.slice(0, -1));
    const { fields } = this.#container(path.slice(0, -1));
    return isRecord(parent) && fields !== undefined && Object.keys(parent).some((k) => !fields.includes(k) && didYouMean(k, fields) === key);
  }

  read(issue: z.core.$ZodIssue): FlowFileProblem[] {
    const { path } = issue;
    const key = String(path.at(-1) ?? "");
    switch (issue.code) {
      case "unrecognized_keys": {
        const { what, fields } = this.#container(path);
        const flowPath = path.filter((k): k is string | number => typeof k !== "symbol");
        return issue.keys.map((unknown) => {
          const why = unknown === "next" ? NO_NEXT[String(valueAt(this.data, [...path, "type"]))] : undefined;
          if (why !== undefined && path.length === 2) {
            return this.#problem([...path, unknown], `'next' is not a field of ${what}: ${why}`, "remove next", this.positions.keyPosition(flowPath, unknown));
          }
          const guess = fields ? didYouMean(unknown, fields) : undefined;
          const known = fields ? `; fields are: ${fields.join(", ")}` : "";
          return this.#problem(
            [...path, unknown],
            `'${unknown}' is not a field of ${what}${guess === undefined ? "" : `; did you mean '${guess}'?`}${guess === undefined ? known : ""}`,
            guess === undefined ? `remove '${unknown}'` : `rename '${unknown}' to '${guess}'`,
            this.positions.keyPosition(flowPath, unknown),
          );
        });
      }
      case "invalid_union": {
        if (!("discriminator" in issue) || issue.discriminator === undefined) return this.#either(issue);
        const value = valueAt(this.data, path);
        const [kind, options] = issue.discriminator === "input" ? ["an ask input", ASK_INPUTS] : ["a step type", STEP_TYPES];
        const owner = issue.discriminator === "input" ? "an ask step" : "a step";
        if (value === undefined) {
          return [this.#problem(path, `is missing; ${owner} needs ${key}: one of ${options.join(", ")}`, `add '${key}: …' with one of ${options.join(", ")}`)];
        }
        const guess = typeof value === "string" ? didYouMean(value, options) : undefined;
        return [
          this.#problem(
            path,
            `${typeof value === "string" ? `'${value}'` : describeValue(value)} is not ${kind}; use one of ${options.join(", ")}`,
            guess === undefined ? `set ${key} to one of ${options.join(", ")}` : `did you mean '${guess}'? Set ${key}: ${guess}`,
          ),
        ];
      }
      case "invalid_type": {
        const value = valueAt(this.data, path);
        const expected = EXPECTED[issue.expected] ?? { name: issue.expected, fix: () => "see flows/schema.json for what this field takes" };
        if (path.length === 0) {
          const what = value === null || value === undefined ? "is empty" : `is ${describeValue(value)}`;
          return [this.#problem(path, `${what}; a flow file is a map with id, version and steps`, "start the file with id:, version: and steps:")];
        }
        const parent = valueAt(this.data, path.slice(0, -1));
        if (isRecord(parent) && !(key in parent)) {
          const { what } = this.#container(path.slice(0, -1));
          if (this.#misspelt(path)) return [];
          return [this.#problem(path, `is missing; ${what} needs '${key}' (${expected.name})`, `add '${key}: …'`)];
        }
        return [this.#problem(path, `should be ${expected.name}, not ${describeValue(value)}`, expected.fix(key, value))];
      }
      case "too_small":
        if (issue.origin === "string") return [this.#problem(path, "must not be empty", `write a value after '${key}:'`)];
        return [this.#problem(path, `should be at least ${String(issue.minimum)}, not ${describeValue(valueAt(this.data, path))}`, `use a value of ${String(issue.minimum)} or more`)];
      case "too_big":
        if (issue.origin === "string") {
          const length = String(valueAt(this.data, path) ?? "").length;
          return [this.#problem(path, `is ${length} characters long; it may have at most ${String(issue.maximum)}`, "shorten it, or split it into several cases")];
        }
        return [this.#problem(path, `should be at most ${String(issue.maximum)}, not ${describeValue(valueAt(this.data, path))}`, `use a value of ${String(issue.maximum)} or less`)];
      default:
        break;
    }
    return [this.#problem(path, issue.message, "see flows/schema.json for what this field takes")];
  }
}
