import type { Catalog } from "../commerce/index.ts";
import type { BotDefinition } from "./bot.ts";
import type { FlowProblem } from "./errors.ts";
import { flowShape, stepTargets } from "./graph.ts";
import type { BranchStep, Flow, JsonValue, Step } from "./ir.ts";
import { FlowReport } from "./report.ts";
import type { FlowPath } from "./source.ts";
import { didYouMean } from "./suggest.ts";
import { botLocales, checkTranslations, localeProblems } from "./validate-locales.ts";
import { checkTexts } from "./validate-texts.ts";
import { checkStepChains, checkTemplateLimits } from "./validate-limits.ts";

/** What a flow is checked against when it is part of a bot. */
export interface FlowContext {
  readonly bot: string;
  readonly catalog: Catalog | undefined;
  /** Whether the bot has a booking calendar, which book steps need. */
  readonly calendar?: boolean;
  readonly actions: readonly string[];
  /** Steps the engine may start this flow at besides its first: the menu step, for the main flow. */
  readonly entries?: readonly string[];
  /** The locales the bot speaks, default first; with several, every text must have each. */
  readonly locales?: readonly string[];
}

const CATALOG_STEPS: ReadonlySet<Step["type"]> = new Set(["catalog", "quantity", "options", "cart_add", "cart_review", "checkout"]);
const CALENDAR_STEPS: ReadonlySet<Step["type"]> = new Set(["book", "bookings"]);

const list = (names: Iterable<string>) => [...names].join(", ");
const quote = (value: JsonValue) => (typeof value === "string" ? `'${value}'` : JSON.stringify(value));

function checkStepIds(report: FlowReport): boolean {
  const first = new Map<string, number>();
  let ok = true;
  report.flow.steps.forEach((step, i) => {
    const earlier = first.get(step.id);
    if (earlier === undefined) {
      first.set(step.id, i);
      return;
    }
    ok = false;
    report.add(
      { index: i, node: ["id"] },
      "is defined twice; step ids must be unique in a flow",
      `rename one of the two steps called '${step.id}' (steps ${earlier + 1} and ${i + 1})`,
    );
  });
  return ok;
}

function checkTargets(report: FlowReport): boolean {
  const known = new Set(report.flow.steps.map((s) => s.id));
  const ids = [...known];
  let ok = true;
  report.flow.steps.forEach((step, index) => {
    for (const { field, path, target } of stepTargets(step)) {
      if (known.has(target)) continue;
      ok = false;
      const guess = didYouMean(target, ids);
      report.add(
        { index, field: path },
        `'${target}' is not a step; steps are: ${list(ids)}`,
        guess === undefined ? `point '${field}' at one of those steps, or add a step '${target}'` : `did you mean '${guess}'? Set ${field}: ${guess}`,
      );
    }
  });
  return ok;
}

/**
 * Payloads Kiosk's own buttons carry, read before any step: commands
 * (`cmd:`), the customer's order and booking buttons (`order:`,
 * `booking:`), and the shop's buttons in the merchant chat (`shop:`).
 */
const SYSTEM_PAYLOAD_PREFIXES: readonly string[] = ["cmd:", "order:", "booking:", "shop:"];

function checkChoices(report: FlowReport, step: Step, index: number): void {
  if (step.type !== "ask" || step.input !== "choice") return;
  if (step.choices.length === 0) report.add({ index, field: ["choices"] }, "has no choices", "list at least one choice: choices: [{ label: Yes, value: yes }]");
  const values = new Set<string>();
  step.choices.forEach((choice, i) => {
    if (values.has(choice.value)) {
      report.add({ index, field: ["choices"], node: ["choices", i, "value"] }, `choice value '${choice.value}' appears twice`, "give each choice its own value");
    }
    const system = SYSTEM_PAYLOAD_PREFIXES.find((prefix) => choice.value.startsWith(prefix));
    if (system !== undefined) {
      report.add(
        { index, field: ["choices"], node: ["choices", i, "value"] },
        `choice value '${choice.value}' starts with '${system}', which Kiosk's own buttons use: a press would never reach this step`,
        `use a value without '${system}', e.g. '${choice.value.slice(system.length).replace(/:/g, "-") || "my-choice"}'`,
      );
    }
    values.add(choice.value);
  });
  for (const value of Object.keys(step.routes ?? {})) {
    if (values.has(value)) continue;
    const guess = didYouMean(value, [...values]);
    report.add(
      { index, field: ["routes", value], node: ["routes"] },
      `'${value}' is not a value of this step's choices (${list(values)}), so this route is never taken`,
      guess === undefined ? "route one of the choice values, or remove the route" : `did you mean '${guess}'?`,
    );
  }
}

