import { readdir } from "node:fs/promises";
import { extname, isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import { FlowFileError, type FlowFileProblem, type FlowProblem } from "../errors.ts";
import type { Flow } from "../ir.ts";
import { flowSource, setFlowSource } from "../source.ts";
import { validateFlow } from "../validate.ts";
import { IssueReader } from "./issues.ts";
import { SourcePositions } from "./positions.ts";
import { partialFlow } from "./partial.ts";
import { flowFileSchema } from "./schema.ts";
import { describeTooLarge, readSourceFile } from "./read.ts";

/** The names a flow file may have; JSON is read by the same parser, since JSON is YAML. */
export const FLOW_FILE_EXTENSIONS: readonly string[] = [".yaml", ".yml", ".json"];

const SYNTAX_FIXES: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: "keep one of the two fields with this name",
  BAD_INDENT: "line the fields of a map up at the same column, with spaces (not tabs)",
  MISSING_CHAR: "add the missing bracket or quote",
  MULTIPLE_DOCS: "keep one flow per file; remove the '---' line",
  TAB_AS_INDENT: "indent with spaces, not tabs",
};

/**
 * The parser finds an unclosed quote at the end of the file, since quoted text
 * may span lines; the author needs the quote that opened it.
 */
function openingQuote(text: string, error: YAMLError): number | undefined {
  if (error.code !== "MISSING_CHAR" || !/closing ["']quote/.test(error.message)) return undefined;
  const quote = error.message.includes(`"quote`) ? '"' : "'";
  for (let i = Math.min(error.pos[0], text.length) - 1; i >= 0; i--) {
    if (text[i] === quote && text[i - 1] !== "\\") return i;
  }
  return undefined;
}

function syntaxProblem(text: string, error: YAMLError, positions: SourcePositions): FlowFileProblem {
  const quote = openingQuote(text, error);
  return {
    file: positions.file,
    ...positions.offset(quote ?? error.pos[0]),
    message: `not valid YAML: ${error.message}`,
    fix: quote === undefined ? (SYNTAX_FIXES[error.code] ?? "fix the syntax here; quote text that contains ': ' or starts with a special character") : "close the quote opened here",
  };
}

function byPosition(a: FlowFileProblem, b: FlowFileProblem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}

/** Every problem of a file has a position: checks run on the IR find theirs through the flow's source. */
function located(problem: FlowProblem, file: string): FlowFileProblem {
  return { ...problem, file: problem.file ?? file, line: problem.line ?? 1, column: problem.column ?? 1 };
}

/**
 * Reads one flow from YAML or JSON text: syntax, then the schema, then the
 * flow's own consistency (targets, ids, reachability). Throws a FlowFileError
 * with every problem found (a file that breaks the schema still has the
 * targets of its readable steps checked); returns the IR with the builder's
 * defaults filled in. `fileName` is only used in messages.
 *
 * @example
 * const order = parseFlowSource(readFileSync("flows/order.yaml", "utf8"), "flows/order.yaml");
 */
export function parseFlowSource(text: string, fileName: string): Flow {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const positions = new SourcePositions(fileName, doc, lines);
  if (doc.errors.length > 0) throw new FlowFileError(doc.errors.map((e) => syntaxProblem(text, e, positions)));

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (cause) {
    // toJS refuses alias bombs ("billion laughs"); the document itself parsed.
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new FlowFileError([{ file: fileName, line: 1, column: 1, message: `cannot be read: ${message}`, fix: "use fewer YAML aliases (*name)" }], { cause });
  }

  const parsed = flowFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const reader = new IssueReader(positions, data);
    const problems = parsed.error.issues.flatMap((issue) => reader.read(issue));
    // Targets and ids of the steps that did parse are checked too, so one run shows every fix to make.
    const partial = partialFlow(data, positions);
    if (partial) problems.push(...validateFlow(partial, undefined, { reachability: false }).map((p) => located(p, fileName)));
    throw new FlowFileError(problems.sort(byPosition));
  }

  // `$schema` is for editors; the IR is the rest, defaults already filled in by the schema.
  const flow: Flow = { id: parsed.data.id, version: parsed.data.version, steps: parsed.data.steps };
  setFlowSource(flow, positions);
  const problems = validateFlow(flow);
  if (problems.length > 0) throw new FlowFileError(problems.map((p) => located(p, fileName)).sort(byPosition));
  return flow;
}

/** Paths inside the working folder are shown relative to it, as an editor's "file:line:col" link wants. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/**
 * Loads one flow file (.yaml, .yml or .json). Nothing of a broken file is
 * returned: it throws a FlowFileError naming every problem with its line.
 *
 * @example
 * const order = await loadFlowFile("bots/cafe/flows/order.yaml");
 */
export async function loadFlowFile(path: string): Promise<Flow> {
  const file = shown(path);
  if (!FLOW_FILE_EXTENSIONS.includes(extname(path).toLowerCase())) {
    throw new FlowFileError([
      { file, line: 1, column: 1, message: `is not a flow file; flow files end in ${FLOW_FILE_EXTENSIONS.join(", ")}`, fix: "rename it to .yaml or .json" },
    ]);
  }
  const source = await readSourceFile(path);
  if (!source.ok) {
    throw new FlowFileError([{ file, line: 1, column: 1, message: describeTooLarge(source.size, source.limit, "a flow file"), fix: "split it into several flow files, one sub-flow each" }]);
  }
  return parseFlowSource(source.text, file);
}

/** The flow files in `dir`, sorted by name. */
async function flowFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && FLOW_FILE_EXTENSIONS.includes(extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Loads every flow file in a folder, sorted by name, so the first file holds
 * the main flow unless the bot says otherwise. Problems of every file, and
 * flow ids used twice, are reported together; then nothing is returned.
 *
 * @example
 * export default defineBot({ id: "cafe", name: "Café", catalog, flows: await loadFlowDir(new URL("flows", import.meta.url)) });
 */
export async function loadFlowDir(folder: string | URL): Promise<Flow[]> {
  const dir = typeof folder === "string" ? folder : fileURLToPath(folder);
  const flows: Flow[] = [];
  const problems: FlowFileProblem[] = [];
  for (const path of await flowFilesIn(dir)) {
    try {
      flows.push(await loadFlowFile(path));
    } catch (error) {
      if (!(error instanceof FlowFileError)) throw error;
      problems.push(...error.problems);
    }
  }
  const firstFile = new Map<string, string>();
  for (const flow of flows) {
    const source = flowSource(flow);
    const file = source?.file ?? dir;
    const earlier = firstFile.get(flow.id);
    if (earlier === undefined) {
      firstFile.set(flow.id, file);
      continue;
    }
    const at = source?.position(["id"]) ?? { line: 1, column: 1 };
    problems.push({ file, ...at, flow: flow.id, field: "id", message: `flow '${flow.id}' is already defined in ${earlier}`, fix: "give each flow its own id" });
  }
  if (problems.length > 0) throw new FlowFileError(problems);
  return flows;
}
