import type { Step } from "../ir.ts";
import { matchChoice, type ScreenChoice } from "../match.ts";
import type { Transition, Turn } from "../turn.ts";

/** A customer's input to a waiting step. */
export type Input = { readonly kind: "text"; readonly text: string } | { readonly kind: "postback"; readonly payload: string };

/**
 * How one step type behaves. `enter` runs when the flow arrives at the step
 * (effects, then a prompt); `prompt` re-shows it without effects (after help);
 * `receive` handles the customer's input while the step waits.
 */
export interface StepHandler<S extends Step> {
  enter(turn: Turn, step: S): Promise<Transition>;
  prompt?(turn: Turn, step: S): Promise<void>;
  receive?(turn: Turn, step: S, input: Input): Promise<Transition>;
}

export function inputText(input: Input): string {
  return input.kind === "text" ? input.text : input.payload;
}

/** The on-screen choice the input picks, if any. */
export function pick(input: Input, choices: readonly ScreenChoice[]): ScreenChoice | undefined {
  return matchChoice(choices, inputText(input));
}
