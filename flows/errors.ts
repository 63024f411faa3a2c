export type FlowErrorCode = "flow_invalid" | "flow_file_invalid" | "step_failed" | "unknown_bot";

/**
 * One thing wrong with a bot or a flow, and how to fix it. `file`, `line` and
 * `column` are there when the flow was read from a file; they point at the
 * offending node.
 */
export interface FlowProblem {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly bot?: string;
  readonly flow?: string;
  readonly step?: string;
  readonly field?: string;
  /** What is wrong, in words a flow author reads; it names what would be valid. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
}

/** A problem in a flow file: always has a position. */
export interface FlowFileProblem extends FlowProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

type Where = { readonly bot?: string; readonly flow?: string; readonly step?: string; readonly field?: string };

/**
 * An error a developer reads: it names the bot, flow and step, and says how to
 * fix it. The customer only ever sees a short apology. When a bot or flow file
 * has several problems they are all in `problems`, and `where` is the first's.
 */
export class FlowError extends Error {
  override readonly name: string = "FlowError";
  readonly problems: readonly FlowProblem[];
  constructor(
    readonly code: FlowErrorCode,
    message: string,
    readonly where: Where = {},
    options?: { cause?: unknown; problems?: readonly FlowProblem[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.problems = options?.problems ?? [];
  }

  /** One error for every problem found, so an author fixes them in one pass. */
  static of(problems: readonly FlowProblem[]): FlowError {
    return new FlowError("flow_invalid", formatProblems(problems), whereOf(problems[0]), { problems });
  }
}

/**
 * A flow file (YAML or JSON) that cannot be loaded. Nothing of it was loaded:
 * every problem in the file is in `problems`, each with its line and column.
 */
export class FlowFileError extends FlowError {
  override readonly name: string = "FlowFileError";
  declare readonly problems: readonly FlowFileProblem[];
  constructor(problems: readonly FlowFileProblem[], options?: { cause?: unknown }) {
    super("flow_file_invalid", formatProblems(problems), whereOf(problems[0]), { ...options, problems });
  }
}

function whereOf(problem: FlowProblem | undefined): Where {
  if (!problem) return {};
  const { bot, flow, step, field } = problem;
  return {
    ...(bot === undefined ? {} : { bot }),
    ...(flow === undefined ? {} : { flow }),
    ...(step === undefined ? {} : { step }),
    ...(field === undefined ? {} : { field }),
  };
}

/** Formats "bot 'cafe', flow 'order', step 'qty'" for error messages. */
export function describeWhere(where: Where): string {
  const parts: string[] = [];
  if (where.bot) parts.push(`bot '${where.bot}'`);
  if (where.flow) parts.push(`flow '${where.flow}'`);
  if (where.step) parts.push(`step '${where.step}'`);
  if (where.field) parts.push(`field '${where.field}'`);
  return parts.join(", ");
}

/**
 * "order.yaml:14:11: flow 'order', step 'more', field 'yes': 'menuu' is not a
 * step; …", with " (fix: …)" when asked: the line an editor or CI can jump to.
 */
export function formatProblem(problem: FlowProblem, options: { fix?: boolean } = {}): string {
  let position = "";
  if (problem.file !== undefined) {
    position = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  }
  const where = describeWhere(problem);
  const head = [position, where].filter((part) => part !== "").join(": ");
  const fix = options.fix ? ` (fix: ${problem.fix})` : "";
  return `${head === "" ? "" : `${head}: `}${problem.message}${fix}`;
}

function formatProblems(problems: readonly FlowProblem[]): string {
  if (problems.length === 1 && problems[0]) return formatProblem(problems[0]);
  return [`${problems.length} problems:`, ...problems.map((p) => `  ${formatProblem(p)}`)].join("\n");
}
