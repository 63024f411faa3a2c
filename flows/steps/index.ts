import type { Step, StepType } from "../ir.ts";
import { ask } from "./ask.ts";
import { book, bookings } from "./book.ts";
import { action, branch, end, say } from "./basic.ts";
import { cartAdd, cartReview } from "./cart.ts";
import { catalog } from "./catalog.ts";
import { options, quantity } from "./item-questions.ts";
import { checkout, pay } from "./checkout.ts";
import type { StepHandler } from "./types.ts";

type Handlers = { readonly [T in StepType]: StepHandler<Extract<Step, { type: T }>> };

const handlers: Handlers = {
  say,
  ask,
  catalog,
  quantity,
  options,
  cart_add: cartAdd,
  cart_review: cartReview,
  checkout,
  pay,
  book,
  bookings,
  branch,
  action,
  end,
};

/** The handler of a step, typed to that step. */
export function handlerOf<S extends Step>(step: S): StepHandler<S> {
  return handlers[step.type] as unknown as StepHandler<S>;
}

export { pick } from "./types.ts";
export type { Input, StepHandler } from "./types.ts";
