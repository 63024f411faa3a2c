import type { ConversationAddress } from "./conversations.ts";

/** A timer to schedule for a conversation. */
export interface TimerSpec extends ConversationAddress {
  /** Unique per timer: scheduling the same key again replaces it. */
  readonly key: string;
  readonly name: string;
  readonly data: Readonly<Record<string, string | number | boolean | null>>;
  readonly fireAt: Date;
}

/** A scheduled timer. */
export interface TimerRow extends TimerSpec {
  readonly id: number;
}

/** Timers as a turn schedules, cancels and takes them. */
export interface TimerTx {
  scheduleTimer(timer: TimerSpec): Promise<void>;
  cancelTimer(key: string): Promise<void>;
  /** Deletes a due timer as its turn runs; false when another turn already took it. */
  takeTimer(id: number): Promise<boolean>;
}

/** Timers as the scheduler and the inspector read them. */
export interface TimerStore {
  dueTimers(now: Date, limit: number): Promise<TimerRow[]>;
  /** One conversation's pending timers, soonest first. */
  conversationTimers(address: ConversationAddress): Promise<TimerRow[]>;
}
