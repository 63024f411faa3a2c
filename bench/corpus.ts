// A bot's corpus: sentences its customers might type, each labelled with what
// a person would understand (bots/cafe/corpus/*.yaml). Read here, checked
// against the bot's catalog, and scored by understanding.ts.
import { readdirSync, readFileSync } from "node:fs";
import { basename, extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { isNode, isSeq, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import type { CatalogIndex, OptionGroup } from "../commerce/index.ts";

const sentence = z.string().refine((s) => s.trim().length > 0, "write the sentence; it is empty");

const itemLabel = z.strictObject({
  product: z.string().min(1),
  /** The number said; absent when none was (it then means one, as the cart would add). */
  quantity: z.number().int().positive().optional(),
  /** Choices said, by option group id: `{ size: l }`; absent groups take the product's default. */
  options: z.record(z.string(), z.string()).optional(),
});

const entrySchema = z.discriminatedUnion("kind", [
  z.strictObject({ text: sentence, kind: z.literal("items"), expect: z.array(itemLabel).min(1) }),
  z.strictObject({ text: sentence, kind: z.literal("quantity"), expect: z.number().int().positive().nullable() }),
  z.strictObject({ text: sentence, kind: z.literal("option"), group: z.string().min(1), expect: z.string().min(1).nullable() }),
  z.strictObject({ text: sentence, kind: z.literal("nothing") }),
]);

/** One labelled sentence as written in a corpus file. */
export type CorpusEntry = z.infer<typeof entrySchema>;

/** What a sentence is, and so which question it is asked at: the menu (items, nothing), "How many?", or an option. */
export type SentenceKind = CorpusEntry["kind"];

/** Every kind, in the order figures print them. */
export const SENTENCE_KINDS: readonly SentenceKind[] = ["items", "quantity", "option", "nothing"];

/** A labelled sentence and the line of the file it is written on. */
export type LabelledSentence = CorpusEntry & { readonly line: number };

/** One language's corpus: `en.yaml` holds the sentences of locale `en`. */
export interface Corpus {
  /** The file, relative to the working directory, as messages name it. */
  readonly file: string;
  readonly locale: string;
  readonly sentences: readonly LabelledSentence[];
}

/** A corpus file that cannot be scored, with every problem found in it (file, line, entry and how to fix it). */
export class CorpusError extends Error {
  readonly code = "invalid_corpus";

  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n  ${problems.join("\n  ")}`);
    this.name = "CorpusError";
  }
}

/** The option group with this id on any product of the catalog. */
export function optionGroupOf(catalog: CatalogIndex, groupId: string): OptionGroup | undefined {
  for (const product of catalog.catalog.products) {
    const group = product.options?.find((g) => g.id === groupId);
    if (group) return group;
  }
  return undefined;
}

/** A label that names what the catalog does not have would score the parser against a typo in the label. */
function labelProblems(entry: CorpusEntry, catalog: CatalogIndex): string[] {
  const problems: string[] = [];
  const products = catalog.catalog.products.map((p) => p.id).join(", ");
  if (entry.kind === "items") {
    for (const item of entry.expect) {
      const product = catalog.findProduct(item.product);
      if (!product) {
        problems.push(`expect: no product '${item.product}' in the catalog; products are: ${products}`);
        continue;
      }
      for (const [groupId, choiceId] of Object.entries(item.options ?? {})) {
        const group = product.options?.find((g) => g.id === groupId);
        if (!group) problems.push(`expect: '${item.product}' has no option '${groupId}'${product.options ? `; its options are: ${product.options.map((g) => g.id).join(", ")}` : ""}`);
        else if (!group.choices.some((c) => c.id === choiceId)) problems.push(`expect: option '${groupId}' has no choice '${choiceId}'; choices are: ${group.choices.map((c) => c.id).join(", ")}`);
      }
    }
  } else if (entry.kind === "option") {
    const group = optionGroupOf(catalog, entry.group);
    if (!group) problems.push(`group: no product of the catalog has an option group '${entry.group}'`);
    else if (entry.expect !== null && !group.choices.some((c) => c.id === entry.expect)) {
      problems.push(`expect: option '${entry.group}' has no choice '${entry.expect}'; choices are: ${group.choices.map((c) => c.id).join(", ")}`);
    }
  }
  return problems;
}

function preview(value: unknown): string {
  const text = typeof value === "object" && value !== null && "text" in value ? value.text : undefined;
  return typeof text === "string" ? ` "${text}"` : "";
}

/**
 * Reads one corpus file and checks every entry: its shape, and that its
 * labels name products and choices the catalog has. The locale is the file's
 * name (`fr.yaml` → `fr`). Throws a CorpusError naming each bad entry by line
 * and number (1 is the first entry).
 */
export function loadCorpus(file: string | URL, catalog: CatalogIndex): Corpus {
  const path = typeof file === "string" ? file : fileURLToPath(file);
  const shown = relative(process.cwd(), path) || path;
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, "utf8"), { lineCounter: lines });
  if (doc.errors.length > 0) throw new CorpusError(shown, doc.errors.map((e) => `line ${e.linePos?.[0].line ?? "?"}: not valid YAML: ${e.message}`));
  if (!isSeq(doc.contents)) throw new CorpusError(shown, ["the file must be a list of entries (each line starting with '- ')"]);
  const nodes = doc.contents.items;
  const values: unknown[] = doc.toJS() as unknown[];
  const problems: string[] = [];
  const sentences: LabelledSentence[] = [];
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    const node = nodes[index];
    const line = isNode(node) && node.range ? lines.linePos(node.range[0]).line : 0;
    const where = `line ${line}: entry ${index + 1}${preview(value)}`;
    const parsed = entrySchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${where}: ${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
      return;
    }
    const entry = parsed.data;
    for (const problem of labelProblems(entry, catalog)) problems.push(`${where}: ${problem}`);
    const key = `${entry.kind}\u0000${entry.text}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`${where}: the same sentence and kind as line ${first}; remove one`);
    else seen.set(key, line);
    sentences.push({ ...entry, line });
  });
  if (problems.length > 0) throw new CorpusError(shown, problems);
  return { file: shown, locale: basename(path, extname(path)), sentences };
}

/** Every `*.yaml` corpus in a folder, by file name: one per language. */
export function loadCorpusFolder(folder: string | URL, catalog: CatalogIndex): Corpus[] {
  const path = typeof folder === "string" ? folder : fileURLToPath(folder);
  return readdirSync(path)
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => loadCorpus(join(path, name), catalog));
}
