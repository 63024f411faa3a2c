import type { OutboundMessage } from "../core/message.ts";
import { formatMoney, type CatalogIndex, type PricedLine } from "../commerce/index.ts";
import type { ConversationAddress, TurnTx } from "../store/index.ts";
import type { LoadedBot, LoadedFlow } from "./bot.ts";
import { ORDER_SLOT } from "./defaults.ts";
import { describeWhere, FlowError } from "./errors.ts";
import { compileExpression } from "./expression.ts";
import { localName, pickVariant, type Named } from "./locale.ts";
import type { Slots, Text, TextView } from "./ir.ts";
import type { ScreenChoice } from "./match.ts";
import { scopeCart, scopeOrder, type ConversationScope, type TextFormat } from "./scope.ts";
import type { ConversationState } from "./state.ts";
import { compileTemplate, isTemplate } from "./template.ts";
import type { Texts } from "./texts.ts";
import { versionKey } from "./versions.ts";

/** Where a step goes: stay and wait for input, or move on (null ends the flow). */
export type Transition = { readonly wait: true } | { readonly goto: string | null };

export const WAIT: Transition = { wait: true };
export const goto = (step: string | null): Transition => ({ goto: step });

/**
 * What a step sees during one turn: the conversation's state (a draft this
 * turn may change), the store transaction, and the messages going out.
 */
export class Turn {
  readonly outbound: OutboundMessage[] = [];
  /** Set by `refuse()`: the step did not take the customer's input (see TurnResult.accepted). */
  #refused = false;
  /** The steps this turn entered, as flow and step id: written once as step visits when the turn ends (the funnel). */
  readonly #entered = new Map<string, { readonly flowId: string; readonly stepId: string }>();

  constructor(
    readonly bot: LoadedBot,
    readonly state: ConversationState,
    readonly tx: TurnTx,
    readonly address: ConversationAddress,
    readonly now: Date,
    /** The conversation's flow at the older version it started with, when that is not the current one. */
    readonly earlier?: LoadedFlow,
  ) {}

  /** The built-in texts in the customer's language, among those the bot speaks. */
  get texts(): Texts {
    return this.bot.textsFor(this.state.locale);
  }

  /** A catalog name in the customer's language: `base` is the bot's default-locale name. */
  localName(base: string, item: Named): string {
    return localName(base, item, this.state.locale, this.bot.locale);
  }

  /** A cart or order line with its product and option names in the customer's language. */
  localLine<L extends Pick<PricedLine, "productId" | "name" | "options" | "optionLabels">>(line: L): L {
    const product = this.bot.catalog?.findProduct(line.productId);
    if (!product) return line;
    const optionLabels: string[] = [];
    for (const group of product.options ?? []) {
      const choice = group.choices.find((c) => c.id === (line.options[group.id] ?? group.default));
      if (choice) optionLabels.push(this.localName(choice.label, choice));
    }
    return { ...line, name: this.localName(product.name, product), optionLabels };
  }

  /** A product's name in the customer's language; the id when the catalog has no such product. */
  productName(id: string): string {
    const product = this.bot.catalog?.findProduct(id);
    return product ? this.localName(product.name, product) : id;
  }

  /**
   * The flow the conversation is in, at the version it started with;
   * undefined when that version is gone (a redeploy of a flow that could not be kept).
   */
  findFlow(): LoadedFlow | undefined {
    const { flowId, flowVersion } = this.state;
    if (this.earlier?.flow.id === flowId && versionKey(this.earlier.flow) === flowVersion) return this.earlier;
    const current = this.bot.flows.get(flowId);
    return current && versionKey(current.flow) === flowVersion ? current : undefined;
  }

  get flow(): LoadedFlow {
    const flow = this.findFlow();
    if (!flow) {
      throw new FlowError("step_failed", `bot '${this.bot.id}' has no flow '${this.state.flowId}' any more`, {
        bot: this.bot.id,
        flow: this.state.flowId,
      });
    }
    return flow;
  }

  get catalog(): CatalogIndex {
    const catalog = this.bot.catalog;
    if (!catalog) throw new FlowError("step_failed", `bot '${this.bot.id}' has no catalog`, { bot: this.bot.id });
    return catalog;
  }

  /** The bot's currency: its catalog's, else its booking calendar's. */
  get currency(): string {
    const currency = this.bot.catalog?.currency ?? this.bot.calendar?.currency;
    if (!currency) throw new FlowError("step_failed", `bot '${this.bot.id}' has neither a catalog nor a calendar, so no currency`, { bot: this.bot.id });
    return currency;
  }

  /** Minor units shown in the customer's locale, in the bot's currency unless told (a product, cart or order may have its own). */
  money(amount: number, currency = this.currency): string {
    return formatMoney({ amount, currency }, this.state.locale);
  }

