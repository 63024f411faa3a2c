/**
 * Texts with placeholders: a flow's string text containing `{{` or `{%` is a
 * Liquid template over the conversation (see ConversationScope), with
 * filters that format money, dates, times and product names for the
 * customer. Strict: an undefined variable or an unknown filter is an error,
 * never "undefined" in a customer's chat.
 */
import { Liquid, type FilterImplOptions, type Template } from "liquidjs";
import { formatMoney } from "../commerce/index.ts";
import type { ConversationScope, TextFormat } from "./scope.ts";
import { templateReads, type TemplateRead } from "./template-reads.ts";

export type { TemplateRead } from "./template-reads.ts";

/** A compiled text. Compile once (compileTemplate caches), render per turn. */
export interface CompiledTemplate {
  readonly source: string;
  readonly reads: readonly TemplateRead[];
  /** Throws when a variable is undefined or a filter gets what it cannot format. */
  render(scope: ConversationScope, format: TextFormat): string;
}

export type TemplateResult = { readonly ok: true; readonly template: CompiledTemplate } | { readonly ok: false; readonly message: string; readonly filter?: string };

/** The filters this module adds to Liquid's own. */
export const TEXT_FILTERS: readonly string[] = ["money", "date", "time", "product"];

/** What a filter runs with: Liquid's render context, where the scope of the render is. */
type FilterImpl = ThisParameterType<Extract<FilterImplOptions, (...args: never[]) => unknown>>;

const DATE_STYLES: ReadonlySet<string> = new Set(["short", "medium", "long", "full"]);

// Filters read the bot's currency, zone and the customer's locale from here,
// keyed by the scope object of the render, so none of it is a variable a
// template could print.
const formats = new WeakMap<object, TextFormat>();

function formatOf(filter: FilterImpl): TextFormat {
  const format = formats.get(filter.context.environments);
  if (!format) throw new Error("a text filter ran outside renderTemplate");
  return format;
}

function money(this: FilterImpl, value: unknown): string {
  const { locale, currency } = formatOf(this);
  if (typeof value === "object" && value !== null && "amount" in value && "currency" in value) {
    const { amount, currency: own } = value;
    if (typeof amount === "number" && Number.isSafeInteger(amount) && typeof own === "string") return formatMoney({ amount, currency: own }, locale);
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new Error(`money formats whole minor units (320 for €3.20) or {amount, currency}, not ${JSON.stringify(value)}`);
  }
  if (currency === undefined) throw new Error("money has no currency: the bot has no catalog; pass {amount, currency} instead");
  return formatMoney({ amount: value, currency }, locale);
}

function instant(value: unknown, filter: string): Date {
  const date = value instanceof Date ? value : typeof value === "number" || typeof value === "string" ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new Error(`${filter} formats an ISO instant or epoch milliseconds, not ${JSON.stringify(value)}`);
  return date;
}

function styleOf(style: unknown, filter: string, fallback: "short" | "medium"): "short" | "medium" | "long" | "full" {
  if (style === undefined) return fallback;
  if (typeof style === "string" && DATE_STYLES.has(style)) return style as "short" | "medium" | "long" | "full";
  throw new Error(`${filter} takes a style of short, medium, long or full, not ${JSON.stringify(style)}`);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(locale: string, timeZone: string, options: { dateStyle: string } | { timeStyle: string }): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone, ...(options as Intl.DateTimeFormatOptions) });
    dateFormats.set(key, format);
  }
  return format;
}

function date(this: FilterImpl, value: unknown, style?: unknown): string {
  const { locale, timeZone } = formatOf(this);
  return dateTimeFormat(locale, timeZone, { dateStyle: styleOf(style, "date", "medium") }).format(instant(value, "date"));
}

function time(this: FilterImpl, value: unknown, style?: unknown): string {
  const { locale, timeZone } = formatOf(this);
  return dateTimeFormat(locale, timeZone, { timeStyle: styleOf(style, "time", "short") }).format(instant(value, "time"));
}

function product(this: FilterImpl, value: unknown): string {
  const id = typeof value === "string" ? value : String(value);
  return formatOf(this).productName(id) ?? id;
}

