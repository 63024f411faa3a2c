import type { JsonValue, Step } from "../ir.ts";
import { matchChoice, type ScreenChoice } from "../match.ts";
import type { Transition, Turn } from "../turn.ts";

/**
 * A customer's input to a waiting step: typed text, a button's payload, a
 * contact shared from the channel's own button (`own` when it is the
 * customer's own number, not someone else's card), or a location shared
 * from the device.
 */
export type Input =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "postback"; readonly payload: string }
  | { readonly kind: "contact"; readonly phone: string; readonly own: boolean }
  | { readonly kind: "location"; readonly latitude: number; readonly longitude: number };

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

/**
 * The input as text: what was typed, or a button's payload. A shared
 * contact or location is no text: a step other than a phone or location
 * question reads it as nothing said, so a number shared at "How many?" is
 * not taken for a quantity.
 */
export function inputText(input: Input): string {
  switch (input.kind) {
    case "text":
      return input.text;
    case "postback":
      return input.payload;
    case "contact":
    case "location":
      return "";
  }
}

/** The on-screen choice the input picks, if any. */
export function pick(input: Input, choices: readonly ScreenChoice[]): ScreenChoice | undefined {
  return matchChoice(choices, inputText(input));
}

/** A JSON object (not an array, not null), as a slot may hold one. */
export function isJsonObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
