import type { OutboundMessage } from "../adapters/message.ts";
import { indexCatalog, type Catalog, type CatalogIndex, type CartLine } from "../commerce/index.ts";
import { FlowError, describeWhere } from "./errors.ts";
import type { Flow, Slots, Step, StepId } from "./ir.ts";
import { englishTexts, type Texts } from "./texts.ts";

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
  /** BCP 47 locale used when the channel does not tell. */
  readonly locale?: string;
  /** IANA zone the business runs in; times are shown in it. */
  readonly timeZone?: string;
  readonly catalog?: Catalog;
  readonly flows: readonly Flow[];
  /** The flow a new conversation starts; defaults to the first. */
  readonly main?: string;
  /** Step of the main flow the `menu` command goes to; defaults to its first catalog step. */
  readonly menuStep?: StepId;
  readonly actions?: Readonly<Record<string, Action>>;
  /** How long an order waits for payment before it expires. Default 15 minutes. */
  readonly paymentWindowMs?: number;
  readonly texts?: Partial<Texts>;
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
  readonly flows: ReadonlyMap<string, LoadedFlow>;
  readonly main: LoadedFlow;
  readonly menuStep: StepId;
  readonly actions: Readonly<Record<string, Action>>;
  readonly paymentWindowMs: number;
  readonly texts: Texts;
}

/** Every field of a step that names another step. */
export function stepTargets(step: Step): Array<{ field: string; target: StepId }> {
  const targets: Array<{ field: string; target: StepId }> = [];
  const add = (field: string, target: StepId | undefined) => {
    if (target !== undefined) targets.push({ field, target });
  };
  if (step.type !== "end") add("next", step.next);
  switch (step.type) {
    case "ask":
      if (step.input === "confirm") {
        add("yes", step.yes);
        add("no", step.no);
      } else if (step.input === "choice") {
        for (const [value, target] of Object.entries(step.routes ?? {})) add(`routes.${value}`, target);
      }
      break;
    case "cart_review":
      add("checkout", step.checkout);
      add("more", step.more);
      break;
    case "checkout":
      add("back", step.back);
      break;
    case "branch":
      step.cases.forEach((c, i) => add(`cases[${i}].goto`, c.goto));
      add("otherwise", step.otherwise);
      break;
    default:
      break;
  }
  return targets;
}

function fail(message: string, where: FlowError["where"]): never {
  throw new FlowError("flow_invalid", `${describeWhere(where)}: ${message}`, where);
}

function loadFlow(bot: BotDefinition, flow: Flow): LoadedFlow {
  const steps = new Map<StepId, Step>();
  const following = new Map<StepId, StepId | undefined>();
  if (flow.steps.length === 0) fail("has no steps; add at least one", { bot: bot.id, flow: flow.id });
  flow.steps.forEach((step, i) => {
    if (steps.has(step.id)) fail("is defined twice; step ids must be unique in a flow", { bot: bot.id, flow: flow.id, step: step.id });
    steps.set(step.id, step);
    following.set(step.id, flow.steps[i + 1]?.id);
  });
  const known = [...steps.keys()].join(", ");
  for (const step of flow.steps) {
    const where = { bot: bot.id, flow: flow.id, step: step.id };
    for (const { field, target } of stepTargets(step)) {
      if (!steps.has(target)) fail(`'${target}' is not a step; steps are: ${known}`, { ...where, field });
    }
    if (step.type === "action" && !bot.actions?.[step.action]) {
      const names = Object.keys(bot.actions ?? {});
      fail(`action '${step.action}' is not registered; register it in the bot's actions (${names.length ? `known: ${names.join(", ")}` : "none yet"})`, {
        ...where,
        field: "action",
      });
    }
    const needsCatalog = ["catalog", "quantity", "options", "cart_add", "cart_review", "checkout", "pay"].includes(step.type);
    if (needsCatalog && !bot.catalog) fail(`a '${step.type}' step needs the bot to have a catalog`, where);
    if (step.type === "ask" && step.input === "choice") {
      const values = new Set<string>();
      for (const choice of step.choices) {
        if (values.has(choice.value)) fail(`choice value '${choice.value}' appears twice`, { ...where, field: "choices" });
        values.add(choice.value);
      }
      if (step.choices.length === 0) fail("has no choices", { ...where, field: "choices" });
    }
  }
  const first = flow.steps[0] as Step;
  return { flow, steps, following, start: first.id };
}

/**
 * Checks a bot definition and indexes it for the engine. Every problem is
 * reported with the bot, flow, step and field it is in.
 *
 * @example
 * const bot = defineBot({ id: "cafe", name: "Café", catalog, flows: [orderFlow] });
 */
export function defineBot(definition: BotDefinition): LoadedBot {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(definition.id)) {
    fail("bot ids are lower-case letters, digits, '-' and '_'", { bot: definition.id });
  }
  if (definition.flows.length === 0) fail("has no flows", { bot: definition.id });
  const catalog = definition.catalog ? indexCatalog(definition.catalog) : undefined;
  const flows = new Map<string, LoadedFlow>();
  for (const flow of definition.flows) {
    if (flows.has(flow.id)) fail("is defined twice", { bot: definition.id, flow: flow.id });
    flows.set(flow.id, loadFlow(definition, flow));
  }
  const mainId = definition.main ?? (definition.flows[0] as Flow).id;
  const main = flows.get(mainId);
  if (!main) fail(`main flow '${mainId}' does not exist; flows are: ${[...flows.keys()].join(", ")}`, { bot: definition.id });
  const menuStep = definition.menuStep ?? main.flow.steps.find((s) => s.type === "catalog")?.id ?? main.start;
  if (!main.steps.has(menuStep)) fail(`menuStep '${menuStep}' is not a step of flow '${mainId}'`, { bot: definition.id });
  return {
    definition,
    id: definition.id,
    name: definition.name,
    locale: definition.locale ?? "en",
    catalog,
    flows,
    main,
    menuStep,
    actions: definition.actions ?? {},
    paymentWindowMs: definition.paymentWindowMs ?? 15 * 60_000,
    texts: { ...englishTexts, ...definition.texts },
  };
}
