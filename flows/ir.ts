/**
 * The flow IR: what a flow is, whichever way it was written. Plain data except
 * for texts, which may be functions of the conversation when written in TS.
 */
import type { LocalizedText } from "./locale.ts";

export type StepId = string;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type Slots = Record<string, JsonValue>;

/** What a text function may read. */
export interface TextView {
  readonly slots: Readonly<Slots>;
  readonly locale: string;
  /** Formats minor units in the bot's currency and the customer's locale. */
  money(amount: number): string;
  /** The name of a catalog product, by id. */
  productName(id: string): string;
}

/**
 * What the bot says. A string containing `{{` or `{%` is a Liquid template
 * over the conversation (slots, cart, order, customer, bot) with the filters
 * money, date, time and product; validation checks every slot it reads is
 * set on the way to its step. A map of locale → string is the same text in
 * several languages (`{ en: "Hi", fr: "Salut" }`), each variant a template;
 * the customer reads their locale's, else its language's, else the bot's
 * default. A function is for what a template cannot say.
 */
export type Text = string | LocalizedText | ((view: TextView) => string);

export interface ChoiceOption {
  /** What the button says: one label, or one per locale. */
  readonly label: string | LocalizedText;
  readonly value: string;
  /** Other words that pick this choice ("oui", "yep"). */
  readonly aliases?: readonly string[];
}

/** A data condition over slots, so flows stay serializable (YAML later). */
export interface Condition {
  readonly slot: string;
  readonly equals?: JsonValue;
  readonly notEquals?: JsonValue;
  readonly min?: number;
  readonly max?: number;
  readonly exists?: boolean;
}

interface StepBase {
  readonly id: StepId;
  /** Where to go when the step is done; defaults to the step written after it. */
  readonly next?: StepId;
}

export interface SayStep extends StepBase {
  readonly type: "say";
  readonly text: Text;
}

export interface AskTextStep extends StepBase {
  readonly type: "ask";
  readonly input: "text";
  readonly prompt: Text;
  readonly slot: string;
  readonly maxLength?: number;
}

export interface AskNumberStep extends StepBase {
  readonly type: "ask";
  readonly input: "number";
  readonly prompt: Text;
  readonly slot: string;
  readonly min?: number;
  readonly max?: number;
  /** Accept decimals; whole numbers only by default. */
  readonly decimals?: boolean;
  readonly retry?: Text;
}

export interface AskChoiceStep extends StepBase {
  readonly type: "ask";
  readonly input: "choice";
  readonly prompt: Text;
  readonly slot: string;
  readonly choices: readonly ChoiceOption[];
  /** Per-value targets; values not listed go to `next`. */
  readonly routes?: Readonly<Record<string, StepId>>;
  readonly retry?: Text;
}

export interface AskConfirmStep extends StepBase {
  readonly type: "ask";
  readonly input: "confirm";
  readonly prompt: Text;
  readonly slot: string;
  readonly yes?: StepId;
  readonly no?: StepId;
  readonly retry?: Text;
}

/**
 * Ask for a phone number: typed (international digits, `+` or `00` and
 * separators, 7 to 15 digits as E.164 allows) or shared from the
 * customer's own contact where the channel has a button for it (Telegram).
 * The slot holds the number without separators: "+33612345678", or the
 * digits as typed when no country code was given ("0612345678").
 */
export interface AskPhoneStep extends StepBase {
  readonly type: "ask";
  readonly input: "phone";
  readonly prompt: Text;
  readonly slot: string;
  /** What the share button says; a built-in label when absent. */
  readonly button?: Text;
  readonly retry?: Text;
}

/**
 * Ask where the customer is: a location shared where the channel has a
 * button for it (Telegram), stored as `{ latitude, longitude }`, or an
 * address typed in (3 to 200 characters), stored as `{ address }`.
 */
export interface AskLocationStep extends StepBase {
  readonly type: "ask";
  readonly input: "location";
  readonly prompt: Text;
  readonly slot: string;
  /** What the share button says; a built-in label when absent. */
  readonly button?: Text;
  readonly retry?: Text;
}

export type AskStep = AskTextStep | AskNumberStep | AskChoiceStep | AskConfirmStep | AskPhoneStep | AskLocationStep;

