import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { OutboundMessage } from "../core/message.ts";
import {
  bookingPolicy,
  checkCalendar,
  checkShippingPolicy,
  CommerceError,
  indexCatalog,
  type BookingCalendar,
  type BookingPolicy,
  type Catalog,
  type CatalogIndex,
  type CartLine,
  type ShippingPolicy,
} from "../commerce/index.ts";
import { FlowError } from "./errors.ts";
import type { Flow, Slots, Step, StepId } from "./ir.ts";
import { resolveLocale } from "./locale.ts";
import { textsFor, type TextOverrides, type Texts } from "./texts.ts";
import { validateBot } from "./validate.ts";

export { stepTargets } from "./graph.ts";

/** What a named action sees: the conversation and the commerce operations of this turn. */
export interface ActionContext {
  readonly botId: string;
  readonly flowId: string;
  readonly stepId: string;
  readonly slots: Slots;
  readonly cart: readonly CartLine[];
  readonly locale: string;
  readonly now: Date;
  readonly customer: { readonly channel: string; readonly userId: string };
  say(message: string | OutboundMessage): void;
  stockLeft(productId: string): Promise<number | null>;
  /** Takes units from stock in this turn's transaction; false when not enough are left. */
  reserveStock(productId: string, quantity: number): Promise<boolean>;
  releaseStock(productId: string, quantity: number): Promise<void>;
}

/**
 * Business logic a flow cannot say as data. Return a step id to go there
 * instead of the step's `next`. Throwing rolls the whole turn back.
 */
export type Action = (ctx: ActionContext) => Promise<StepId | void> | StepId | void;

export interface BotDefinition {
  readonly id: string;
  readonly name: string;
  /** BCP 47 locale used when the channel does not tell, and when a text has no variant for the customer's. */
  readonly locale?: string;
  /**
   * Every locale the bot speaks, offered by the `language` command; defaults
   * to `[locale]`. With more than one, validation asks every text for each.
   */
  readonly locales?: readonly string[];
  /** IANA zone the business runs in; times are shown in it. */
  readonly timeZone?: string;
  readonly catalog?: Catalog;
  /**
   * The bot's folder, where the catalog's image paths point:
   * `new URL(".", import.meta.url)` in its index.ts. Needed only when a
   * product's `image` is a path; each such file must exist.
   */
  readonly folder?: string | URL;
  /** Where and how goods that ship (products with `ships: true`) are sent, and at what price. */
  readonly shipping?: ShippingPolicy;
  /** Services, staff and hours for `book` steps; its zone is the business's. */
  readonly calendar?: BookingCalendar;
  /** Hold, cancellation and reminder terms; see DEFAULT_BOOKING_POLICY. */
  readonly bookingPolicy?: Partial<BookingPolicy>;
  readonly flows: readonly Flow[];
  /** The flow a new conversation starts; defaults to the first. */
  readonly main?: string;
  /** Step of the main flow the `menu` command goes to; defaults to its first catalog step. */
  readonly menuStep?: StepId;
  readonly actions?: Readonly<Record<string, Action>>;
  /** How long an order waits for payment before it expires. Default 15 minutes. */
  readonly paymentWindowMs?: number;
  /** Replaces built-in texts in the bot's default locale. */
  readonly texts?: Partial<Texts>;
  /** Replaces built-in texts per locale, and gives the texts of a locale Kiosk has none for. */
  readonly textsByLocale?: TextOverrides;
}

export interface LoadedFlow {
  readonly flow: Flow;
  readonly steps: ReadonlyMap<StepId, Step>;
  /** The step written after each step: the default `next`. */
  readonly following: ReadonlyMap<StepId, StepId | undefined>;
  readonly start: StepId;
}

export interface LoadedBot {
  readonly definition: BotDefinition;
  readonly id: string;
  readonly name: string;
  readonly locale: string;
  readonly catalog: CatalogIndex | undefined;
  /** The bot's folder as an absolute path, when its definition gives one. */
  readonly folder?: string;
  readonly shipping: ShippingPolicy | undefined;
  readonly calendar: BookingCalendar | undefined;
  readonly bookingPolicy: BookingPolicy;
  /** The main flow's first `book` step: where rescheduling a booking goes. */
  readonly bookStep: StepId | undefined;
  readonly flows: ReadonlyMap<string, LoadedFlow>;
  readonly main: LoadedFlow;
  readonly menuStep: StepId;
  readonly actions: Readonly<Record<string, Action>>;
  readonly paymentWindowMs: number;
  /** The built-in texts in the bot's default locale. */
  readonly texts: Texts;
  readonly locales: readonly string[];
  /**
   * The locale a customer is spoken to in: theirs (or its language) when it
   * is one of the bot's `locales`, else the bot's default. Texts, dates and
   * amounts all follow it, so a German customer of an English bot reads
   * English throughout, "Friday, December 11" and "€3.60" included.
   */
  localeFor(wanted: string | undefined): string;
  /** The built-in texts a customer in `locale` reads. */
  textsFor(locale: string): Texts;
}

