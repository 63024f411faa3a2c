// A bot's corpus: sentences its customers might type, each labelled with what
// a person would understand (bots/cafe/corpus/*.yaml, bots/salon/corpus/*.yaml).
// Read here, checked against the bot's catalog and calendar, and scored by
// understanding.ts.
import { readdirSync, readFileSync } from "node:fs";
import { basename, extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import { z } from "zod";
import type { BookingCalendar, CatalogIndex, OptionGroup } from "../commerce/index.ts";
import { ANY_RESOURCE } from "../flows/understand/index.ts";

const sentence = z.string().refine((s) => s.trim().length > 0, "write the sentence; it is empty");

const itemLabel = z.strictObject({
  product: z.string().min(1),
  /** The number said; absent when none was (it then means one, as the cart would add). */
  quantity: z.number().int().positive().optional(),
  /** Choices said, by option group id: `{ size: l }`; absent groups take the product's default. */
  options: z.record(z.string(), z.string()).optional(),
});

/** What a booking sentence says; only the fields it says, at least one. */
const bookingLabel = z
  .strictObject({
    /** A service id of the calendar. */
    service: z.string().min(1).optional(),
    /** A resource id of the calendar, or "any" for "anyone". */
    resource: z.string().min(1).optional(),
    /** The day in the calendar's zone. */
    day: z.iso.date({ error: 'write the day as "YYYY-MM-DD", a date that exists' }).optional(),
    /** The time, 24 h, in the calendar's zone. */
    time: z.iso.time({ precision: -1, error: 'write the time as "HH:MM", 24 h (00:00 to 23:59)' }).optional(),
    /** A part of the day, when no time is said. */
    part: z.enum(["morning", "afternoon", "evening"]).optional(),
  })
  .refine((label) => Object.values(label).some((field) => field !== undefined), "a booking label says at least one of service, resource, day, time, part");

/** The commands a whole sentence can ask for, as labels: readIntent's name, and what a cancel names. */
export const INTENT_LABELS = ["cancel", "cancel-order", "cancel-booking", "orders", "bookings", "menu", "help", "human"] as const;

/** One of {@link INTENT_LABELS}. */
export type IntentLabel = (typeof INTENT_LABELS)[number];

const entrySchema = z.discriminatedUnion("kind", [
  z.strictObject({ text: sentence, kind: z.literal("items"), expect: z.array(itemLabel).min(1) }),
  z.strictObject({ text: sentence, kind: z.literal("quantity"), expect: z.number().int().positive().nullable() }),
  z.strictObject({ text: sentence, kind: z.literal("option"), group: z.string().min(1), expect: z.string().min(1).nullable() }),
  z.strictObject({ text: sentence, kind: z.literal("booking"), expect: bookingLabel }),
  z.strictObject({ text: sentence, kind: z.literal("intent"), expect: z.enum(INTENT_LABELS) }),
  z.strictObject({ text: sentence, kind: z.literal("nothing") }),
]);

/** The head of a file in map form: the instant its days are read from, and its sentences. */
const headSchema = z.strictObject({
  now: z.iso.datetime({ offset: true, error: 'write now as an ISO instant, e.g. "2026-12-07T09:00:00Z"' }).optional(),
  sentences: z.array(z.unknown()),
});

/** One labelled sentence as written in a corpus file. */
export type CorpusEntry = z.infer<typeof entrySchema>;

/**
 * What a sentence is, and so what it is asked of: the menu (items), "How
 * many?", an option, a booking, a command (intent), or nothing at all.
 */
export type SentenceKind = CorpusEntry["kind"];

/** Every kind, in the order figures print them. */
export const SENTENCE_KINDS: readonly SentenceKind[] = ["items", "quantity", "option", "booking", "intent", "nothing"];

/** What a bot has that labels name: products and options (a catalog), services and resources (a calendar). */
export interface CorpusBot {
  readonly catalog?: CatalogIndex | undefined;
  readonly calendar?: BookingCalendar | undefined;
}

/** The label of a booking sentence. */
export type BookingLabel = Extract<CorpusEntry, { kind: "booking" }>["expect"];

/** A labelled sentence and the line of the file it is written on. */
export type LabelledSentence = CorpusEntry & { readonly line: number };

/** One language's corpus: `en.yaml` holds the sentences of locale `en`. */
export interface Corpus {
  /** The file, relative to the working directory, as messages name it. */
  readonly file: string;
  readonly locale: string;
  /** The instant the sentences are typed at ("tomorrow" is the day after it); given in files with booking sentences. */
  readonly now?: Date;
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

/** A label that names what the bot does not have would score the parser against a typo in the label. */
function labelProblems(entry: CorpusEntry, bot: CorpusBot): string[] {
  switch (entry.kind) {
    case "items":
    case "option":
      return bot.catalog ? catalogProblems(entry, bot.catalog) : [`kind: '${entry.kind}' names products, and this bot has no catalog`];
    case "booking":
      return bot.calendar ? calendarProblems(entry.expect, bot.calendar) : ["kind: 'booking' names services, and this bot has no calendar"];
    default:
      return [];
  }
}

function catalogProblems(entry: Extract<CorpusEntry, { kind: "items" | "option" }>, catalog: CatalogIndex): string[] {
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
  } else {
    const group = optionGroupOf(catalog, entry.group);
    if (!group) problems.push(`group: no product of the catalog has an option group '${entry.group}'`);
    else if (entry.expect !== null && !group.choices.some((c) => c.id === entry.expect)) {
      problems.push(`expect: option '${entry.group}' has no choice '${entry.expect}'; choices are: ${group.choices.map((c) => c.id).join(", ")}`);
    }
  }
  return problems;
}

function calendarProblems(label: BookingLabel, calendar: BookingCalendar): string[] {
  const problems: string[] = [];
  if (label.service !== undefined && !calendar.services.some((s) => s.id === label.service)) {
    problems.push(`expect.service: no service '${label.service}' in the calendar; services are: ${calendar.services.map((s) => s.id).join(", ")}`);
  }
  if (label.resource !== undefined && label.resource !== ANY_RESOURCE && !calendar.resources.some((r) => r.id === label.resource)) {
    problems.push(`expect.resource: no resource '${label.resource}' in the calendar; resources are: ${[...calendar.resources.map((r) => r.id), ANY_RESOURCE].join(", ")}`);
  }
  return problems;
}

function preview(value: unknown): string {
  const text = typeof value === "object" && value !== null && "text" in value ? value.text : undefined;
  return typeof text === "string" ? ` "${text}"` : "";
}

const LIST_OR_MAP = "the file must be a list of entries (each line starting with '- '), or a map with 'sentences:' (that list) and 'now:' (the instant they are typed at)";

/** The line a YAML node starts on; 0 when it has no place in the file. */
function lineOf(node: unknown, lines: LineCounter): number {
  return isNode(node) && node.range ? lines.linePos(node.range[0]).line : 0;
}

/**
 * Reads one corpus file and checks every entry: its shape, and that its
 * labels name products, choices, services and resources the bot has. The
 * file is a list of entries, or a map of `now` (an ISO instant, required
 * when an entry is a booking) and `sentences` (the list). The locale is the
 * file's name (`fr.yaml` → `fr`). Throws a CorpusError naming each bad
 * entry by line and number (1 is the first entry).
 */
export function loadCorpus(file: string | URL, bot: CorpusBot): Corpus {
  const path = typeof file === "string" ? file : fileURLToPath(file);
  const shown = relative(process.cwd(), path) || path;
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, "utf8"), { lineCounter: lines });
  if (doc.errors.length > 0) throw new CorpusError(shown, doc.errors.map((e) => `line ${e.linePos?.[0].line ?? "?"}: not valid YAML: ${e.message}`));
  const problems: string[] = [];
  let list: YamlNode | null | undefined;
  let values: unknown = undefined;
  let now: Date | undefined;
  let nowLine = 0;
  if (isSeq(doc.contents)) {
    list = doc.contents;
    values = doc.toJS();
  } else if (isMap(doc.contents)) {
    const head = headSchema.safeParse(doc.toJS());
    if (!head.success) {
      for (const issue of head.error.issues) {
        const key = issue.path[0];
        const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
        problems.push(`line ${lineOf(pair?.key ?? doc.contents, lines)}: ${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
      }
      throw new CorpusError(shown, problems);
    }
    list = doc.contents.get("sentences", true) as YamlNode | undefined;
    values = head.data.sentences;
    if (head.data.now !== undefined) now = new Date(head.data.now);
    nowLine = lineOf(doc.contents.items.find((p) => isScalar(p.key) && p.key.value === "now")?.key, lines);
  }
  if (!isSeq(list) || !Array.isArray(values)) throw new CorpusError(shown, [LIST_OR_MAP]);
  const nodes = list.items;
  const sentences: LabelledSentence[] = [];
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    const line = lineOf(nodes[index], lines);
    const where = `line ${line}: entry ${index + 1}${preview(value)}`;
    const parsed = entrySchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${where}: ${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
      return;
    }
    const entry = parsed.data;
    for (const problem of labelProblems(entry, bot)) problems.push(`${where}: ${problem}`);
    const key = `${entry.kind}\u0000${entry.text}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`${where}: the same sentence and kind as line ${first}; remove one`);
    else seen.set(key, line);
    sentences.push({ ...entry, line });
  });
  const firstBooking = sentences.find((s) => s.kind === "booking");
  if (firstBooking && now === undefined) {
    problems.unshift(`line ${nowLine || 1}: booking sentences (the first on line ${firstBooking.line}) are read from an instant: write the file as a map with 'now: "2026-12-07T09:00:00Z"' and 'sentences:'`);
  }
  if (problems.length > 0) throw new CorpusError(shown, problems);
  return { file: shown, locale: basename(path, extname(path)), ...(now === undefined ? {} : { now }), sentences };
}

/** Every `*.yaml` corpus in a folder (not its subfolders), by file name: one per language. */
export function loadCorpusFolder(folder: string | URL, bot: CorpusBot): Corpus[] {
  const path = typeof folder === "string" ? folder : fileURLToPath(folder);
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".yaml"))
    .map((entry) => entry.name)
    .sort()
    .map((name) => loadCorpus(join(path, name), bot));
}
