import type { OutboundMessage } from "../adapters/message.ts";
import { formatMoney, type CatalogIndex } from "../commerce/index.ts";
import type { ConversationAddress, TurnTx } from "../store/index.ts";
import type { LoadedBot, LoadedFlow } from "./bot.ts";
import { FlowError } from "./errors.ts";
import type { Text, TextView } from "./ir.ts";
import type { ScreenChoice } from "./match.ts";
import type { ConversationState } from "./state.ts";
import type { Texts } from "./texts.ts";

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

  constructor(
    readonly bot: LoadedBot,
    readonly state: ConversationState,
    readonly tx: TurnTx,
    readonly address: ConversationAddress,
    readonly now: Date,
  ) {}

  get texts(): Texts {
    return this.bot.texts;
  }

  get flow(): LoadedFlow {
    const flow = this.bot.flows.get(this.state.flowId);
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

  money(amount: number): string {
    return formatMoney({ amount, currency: this.catalog.currency }, this.state.locale);
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

  render(text: Text): string {
    if (typeof text === "string") return text;
    const view: TextView = {
      slots: this.state.slots,
      locale: this.state.locale,
      money: (amount) => this.money(amount),
      productName: (id) => this.catalog.findProduct(id)?.name ?? id,
    };
    return text(view);
  }

  /** The step written after `stepId`, for steps without an explicit `next`. */
  nextOf(step: { id: string; next?: string }): string | null {
    return step.next ?? this.flow.following.get(step.id) ?? null;
  }
}
