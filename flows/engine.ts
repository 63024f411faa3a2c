import type { Clock } from "../core/clock.ts";
import { VersionConflictError, type ConversationAddress, type Store } from "../store/index.ts";
import type { LoadedBot } from "./bot.ts";
import { FlowError } from "./errors.ts";
import { interpret, type TurnInput } from "./interpreter.ts";
import { newState, restoreState, stateData } from "./state.ts";
import { Turn } from "./turn.ts";
import { FlowVersions, versionKey } from "./versions.ts";

/** One normalized event: whatever a customer or platform did. */
export interface InboundEvent extends ConversationAddress {
  /** Idempotency key: channel + platform update id. An event seen before is dropped. */
  readonly key: string;
  /**
   * The customer's locale as the channel reports it; used when the
   * conversation starts, resolved to one of the bot's locales (see
   * `LoadedBot.localeFor`).
   */
  readonly locale?: string;
  /**
   * The platform's id of the customer's message this turn answers: every
   * message the turn sends carries it as `replyTo`, for channels that thread
   * replies (Bot Framework's `replyToId`). Absent for timers and payments.
   */
  readonly replyTo?: string;
  readonly input: TurnInput;
}

export type TurnStatus = "handled" | "duplicate" | "failed";

export interface TurnResult {
  readonly status: TurnStatus;
  /** Messages this turn wrote to the outbox. */
  readonly messages: number;
  /**
   * Whether the flow took the input: false when the step it reached refused
   * it and asked again (a button of an old menu pressed while the bot asks
   * "How many?"), and for a duplicate or failed turn. A channel that marks
   * a pressed button as chosen does so only when this is true.
   */
  readonly accepted: boolean;
  readonly error?: unknown;
}

export interface EngineOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly bots: readonly LoadedBot[];
  /** Runs after each committed turn: dispatches the outbox. */
  readonly afterCommit?: () => Promise<void>;
  /** Told about every failed turn, with the bot, flow and step in the error. */
  readonly onError?: (error: unknown, event: InboundEvent) => void;
  /** Compare-and-swap retries before a turn gives up. */
  readonly maxConflictRetries?: number;
}

/**
 * Runs turns. Each turn is one store transaction: dedupe the event, load the
 * conversation, run the flow, apply domain writes, save with compare-and-swap,
 * write the outbox. Then the outbox is dispatched.
 */
