import type { OrderStatus } from "../../commerce/index.ts";
import type { ConversationAddress } from "./conversations.ts";

/** A step a conversation entered during a turn. */
export interface StepVisit extends ConversationAddress {
  readonly flowId: string;
  readonly stepId: string;
  readonly at: Date;
  /** The conversation's version this turn saves. */
  readonly turn: number;
  /** Its place among the steps this turn entered, 0 first. */
  readonly entry: number;
}

/** What a turn records for the funnel: the steps it entered. */
export interface StepVisitTx {
  /**
   * Records that the conversation entered the step: one row per UTC day;
   * a step entered again the same day only moves its last time.
   */
  recordStepVisit(visit: StepVisit): Promise<void>;
}

/** A conversation's visit of a step on one UTC day (YYYY-MM-DD). */
export interface StepVisitRow extends Omit<ConversationAddress, "botId"> {
  readonly flowId: string;
  readonly stepId: string;
  readonly day: string;
  /** The last time that day the conversation entered the step. */
  readonly lastAt: Date;
  /** The conversation's version that turn saved, and the step's place among the steps it entered: by (lastAt, lastTurn, lastEntry), the greatest came last. */
  readonly lastTurn: number;
  readonly lastEntry: number;
}

/** Where a conversation is now: its step (null once its flow ended) and its last turn. */
export interface ConversationPlace extends Omit<ConversationAddress, "botId"> {
  readonly flowId: string;
  readonly stepId: string | null;
  readonly updatedAt: Date;
}

/** An order that was paid: its status now (paid, a fulfilment status, or refunded) and when it was paid. */
export interface PaidOrder extends Omit<ConversationAddress, "botId"> {
  readonly id: string;
  readonly status: OrderStatus;
  readonly total: number;
  readonly currency: string;
  readonly paidAt: Date;
}

/** What the funnel of one bot is computed from (flows/funnel.ts), from `since` when given. */
export interface FunnelData {
  /** Step visits whose day's first entry is at or after `since`. */
  readonly visits: readonly StepVisitRow[];
  /** The bot's conversations, wherever they are now (their last turn tells whether they are idle). */
  readonly conversations: readonly ConversationPlace[];
  /** Orders paid at or after `since`, whatever became of them after. */
  readonly paidOrders: readonly PaidOrder[];
}

/** The funnel's reads. */
export interface StepVisitStore {
  funnelData(query: { readonly botId: string; readonly since?: Date }): Promise<FunnelData>;
}