/** Browse categories and product cards; stores the picked product id in `slot`. */
export interface CatalogStep extends StepBase {
  readonly type: "catalog";
  readonly prompt: Text;
  readonly slot: string;
  /**
   * Whether typed sentences are read as items of the catalog ("2 lattes and
   * a croissant", see flows/understand): on unless false, when only buttons
   * and product names are taken.
   */
  readonly understand?: boolean;
}

/** Ask how many of the product in `productSlot`, within min..max and the stock left. */
export interface QuantityStep extends StepBase {
  readonly type: "quantity";
  readonly prompt: Text;
  readonly slot: string;
  readonly productSlot: string;
  readonly min: number;
  readonly max: number;
}

/** Ask each option group of the product in `productSlot`; stores `{group: choice}` in `slot`. */
export interface OptionsStep extends StepBase {
  readonly type: "options";
  readonly slot: string;
  readonly productSlot: string;
}

/** Add the product, options and quantity from slots to the cart. */
export interface CartAddStep extends StepBase {
  readonly type: "cart_add";
  readonly productSlot: string;
  readonly optionsSlot: string;
  readonly quantitySlot: string;
}

/** Show the cart with its total; the customer may change, remove, add more or check out. */
export interface CartReviewStep extends StepBase {
  readonly type: "cart_review";
  readonly checkout: StepId;
  readonly more: StepId;
  /** Max units a line may be changed to. */
  readonly maxQuantity: number;
}

/** Turn the cart into an order awaiting payment, reserving stock. */
export interface CheckoutStep extends StepBase {
  readonly type: "checkout";
  /** Where to go when stock ran out meanwhile or the cart is empty. */
  readonly back: StepId;
}

/** Send the invoice of the order in slot `order` and wait for its payment. */
export interface PayStep extends StepBase {
  readonly type: "pay";
}

/**
 * A case's test: a data condition on one slot, or a CEL expression over the
 * conversation, e.g. "slots.age >= 65 && cart.total > 1000".
 */
export type When = Condition | string;

/**
 * Book an appointment from the bot's calendar: service, then stylist (or
 * any), day (buttons for the next open days, or typed: "friday", "12/03",
 * "demain"), time, a summary to confirm, then a hold on the slot. The
 * booking's id goes to slot `booking`; when the service takes a deposit, the
 * order paying it goes to slot `order` for a `pay` step to collect, and the
 * hold expires unpaid after the policy's minutes. Rescheduling from "my
 * bookings" or a reminder comes back through this step.
 */
export interface BookStep extends StepBase {
  readonly type: "book";
  /** Asks for the service; a built-in question when absent. */
  readonly prompt?: Text;
  /** Open days offered as buttons. */
  readonly days?: number;
  /** How many days ahead a customer may book. */
  readonly horizonDays?: number;
  /**
   * Read typed sentences against the calendar ("a haircut with Ana tomorrow
   * at 10", "afternoon", "any"); on unless false, when only buttons, a day
   * or a time typed alone are taken.
   */
  readonly understand?: boolean;
}

/** Show the customer's upcoming bookings, each with cancel and reschedule buttons, then go on. */
export interface BookingsStep extends StepBase {
  readonly type: "bookings";
}

export interface BranchStep extends StepBase {
  readonly type: "branch";
  readonly cases: ReadonlyArray<{ readonly when: When; readonly goto: StepId }>;
  readonly otherwise: StepId;
}

/** Run a named TypeScript action registered on the bot. */
export interface ActionStep extends StepBase {
  readonly type: "action";
  readonly action: string;
}

export interface EndStep {
  readonly id: StepId;
  readonly type: "end";
  readonly text?: Text;
}

export type Step =
  | SayStep
  | AskStep
  | CatalogStep
  | QuantityStep
  | OptionsStep
  | CartAddStep
  | CartReviewStep
  | CheckoutStep
  | PayStep
  | BookStep
  | BookingsStep
  | BranchStep
  | ActionStep
  | EndStep;

export type StepType = Step["type"];

export interface Flow {
  readonly id: string;
  /** A conversation keeps the version it started with. */
  readonly version: string;
  /** In order: the first is where the flow starts, and a step's default next is the one after it. */
  readonly steps: readonly Step[];
}
