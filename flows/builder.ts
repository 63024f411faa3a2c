import type {
  ActionStep,
  AskChoiceStep,
  AskConfirmStep,
  AskLocationStep,
  AskNumberStep,
  AskPhoneStep,
  AskTextStep,
  BookStep,
  BranchStep,
  CartReviewStep,
  CatalogStep,
  CheckoutStep,
  ChoiceOption,
  Flow,
  OptionsStep,
  QuantityStep,
  Step,
  StepId,
  Text,
} from "./ir.ts";
import { DEFAULT_MAX_LINE_QUANTITY, DEFAULT_QUANTITY, DEFAULT_SLOTS } from "./defaults.ts";

type Options<S extends Step> = Omit<S, "id" | "type" | "input">;
type Defaulted<S extends Step, K extends keyof Options<S>> = Omit<Options<S>, K> & Partial<Pick<Options<S>, K>>;

/**
 * Writes a flow in TypeScript, step by step, in order. Each step goes to the
 * one written after it unless it says `next`. `defineBot` checks every target.
 *
 * @example
 * const order = flow("order", "1")
 *   .say("hello", "Welcome to Café Lumière!")
 *   .catalog("menu", { prompt: "What would you like?" })
 *   .quantity("qty", { prompt: "How many {{ slots.product | product }}?" })
 *   .options("opts")
 *   .addToCart("add")
 *   .confirm("more", { prompt: "Anything else?", slot: "more", yes: "menu", no: "review" })
 *   .cartReview("review", { checkout: "checkout", more: "menu" })
 *   .checkout("checkout", { back: "review" })
 *   .pay("pay")
 *   .end("done", "See you soon!")
 *   .build();
 */
export class FlowBuilder {
  readonly #steps: Step[] = [];

  constructor(
    readonly id: string,
    readonly version: string,
  ) {}

  #add(step: Step): this {
    this.#steps.push(step);
    return this;
  }

  say(id: StepId, text: Text, next?: StepId): this {
    return this.#add({ id, type: "say", text, ...(next === undefined ? {} : { next }) });
  }

  askText(id: StepId, options: Options<AskTextStep>): this {
    return this.#add({ id, type: "ask", input: "text", ...options });
  }

  askNumber(id: StepId, options: Options<AskNumberStep>): this {
    return this.#add({ id, type: "ask", input: "number", ...options });
  }

  choice(id: StepId, options: Omit<Options<AskChoiceStep>, "choices"> & { choices: ReadonlyArray<ChoiceOption | string> }): this {
    const choices = options.choices.map((c) => (typeof c === "string" ? { label: c, value: c } : c));
    return this.#add({ id, type: "ask", input: "choice", ...options, choices });
  }

  confirm(id: StepId, options: Options<AskConfirmStep>): this {
    return this.#add({ id, type: "ask", input: "confirm", ...options });
  }

  /**
   * Ask for the customer's phone number, typed or shared (see AskPhoneStep).
   *
   * @example
   * flow("book").askPhone("phone", { prompt: "Which number can we text if your stylist runs late?", slot: "phone" })
   */
  askPhone(id: StepId, options: Options<AskPhoneStep>): this {
    return this.#add({ id, type: "ask", input: "phone", ...options });
  }

  /**
   * Ask where the customer is: a shared location or a typed address (see AskLocationStep).
   *
   * @example
   * flow("delivery").askLocation("where", { prompt: "Where should we deliver?", slot: "where" })
   */
  askLocation(id: StepId, options: Options<AskLocationStep>): this {
    return this.#add({ id, type: "ask", input: "location", ...options });
  }

  catalog(id: StepId, options: Defaulted<CatalogStep, "slot">): this {
    return this.#add({ id, type: "catalog", slot: DEFAULT_SLOTS.product, ...options });
  }

  quantity(id: StepId, options: Defaulted<QuantityStep, "slot" | "productSlot" | "min" | "max">): this {
    return this.#add({
      id,
      type: "quantity",
      slot: DEFAULT_SLOTS.quantity,
      productSlot: DEFAULT_SLOTS.product,
      min: DEFAULT_QUANTITY.min,
      max: DEFAULT_QUANTITY.max,
      ...options,
    });
  }

  options(id: StepId, options: Partial<Options<OptionsStep>> = {}): this {
    return this.#add({ id, type: "options", slot: DEFAULT_SLOTS.options, productSlot: DEFAULT_SLOTS.product, ...options });
  }

  addToCart(id: StepId, next?: StepId): this {
    return this.#add({
      id,
      type: "cart_add",
      productSlot: DEFAULT_SLOTS.product,
      optionsSlot: DEFAULT_SLOTS.options,
      quantitySlot: DEFAULT_SLOTS.quantity,
      ...(next === undefined ? {} : { next }),
    });
  }

  cartReview(id: StepId, options: Defaulted<CartReviewStep, "maxQuantity">): this {
    return this.#add({ id, type: "cart_review", maxQuantity: DEFAULT_MAX_LINE_QUANTITY, ...options });
  }

  checkout(id: StepId, options: Options<CheckoutStep>): this {
    return this.#add({ id, type: "checkout", ...options });
  }

  pay(id: StepId, next?: StepId): this {
    return this.#add({ id, type: "pay", ...(next === undefined ? {} : { next }) });
  }

  /** Book an appointment from the bot's calendar (see BookStep). */
  book(id: StepId, options: Options<BookStep> = {}): this {
    return this.#add({ id, type: "book", ...options });
  }

  /** Show the customer's upcoming bookings. */
  bookings(id: StepId, next?: StepId): this {
    return this.#add({ id, type: "bookings", ...(next === undefined ? {} : { next }) });
  }

  branch(id: StepId, options: Options<BranchStep>): this {
    return this.#add({ id, type: "branch", ...options });
  }

  action(id: StepId, action: string, next?: StepId): this {
    const step: ActionStep = { id, type: "action", action, ...(next === undefined ? {} : { next }) };
    return this.#add(step);
  }

  end(id: StepId, text?: Text): this {
    return this.#add({ id, type: "end", ...(text === undefined ? {} : { text }) });
  }

  build(): Flow {
    return { id: this.id, version: this.version, steps: [...this.#steps] };
  }
}

/** Starts a flow written in TypeScript. See {@link FlowBuilder}. */
export function flow(id: string, version = "1"): FlowBuilder {
  return new FlowBuilder(id, version);
}