export function loadFlow(flow: Flow): LoadedFlow {
  const steps = new Map<StepId, Step>();
  const following = new Map<StepId, StepId | undefined>();
  flow.steps.forEach((step, i) => {
    steps.set(step.id, step);
    following.set(step.id, flow.steps[i + 1]?.id);
  });
  return { flow, steps, following, start: flow.steps[0]?.id ?? "" };
}

/** Runs a commerce check at load; its CommerceError becomes a FlowError naming the bot and the part. */
function checked<T>(bot: string, part: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof CommerceError)) throw error;
    throw new FlowError("flow_invalid", `bot '${bot}': ${part}: ${error.message}`, { bot }, { cause: error });
  }
}

/** Every product image that is a path names a file in the bot's folder. */
function checkImages(bot: string, catalog: CatalogIndex, folder: string | undefined): void {
  const problems: string[] = [];
  for (const product of catalog.catalog.products) {
    const image = product.image;
    if (image === undefined || image.startsWith("https://")) continue;
    if (folder === undefined) problems.push(`product '${product.id}': image '${image}' is a path, so the bot needs its folder: add folder: new URL(".", import.meta.url) to defineBot`);
    else if (!existsSync(join(folder, image))) problems.push(`product '${product.id}': image '${image}' is not a file in ${folder}`);
  }
  if (problems.length > 0) throw new FlowError("flow_invalid", `bot '${bot}': catalog: ${problems.join("; ")}`, { bot });
}

/**
 * Checks a bot definition and indexes it for the engine. Throws a FlowError
 * listing every problem (see `validateBot`), each with the bot, flow, step
 * and field it is in, and the file position when the flow came from a file.
 *
 * @example
 * const bot = defineBot({ id: "cafe", name: "Café", catalog, flows: [orderFlow] });
 */
export function defineBot(definition: BotDefinition): LoadedBot {
  const problems = validateBot(definition);
  if (problems.length > 0) throw FlowError.of(problems);
  const catalog = definition.catalog ? indexCatalog(definition.catalog) : undefined;
  const folder = definition.folder === undefined ? undefined : resolve(definition.folder instanceof URL ? fileURLToPath(definition.folder) : definition.folder);
  if (catalog) checkImages(definition.id, catalog, folder);
  const { shipping } = definition;
  if (shipping) checked(definition.id, "shipping", () => checkShippingPolicy(shipping));
  const shipped = catalog?.catalog.products.filter((p) => p.ships).map((p) => p.id) ?? [];
  if (shipped.length > 0 && !shipping) {
    throw new FlowError("flow_invalid", `bot '${definition.id}': products ${shipped.join(", ")} ship, so the bot needs a shipping policy: shipping: { countries: ["FR"], options: [{ id: "post", label: "Post", price: 490 }] }`, { bot: definition.id });
  }
  const { calendar } = definition;
  if (calendar) checked(definition.id, "calendar", () => checkCalendar(calendar));
  const policy = checked(definition.id, "bookingPolicy", () => bookingPolicy(definition.bookingPolicy));
  const flows = new Map(definition.flows.map((flow) => [flow.id, loadFlow(flow)] as const));
  const mainId = definition.main ?? definition.flows[0]?.id ?? "";
  const main = flows.get(mainId);
  // validateBot has checked main exists; this only narrows the type.
  if (!main) throw new FlowError("flow_invalid", `bot '${definition.id}': main flow '${mainId}' does not exist`, { bot: definition.id });
  const locale = definition.locale ?? "en";
  const locales = definition.locales ?? [locale];
  const overrides: TextOverrides = { ...definition.textsByLocale, [locale]: { ...definition.textsByLocale?.[locale], ...definition.texts } };
  const byLocale = new Map(locales.map((l) => [l, textsFor(l, locale, overrides)] as const));
  const defaultTexts = textsFor(locale, locale, overrides);
  // A bot speaks only its own locales: an English bot answers a French customer in English throughout.
  const localeFor = (wanted: string | undefined): string => (wanted === undefined ? locale : (resolveLocale(locales, wanted, locale) ?? locale));
  const textsOf = (wanted: string): Texts => byLocale.get(localeFor(wanted)) ?? defaultTexts;
  const menuStep = definition.menuStep ?? main.flow.steps.find((s) => s.type === "catalog")?.id ?? main.start;
  return {
    definition,
    id: definition.id,
    name: definition.name,
    locale,
    catalog,
    ...(folder === undefined ? {} : { folder }),
    shipping,
    calendar,
    bookingPolicy: policy,
    bookStep: main.flow.steps.find((s) => s.type === "book")?.id,
    flows,
    main,
    menuStep,
    actions: definition.actions ?? {},
    paymentWindowMs: definition.paymentWindowMs ?? 15 * 60_000,
    texts: defaultTexts,
    locales,
    localeFor,
    textsFor: textsOf,
  };
}