export class Engine {
  readonly #options: EngineOptions;
  readonly #bots: Map<string, LoadedBot>;
  readonly #versions: FlowVersions;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.#bots = new Map(options.bots.map((b) => [b.id, b]));
    this.#versions = new FlowVersions(options.store);
  }

  /**
   * Swaps in a new definition of a loaded bot (`kiosk dev`). Turns already
   * running finish on the old one; conversations keep their flow versions.
   */
  replaceBot(bot: LoadedBot): void {
    this.bot(bot.id);
    this.#bots.set(bot.id, bot);
  }

  /** Keeps the bots' current flow versions and drops old ones no conversation uses; runs at start. */
  async registerFlowVersions(): Promise<number> {
    let pruned = 0;
    for (const bot of this.#bots.values()) pruned += await this.#versions.register(bot, this.#options.clock.now());
    return pruned;
  }

  bot(id: string): LoadedBot {
    const bot = this.#bots.get(id);
    if (!bot) throw new FlowError("unknown_bot", `no bot '${id}' is loaded; loaded: ${[...this.#bots.keys()].join(", ")}`, { bot: id });
    return bot;
  }

  /**
   * Runs one turn, then dispatches the outbox. `dispatch: "background"`
   * returns once the turn is committed, without waiting for the sends (a
   * webhook answering its platform quickly); the outbox retries what fails.
   */
  async handle(event: InboundEvent, options: { readonly dispatch?: "await" | "background" } = {}): Promise<TurnResult> {
    const bot = this.bot(event.botId);
    const retries = this.#options.maxConflictRetries ?? 5;
    let result: TurnResult;
    for (let attempt = 0; ; attempt++) {
      try {
        result = await this.#turn(bot, event);
        break;
      } catch (error) {
        if (error instanceof VersionConflictError && attempt < retries) continue;
        result = await this.#fail(bot, event, error);
        break;
      }
    }
    if (result.messages > 0) {
      const dispatching = this.#options.afterCommit?.();
      if (options.dispatch === "background") dispatching?.catch((error: unknown) => this.#options.onError?.(error, event));
      else await dispatching;
    }
    return result;
  }

  async #turn(bot: LoadedBot, event: InboundEvent): Promise<TurnResult> {
    const { store, clock } = this.#options;
    const now = clock.now();
    const address: ConversationAddress = { botId: event.botId, channel: event.channel, userId: event.userId };
    return store.transaction(async (tx) => {
      if (!(await tx.markEventSeen(event.key, now))) return { status: "duplicate", messages: 0, accepted: false };
      if (event.input.kind === "timer" && !(await tx.takeTimer(event.input.timer.id))) return { status: "duplicate", messages: 0, accepted: false };
      const row = await tx.loadConversation(address);
      // One language for texts, dates and amounts: one the bot speaks (a row saved before this rule is healed too).
      const state = row ? { ...restoreState(row), locale: bot.localeFor(row.locale) } : newState(bot.main.flow.id, versionKey(bot.main.flow), bot.localeFor(event.locale));
      // A conversation keeps the flow version it started with, even across a redeploy.
      const earlier = await this.#versions.find(bot, state.flowId, state.flowVersion, tx);
      const turn = new Turn(bot, state, tx, address, now, earlier);
      await interpret(turn, event.input);
      // The funnel: each step entered this turn, once per conversation, step and UTC day.
      const version = (row?.version ?? 0) + 1;
      for (const [entry, { flowId, stepId }] of turn.stepsEntered.entries()) await tx.recordStepVisit({ ...address, flowId, stepId, at: now, turn: version, entry });
      await tx.saveConversation(
        { ...address, flowId: state.flowId, flowVersion: state.flowVersion, stepId: state.stepId, locale: state.locale, data: stateData(state), updatedAt: now },
        row?.version ?? 0,
      );
      const { replyTo } = event;
      const { locale } = state;
      const outbound = turn.outbound.map((message) => ({ ...message, locale, ...(replyTo === undefined ? {} : { replyTo }) }));
      const ids = await tx.enqueue(address, outbound, now);
      return { status: "handled", messages: ids.length, accepted: !turn.refused };
    });
  }

  /**
   * The turn's writes are rolled back. A customer's message is recorded as
   * seen (so a redelivery does not fail again) and gets a short apology. A
   * timer or a payment report is not: the timer fires again on the next tick
   * and the provider's retry delivers the payment again, so neither is lost.
   */
  async #fail(bot: LoadedBot, event: InboundEvent, error: unknown): Promise<TurnResult> {
    this.#options.onError?.(error, event);
    // Nor is a shop's action: its caller is told it failed, and the customer hears nothing of it.
    if (event.input.kind === "timer" || event.input.kind === "payment" || event.input.kind === "merchant") return { status: "failed", messages: 0, accepted: false, error };
    const now = this.#options.clock.now();
    const messages = await this.#options.store.transaction(async (tx) => {
      if (!(await tx.markEventSeen(event.key, now))) return 0;
      const address = { botId: event.botId, channel: event.channel, userId: event.userId };
      // In the customer's language: the conversation's locale, else what the channel reported.
      const locale = bot.localeFor((await tx.loadConversation(address))?.locale ?? event.locale);
      const apology = { text: bot.textsFor(locale).somethingWentWrong, locale, ...(event.replyTo === undefined ? {} : { replyTo: event.replyTo }) };
      const ids = await tx.enqueue(address, [apology], now);
      return ids.length;
    });
    return { status: "failed", messages, accepted: false, error };
  }
}