  /**
   * Records that the input was not taken: the step says why and asks again.
   * A channel then leaves the pressed button as it was (Telegram does not
   * mark it chosen).
   */
  refuse(): void {
    this.#refused = true;
  }

  get refused(): boolean {
    return this.#refused;
  }

  /** Notes that the conversation entered a step of a flow during this turn. */
  entered(flowId: string, stepId: string): void {
    // Entered again (a loop back to the menu): it moves to the end, as the step entered last.
    this.#entered.delete(`${flowId}\u0000${stepId}`);
    this.#entered.set(`${flowId}\u0000${stepId}`, { flowId, stepId });
  }

  /** The steps entered during this turn, each once, in the order last entered. */
  get stepsEntered(): ReadonlyArray<{ readonly flowId: string; readonly stepId: string }> {
    return [...this.#entered.values()];
  }

  say(message: string | OutboundMessage): void {
    this.outbound.push(typeof message === "string" ? { text: message } : message);
  }

  /** Sends a message whose buttons become the choices typed text is matched against. */
  ask(text: string, choices: readonly ScreenChoice[] = [], extra: Omit<OutboundMessage, "text" | "buttons"> = {}): void {
    this.state.screen = [...choices];
    const buttons = choices.map((c) => ({ label: c.label, payload: c.payload }));
    this.say({ text, ...(buttons.length > 0 ? { buttons } : {}), ...extra });
  }

  /** Shows a text: a function of the view, a template over the conversation, or plain. */
  async render(written: Text, answer?: Readonly<Slots>): Promise<string> {
    if (typeof written === "function") {
      const view: TextView = {
        slots: this.state.slots,
        locale: this.state.locale,
        money: (amount) => this.money(amount),
        productName: (id) => this.productName(id),
      };
      return written(view);
    }
    const text = typeof written === "string" ? written : pickVariant(written, this.state.locale, this.bot.locale);
    if (!isTemplate(text)) return text;
    const compiled = compileTemplate(text);
    if (!compiled.ok) throw this.#failed(`text ${JSON.stringify(text)} is not a valid template: ${compiled.message}`);
    const { template } = compiled;
    const scope = await this.scope({ order: template.reads.some((r) => r.root === "order"), answer });
    try {
      return template.render(scope, this.format);
    } catch (cause) {
      throw this.#failed(`text ${JSON.stringify(text)} cannot be shown: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
    }
  }

  /** Whether a branch's CEL condition holds for this conversation. */
  async holds(source: string): Promise<boolean> {
    const compiled = compileExpression(source);
    if (!compiled.ok) throw this.#failed(`condition ${JSON.stringify(source)} ${compiled.message}`);
    const { expression } = compiled;
    const scope = await this.scope({ order: expression.reads.some((r) => r.root === "order") });
    try {
      return expression.evaluate(scope);
    } catch (cause) {
      throw this.#failed(`condition ${JSON.stringify(source)} cannot be evaluated: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
    }
  }

  /** How texts show money, dates and products to this customer. */
  get format(): TextFormat {
    const catalog = this.bot.catalog;
    return {
      locale: this.state.locale,
      timeZone: this.bot.definition.timeZone ?? "UTC",
      currency: catalog?.currency ?? this.bot.calendar?.currency,
      productName: (id) => (catalog?.findProduct(id) ? this.productName(id) : undefined),
    };
  }

  /**
   * What templates and conditions read. The order is loaded only for those
   * that read it; `answer` overlays slots with what the customer just sent.
   */
  async scope(options: { order?: boolean; answer?: Readonly<Slots> | undefined } = {}): Promise<ConversationScope> {
    const orderId = this.state.slots[ORDER_SLOT];
    const order = options.order && typeof orderId === "string" ? await this.tx.getOrder(orderId) : undefined;
    return {
      slots: options.answer ? { ...this.state.slots, ...options.answer } : this.state.slots,
      cart: scopeCart(this.bot.catalog, this.state.cart, (line) => this.localLine(line)),
      ...(order ? { order: scopeOrder(order, (line) => this.localLine(line)) } : {}),
      customer: { id: this.address.userId, channel: this.address.channel, locale: this.state.locale },
      bot: { name: this.bot.name },
    };
  }

  #failed(reason: string, cause?: unknown): FlowError {
    const where = { bot: this.bot.id, flow: this.state.flowId, ...(this.state.stepId === null ? {} : { step: this.state.stepId }) };
    return new FlowError("step_failed", `${describeWhere(where)}: ${reason}`, where, cause === undefined ? undefined : { cause });
  }

  /** The step written after `stepId`, for steps without an explicit `next`. */
  nextOf(step: { id: string; next?: string }): string | null {
    return step.next ?? this.flow.following.get(step.id) ?? null;
  }
}
