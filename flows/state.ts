import type { CartLine } from "../commerce/index.ts";
import type { JsonValue, Slots, StepId } from "./ir.ts";
import type { ScreenChoice } from "./match.ts";

/** Where a sub-flow returns to. */
export interface StackFrame {
  readonly flowId: string;
  readonly flowVersion: string;
  readonly stepId: StepId;
}

/**
 * Everything the engine knows about a conversation, saved whole after each
 * turn: a turn reads and writes this snapshot, never replays history.
 */
export interface ConversationState {
  flowId: string;
  flowVersion: string;
  /** The step waiting for input; null when no flow is running. */
  stepId: StepId | null;
  locale: string;
  slots: Slots;
  stack: StackFrame[];
  cart: CartLine[];
  /** A step's own progress within itself (which option group, which cart line). */
  phase: JsonValue;
  /** The choices last offered, which typed text is matched against. */
  screen: ScreenChoice[];
}

/** The part of the state kept in the store's JSON column. */
export interface StateData {
  readonly slots: Slots;
  readonly stack: StackFrame[];
  readonly cart: CartLine[];
  readonly phase: JsonValue;
  readonly screen: ScreenChoice[];
}

export function newState(flowId: string, flowVersion: string, locale: string): ConversationState {
  return { flowId, flowVersion, stepId: null, locale, slots: {}, stack: [], cart: [], phase: null, screen: [] };
}

export function stateData(state: ConversationState): StateData {
  return { slots: state.slots, stack: state.stack, cart: state.cart, phase: state.phase, screen: state.screen };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Rebuilds state from a stored row; tolerates rows written by older versions. */
export function restoreState(
  row: { flowId: string; flowVersion: string; stepId: string | null; locale: string; data: unknown },
): ConversationState {
  const data = isRecord(row.data) ? row.data : {};
  return {
    flowId: row.flowId,
    flowVersion: row.flowVersion,
    stepId: row.stepId,
    locale: row.locale,
    slots: isRecord(data.slots) ? (data.slots as Slots) : {},
    stack: Array.isArray(data.stack) ? (data.stack as StackFrame[]) : [],
    cart: Array.isArray(data.cart) ? (data.cart as CartLine[]) : [],
    phase: (data.phase ?? null) as JsonValue,
    screen: Array.isArray(data.screen) ? (data.screen as ScreenChoice[]) : [],
  };
}