function checkAction(report: FlowReport, step: Step, index: number, context: FlowContext): void {
  if (step.type !== "action" || context.actions.includes(step.action)) return;
  const guess = didYouMean(step.action, context.actions);
  report.add(
    { index, field: ["action"] },
    `action '${step.action}' is not registered; register it in the bot's actions (${context.actions.length > 0 ? `known: ${list(context.actions)}` : "none yet"})`,
    guess === undefined ? `add ${step.action} to defineBot({ actions: { ... } })` : `did you mean '${guess}'? Otherwise add ${step.action} to the bot's actions`,
  );
}

/** Slots that hold a product id, and slots that hold chosen options, as this flow's steps fill them. */
function catalogSlots(flow: Flow): { products: Set<string>; options: Set<string> } {
  const products = new Set<string>();
  const options = new Set<string>();
  for (const step of flow.steps) {
    if (step.type === "catalog") products.add(step.slot);
    if (step.type === "quantity") products.add(step.productSlot);
    if (step.type === "options") {
      products.add(step.productSlot);
      options.add(step.slot);
    }
    if (step.type === "cart_add") {
      products.add(step.productSlot);
      options.add(step.optionsSlot);
    }
  }
  return { products, options };
}

function checkProductValue(report: FlowReport, index: number, field: FlowPath, value: JsonValue, catalog: Catalog): void {
  const ids = catalog.products.map((p) => p.id);
  if (typeof value === "string" && ids.includes(value)) return;
  const guess = typeof value === "string" ? didYouMean(value, ids) : undefined;
  report.add(
    { index, field },
    `${quote(value)} is not a product in the catalog; products are: ${list(ids)}`,
    guess === undefined ? "compare with a product id from the catalog" : `did you mean '${guess}'?`,
  );
}

function checkOptionsValue(report: FlowReport, index: number, field: FlowPath, value: JsonValue, catalog: Catalog): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  const groups = new Map<string, Set<string>>();
  for (const group of catalog.products.flatMap((p) => p.options ?? [])) {
    const choices = groups.get(group.id) ?? new Set<string>();
    for (const choice of group.choices) choices.add(choice.id);
    groups.set(group.id, choices);
  }
  for (const [groupId, choice] of Object.entries(value)) {
    const choices = groups.get(groupId);
    if (!choices) {
      const guess = didYouMean(groupId, [...groups.keys()]);
      report.add(
        { index, field: [...field, groupId] },
        `'${groupId}' is not an option of any product; options are: ${groups.size > 0 ? list(groups.keys()) : "none"}`,
        guess === undefined ? "compare with an option group id from the catalog" : `did you mean '${guess}'?`,
      );
    } else if (typeof choice !== "string" || !choices.has(choice)) {
      const guess = typeof choice === "string" ? didYouMean(choice, [...choices]) : undefined;
      report.add(
        { index, field: [...field, groupId] },
        `${quote(choice)} is not a choice of option '${groupId}'; choices are: ${list(choices)}`,
        guess === undefined ? `use one of: ${list(choices)}` : `did you mean '${guess}'?`,
      );
    }
  }
}

type CatalogSlots = ReturnType<typeof catalogSlots>;

function checkBranchCatalog(report: FlowReport, step: BranchStep, index: number, catalog: Catalog, slots: CatalogSlots): void {
  step.cases.forEach(({ when }, i) => {
    if (typeof when === "string") return;
    for (const key of ["equals", "notEquals"] as const) {
      const value = when[key];
      if (value === undefined) continue;
      const field = ["cases", i, "when", key];
      if (slots.products.has(when.slot)) checkProductValue(report, index, field, value, catalog);
      else if (slots.options.has(when.slot)) checkOptionsValue(report, index, field, value, catalog);
    }
  });
}

function checkAgainstBot(report: FlowReport, context: FlowContext): void {
  const slots = catalogSlots(report.flow);
  report.flow.steps.forEach((step, index) => {
    checkAction(report, step, index, context);
    if (CATALOG_STEPS.has(step.type) && !context.catalog) {
      report.add({ index, node: ["type"] }, `a '${step.type}' step needs the bot to have a catalog`, "give the bot a catalog in defineBot({ catalog }), or remove this step");
    }
    if (CALENDAR_STEPS.has(step.type) && !context.calendar) {
      report.add({ index, node: ["type"] }, `a '${step.type}' step needs the bot to have a booking calendar`, "give the bot a calendar in defineBot({ calendar }), or remove this step");
    }
    if (step.type === "pay" && !context.catalog && !context.calendar) {
      report.add({ index, node: ["type"] }, "a 'pay' step needs something to pay for: a catalog or a booking calendar", "give the bot a catalog or a calendar, or remove this step");
    }
    if (step.type === "branch" && context.catalog) checkBranchCatalog(report, step, index, context.catalog, slots);
  });
}

