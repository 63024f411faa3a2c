import { readdir } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { formatField } from "../../flows/source.ts";
import { didYouMean } from "../../flows/suggest.ts";
import { SourcePositions, type Position } from "../../flows/yaml/positions.ts";
import { TRANSCRIPT_FIELDS, TURN_ACTIONS, transcriptSchema, type Transcript } from "./transcript-schema.ts";
import { describeValue, isRecord, valueAt } from "../../flows/yaml/values.ts";
import { describeTooLarge, readSourceFile } from "../../flows/yaml/read.ts";

type Path = ReadonlyArray<string | number>;

export const TRANSCRIPT_SUFFIX = ".transcript.yaml";

/** One thing wrong with a transcript file, where it is written. */
export interface TranscriptProblem extends Position {
  readonly file: string;
  /** "turns[2].pay"; absent for the file as a whole. */
  readonly field?: string;
  readonly message: string;
}

export function formatTranscriptProblem(p: TranscriptProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.field === undefined ? "" : `${p.field}: `}${p.message}`;
}

/** A transcript file that cannot be played; every problem found is in `problems`. */
export class TranscriptFileError extends Error {
  override readonly name = "TranscriptFileError";
  constructor(readonly problems: readonly TranscriptProblem[]) {
    super(problems.map(formatTranscriptProblem).join("\n"));
  }
}


/** What kind of map sits at `path`, judged by where it is: its name in messages and the fields it may have. */
function containerAt(path: Path): { what: string; fields: readonly string[] } {
  const [top, , third] = path;
  const last = path.at(-1);
  const parent = path.at(-2);
  if (path.length === 0) return { what: "a transcript", fields: TRANSCRIPT_FIELDS.transcript };
  if (top === "turns" && path.length === 2) return { what: "a turn", fields: TRANSCRIPT_FIELDS.turn };
  if (top === "turns" && third === "expect" && path.length === 3) return { what: "expect", fields: TRANSCRIPT_FIELDS.includes };
  if (last === "text") return { what: "a text check", fields: TRANSCRIPT_FIELDS.text };
  if (last === "invoice") return { what: "an invoice check", fields: TRANSCRIPT_FIELDS.invoice };
  if (parent === "cards") return { what: "a card check", fields: TRANSCRIPT_FIELDS.card };
  if (parent === "orders") return { what: "an order check", fields: TRANSCRIPT_FIELDS.order };
  if (parent === "bookings") return { what: "a booking check", fields: TRANSCRIPT_FIELDS.booking };
  if (top === "end" && path.length === 1) return { what: "end", fields: TRANSCRIPT_FIELDS.end };
  return { what: "an expected message", fields: TRANSCRIPT_FIELDS.message };
}

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  array: "a list",
  object: "a map of fields",
  record: "a map of fields",
};

/** A misspelt field ('contain') is reported once, as the typo, not again as the field it meant. */
function misspelt(parent: Record<string, unknown>, meant: string, fields: readonly string[]): boolean {
  return Object.keys(parent).some((k) => !fields.includes(k) && didYouMean(k, fields) === meant);
}

/**
 * Of a union's alternatives, the one the author was most likely writing: not
 * one whose very kind is wrong (a list where a map was written), and of the
 * rest the one with the fewest problems.
 */
function likeliestBranch(issue: z.core.$ZodIssueInvalidUnion, path: Path, data: unknown, positions: SourcePositions): TranscriptProblem[] | undefined {
  const candidates = issue.errors
    .filter((branch) => !branch.some((i) => i.code === "invalid_type" && i.path.length === 0))
    .map((branch) => branch.flatMap((i) => problemsOf(i, data, positions, path)))
    .filter((problems) => problems.length > 0)
    .sort((a, b) => a.length - b.length);
  return candidates[0];
}

/** Words zod's issue for an author, at the node it is about. */
function problemsOf(issue: z.core.$ZodIssue, data: unknown, positions: SourcePositions, prefix: Path = []): TranscriptProblem[] {
  const path: Path = [...prefix, ...issue.path.filter((k): k is string | number => typeof k !== "symbol")];
  const at = (p: Path, position: Position = positions.position(p)): TranscriptProblem => ({
    file: positions.file,
    ...position,
    ...(p.length > 0 ? { field: formatField(p) } : {}),
    message: "",
  });
  switch (issue.code) {
    case "unrecognized_keys": {
      const { what, fields } = containerAt(path);
      return issue.keys.map((key) => {
        const guess = didYouMean(key, fields);
        const hint = guess === undefined ? `; fields are: ${fields.join(", ")}` : `; did you mean '${guess}'?`;
        return { ...at([...path, key], positions.keyPosition(path, key)), message: `'${key}' is not a field of ${what}${hint}` };
      });
    }
    case "invalid_type": {
      const key = String(path.at(-1) ?? "");
      const value = valueAt(data, path);
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      if (path.length === 0) return [{ ...at(path), message: `is ${describeValue(value)}; a transcript is a map with name and turns` }];
      const parent = valueAt(data, path.slice(0, -1));
      if (isRecord(parent) && !(key in parent)) {
        const { what, fields } = containerAt(path.slice(0, -1));
        return misspelt(parent, key, fields) ? [] : [{ ...at(path), message: `is missing; ${what} needs '${key}' (${expected})` }];
      }
      // YAML reads `text: 2` as a number; the author meant the text "2".
      const quote = issue.expected === "string" && (typeof value === "number" || typeof value === "boolean") ? `; quote it: ${key}: "${String(value)}"` : "";
      return [{ ...at(path), message: `should be ${expected}, not ${describeValue(value)}${quote}` }];
    }
    case "invalid_value":
      return [{ ...at(path), message: `should be one of ${issue.values.map((v) => String(v)).join(", ")}, not ${describeValue(valueAt(data, path))}` }];
    case "too_small":
      if (issue.origin === "string") return [{ ...at(path), message: "must not be empty" }];
      if (issue.origin === "array") return [{ ...at(path), message: `needs at least ${String(issue.minimum)} item${issue.minimum === 1 ? "" : "s"}` }];
      return [{ ...at(path), message: `should be at least ${String(issue.minimum)}, not ${describeValue(valueAt(data, path))}` }];
    case "invalid_union":
      return likeliestBranch(issue, path, data, positions) ?? [{ ...at(path), message: issue.message }];
    case "custom": {
      const turn = valueAt(data, path);
      // "needs one of text, press, …" says nothing new when the action is there but misspelt ('txt').
      const fields: readonly string[] = TRANSCRIPT_FIELDS.turn;
      const typo = isRecord(turn) && Object.keys(turn).some((k) => !fields.includes(k) && didYouMean(k, TURN_ACTIONS) !== undefined);
      if (issue.params?.missingAction === true && typo) return [];
      return [{ ...at(path), message: issue.message }];
    }
    default:
      return [{ ...at(path), message: issue.message }];
  }
}

/**
 * Reads one transcript from YAML text; throws a TranscriptFileError naming
 * every problem with its line and column. `fileName` is only used in messages.
 *
 * @example
 * const t = parseTranscript(readFileSync("bots/cafe/transcripts/happy.transcript.yaml", "utf8"), "happy.transcript.yaml");
 */
export function parseTranscript(text: string, fileName: string): Transcript {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const positions = new SourcePositions(fileName, doc, lines);
  if (doc.errors.length > 0) {
    throw new TranscriptFileError(doc.errors.map((e) => ({ file: fileName, ...positions.offset(e.pos[0]), message: `not valid YAML: ${e.message}` })));
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (cause) {
    // toJS refuses alias bombs; the document itself parsed.
    throw new TranscriptFileError([{ file: fileName, line: 1, column: 1, message: `cannot be read: ${cause instanceof Error ? cause.message : String(cause)}` }]);
  }
  const parsed = transcriptSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => problemsOf(issue, data, positions));
    throw new TranscriptFileError(problems.sort((a, b) => a.line - b.line || a.column - b.column));
  }
  const turnLines = parsed.data.turns.map((_, i) => positions.position(["turns", i]).line);
  return { ...parsed.data, source: { file: fileName, turnLines } };
}

/** Paths inside the working folder are shown relative to it, as an editor's "file:line:col" link wants. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/** Every `*.transcript.yaml` under `botDir`, at any depth, sorted by path. */
export async function findTranscriptFiles(botDir: string): Promise<string[]> {
  const entries = await readdir(botDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(TRANSCRIPT_SUFFIX))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !path.split(/[\\/]/).includes("node_modules"))
    .sort();
}

export type LoadedTranscript =
  | { readonly file: string; readonly ok: true; readonly transcript: Transcript }
  | { readonly file: string; readonly ok: false; readonly problems: readonly TranscriptProblem[] };

/** Reads every transcript of a bot folder. A broken file is returned with its problems, so the others still run. */
export async function loadTranscripts(botDir: string): Promise<LoadedTranscript[]> {
  const loaded: LoadedTranscript[] = [];
  for (const path of await findTranscriptFiles(botDir)) {
    const file = shown(path);
    const source = await readSourceFile(path);
    if (!source.ok) {
      loaded.push({ file, ok: false, problems: [{ file, line: 1, column: 1, message: `${describeTooLarge(source.size, source.limit, "a transcript")}; split it into several transcripts` }] });
      continue;
    }
    try {
      loaded.push({ file, ok: true, transcript: parseTranscript(source.text, file) });
    } catch (error) {
      if (!(error instanceof TranscriptFileError)) throw error;
      loaded.push({ file, ok: false, problems: error.problems });
    }
  }
  return loaded;
}