/**
 * Bounds, so a template cannot hang a turn or fill memory: `{% for i in
 * (1..1000000000) %}`. A text is at most `parseChars` characters of
 * source, renders in at most `renderMs` ms, and allocates at most
 * `memoryUnits` (Liquid counts string and array lengths as it builds them:
 * ranges, appends, joins). `kiosk validate` renders every text under the
 * same bounds (see validate-limits.ts).
 */
export const TEMPLATE_LIMITS = { parseChars: 20_000, renderMs: 200, memoryUnits: 100_000 } as const;

const liquid = new Liquid({
  strictVariables: true,
  strictFilters: true,
  // Templates see own data only: no `constructor`, no prototype, nothing of the process.
  ownPropertyOnly: true,
  // `{% if slots.note %}` and `| default:` are how a text copes with an optional slot.
  lenientIf: true,
  // Chat text, not HTML: nothing is escaped.
  parseLimit: TEMPLATE_LIMITS.parseChars,
  renderLimit: TEMPLATE_LIMITS.renderMs,
  memoryLimit: TEMPLATE_LIMITS.memoryUnits,
});

/**
 * Which of the bounds a render broke, or undefined for any other failure.
 * Liquid says it only in the message of its own Limiter ("<resource> limit
 * exceeded"), so that message is what is read here.
 */
export function limitBroken(error: unknown): "render time" | "memory" | undefined {
  const message = error instanceof Error ? error.message : "";
  if (message.includes("template render limit exceeded")) return "render time";
  if (message.includes("memory alloc limit exceeded")) return "memory";
  return undefined;
}
// Texts read the conversation, never files: these tags would load other templates from disk.
for (const tag of ["include", "render", "layout", "block"]) delete liquid.tags[tag];
liquid.registerFilter("money", money);
liquid.registerFilter("date", date);
liquid.registerFilter("time", time);
liquid.registerFilter("product", product);

/** Every filter a template may use: Liquid's (upcase, default, join…) and money, date, time, product. */
export function templateFilters(): string[] {
  return Object.keys(liquid.filters);
}

/** Strings without `{{` or `{%` are plain text and render unchanged. */
export function isTemplate(text: string): boolean {
  return text.includes("{{") || text.includes("{%");
}

const UNSET_SPECIALS = { size: undefined, first: undefined, last: undefined };

function compiled(source: string, templates: Template[]): CompiledTemplate {
  return {
    source,
    reads: templateReads(liquid, source, templates),
    render(scope, format) {
      // Liquid answers `x.size`, `x.first` and `x.last` of any map with its key count or first entry;
      // a slot called size that is not set must be undefined, not 0.
      const view = { ...scope, slots: { ...UNSET_SPECIALS, ...scope.slots } };
      formats.set(view, format);
      return String(liquid.renderSync(templates, view));
    },
  };
}

// Texts come from flow definitions, a fixed set, so the cache stays as small as the bots.
const cache = new Map<string, TemplateResult>();

/**
 * Parses a text once; later calls with the same string get the same result.
 * A syntax error or an unknown filter is `{ ok: false, message }`.
 */
export function compileTemplate(source: string): TemplateResult {
  let result = cache.get(source);
  if (!result) {
    try {
      result = { ok: true, template: compiled(source, liquid.parse(source)) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Liquid reports an unknown filter only in its message; the name is used for a suggestion, never to decide anything.
      const filter = /^undefined filter: ([\w-]+)/.exec(message)?.[1];
      result = { ok: false, message, ...(filter === undefined ? {} : { filter }) };
    }
    cache.set(source, result);
  }
  return result;
}

/**
 * Renders a text for a customer: plain strings as they are, templates over
 * `scope`. Throws on a template that does not compile or reads what is not set.
 *
 * @example
 * renderTemplate("Total: {{ cart.total | money }}", scope, { locale: "fr", timeZone: "Europe/Paris", currency: "EUR", productName })
 * // "Total: 6,40 €"
 */
export function renderTemplate(text: string, scope: ConversationScope, format: TextFormat): string {
  if (!isTemplate(text)) return text;
  const result = compileTemplate(text);
  if (!result.ok) throw new Error(`not a valid template: ${result.message}`);
  return result.template.render(scope, format);
}