function checkShape(report: FlowReport): void {
  const { unreachable, traps } = flowShape(report.flow);
  const first = report.flow.steps[0]?.id ?? "";
  const found = [
    ...unreachable.map((index) => ({
      index,
      message: `is never reached: no path from the first step '${first}' leads here`,
      fix: "point a next, yes/no, route, case or otherwise at it, or remove the step",
    })),
    ...traps.map(({ index, steps }) => ({
      index,
      message: `is in a loop with no way out: ${steps.length === 1 ? "it only leads back to itself" : `${list(steps)} only lead to each other`}, and never to an end`,
      fix: "give one of those steps a way to an `end` step (or past the last step), e.g. a confirm whose `no` leaves the loop",
    })),
  ];
  // In flow order, as an author reads the flow.
  for (const { index, message, fix } of found.sort((a, b) => a.index - b.index)) report.add({ index }, message, fix);
}

/**
 * Every problem of one flow. Without a context only what the flow says on its
 * own is checked (targets, ids, reachability); with one, also its actions,
 * catalog steps and product names. `reachability: false` skips the checks
 * that need every step, for a flow known to be missing some.
 */
export function validateFlow(flow: Flow, context?: FlowContext, options: { reachability?: boolean } = {}): FlowProblem[] {
  const report = new FlowReport(flow, context?.bot);
  if (flow.steps.length === 0) {
    report.add({ node: ["steps"] }, "has no steps; add at least one", "add a step, e.g. - { id: hello, type: say, text: Hi }");
    return report.problems;
  }
  const uniqueIds = checkStepIds(report);
  const knownTargets = checkTargets(report);
  flow.steps.forEach((step, index) => checkChoices(report, step, index));
  if (context) checkAgainstBot(report, context);
  const wholeFlow = uniqueIds && knownTargets && options.reachability !== false;
  checkTexts(report, { paths: wholeFlow, entries: context?.entries ?? [] });
  if (context?.locales) checkTranslations(report, context.locales, context.locales[0] ?? "en");
  // A typo'd target makes its intended step look unreachable; one report of the cause is enough.
  if (wholeFlow) checkShape(report);
  // What would fail every turn at run time: a text over the render bounds, a chain of steps longer than a turn follows.
  checkTemplateLimits(report, { catalog: context?.catalog, ...(context?.locales ? { locales: context.locales } : {}) });
  if (uniqueIds && knownTargets) checkStepChains(report);
  return report.problems;
}

/** Texts show times in the bot's zone; a zone Intl does not know would fail on the first date shown. */
function checkTimeZone(definition: BotDefinition, add: (message: string, fix: string) => void): void {
  if (definition.timeZone === undefined) return;
  try {
    new Intl.DateTimeFormat("en", { timeZone: definition.timeZone });
  } catch {
    add(`timeZone '${definition.timeZone}' is not a time zone`, "use an IANA zone name, e.g. 'Europe/Paris' or 'America/New_York'");
  }
}

/** Every problem of a bot definition and of each of its flows. An empty list means it is fine to run. */
export function validateBot(definition: BotDefinition): FlowProblem[] {
  const bot = definition.id;
  const problems: FlowProblem[] = [];
  const add = (message: string, fix: string) => problems.push({ bot, message, fix });
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(bot)) {
    const suggestion = bot.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[-_]+/, "");
    add("bot ids are lower-case letters, digits, '-' and '_'", `rename it, e.g. '${suggestion || "my-bot"}'`);
  }
  if (definition.flows.length === 0) {
    add("has no flows", "add one: flows: [flow('main').say(...).end('done').build()] or flows: await loadFlowDir(...)");
    return problems;
  }
  checkTimeZone(definition, add);
  for (const [message, fix] of localeProblems(definition)) add(message, fix);
  const mainId = definition.main ?? definition.flows[0]?.id ?? "";
  const locale = definition.locale ?? "en";
  // The default locale first, so checkTranslations knows which one a plain text is in.
  const locales = [locale, ...botLocales(definition).filter((l) => l.toLowerCase() !== locale.toLowerCase())];
  const context: FlowContext = { bot, catalog: definition.catalog, calendar: definition.calendar !== undefined, actions: Object.keys(definition.actions ?? {}), locales };
  const seen = new Set<string>();
  for (const flow of definition.flows) {
    if (seen.has(flow.id)) {
      const report = new FlowReport(flow, bot);
      report.add({ node: ["id"] }, "is defined twice", "give each flow its own id");
      problems.push(...report.problems);
    }
    seen.add(flow.id);
    const menuStep = definition.menuStep ?? flow.steps.find((s) => s.type === "catalog")?.id;
    const entries = flow.id === mainId && menuStep !== undefined ? [menuStep] : [];
    problems.push(...validateFlow(flow, { ...context, entries }));
  }
  const main = definition.flows.find((f) => f.id === mainId);
  if (!main) {
    add(`main flow '${mainId}' does not exist; flows are: ${list(seen)}`, "set main to one of those flows");
  } else if (definition.menuStep !== undefined && !main.steps.some((s) => s.id === definition.menuStep)) {
    add(`menuStep '${definition.menuStep}' is not a step of flow '${mainId}'`, `set menuStep to one of: ${list(main.steps.map((s) => s.id))}`);
  }
  return problems;
}
