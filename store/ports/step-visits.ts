import type { OrderStatus } from "../../commerce/index.ts";
import type { ConversationAddress } from "./conversations.ts";

/** A step a conversation entered during a turn. */
export interface StepVisit extends ConversationAddress {
  readonly flowId: string;
  readonly stepId: string;
  readonly at: Date;
}

/** What a turn records for the funnel: the steps it entered. */
export interface StepVisitTx {
  /**
   * Records that the conversation entered the step, once per UTC day:
   * a step entered again the same day changes nothing.
   */
  recordStepVisit(visit: StepVisit): Promise<void>;
}

/** A conversation's visit of a step on one UTC day (YYYY-MM-DD). */
export interface StepVisitRow extends Omit<ConversationAddress, "botId"> {
  readonly flowId: string;
  readonly stepId: string;
  readonly day: string;
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
  /** Conversations whose last turn is at or after `since`. */
  readonly conversations: readonly ConversationPlace[];
  /** Orders paid at or after `since`, whatever became of them after. */
  readonly paidOrders: readonly PaidOrder[];
}

/** The funnel's reads. */
export interface StepVisitStore {
  funnelData(query: { readonly botId: string; readonly since?: Date }): Promise<FunnelData>;
}
