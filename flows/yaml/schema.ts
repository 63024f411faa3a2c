/**
 * The schema of a flow file (YAML or JSON): the single source for what a file
 * may say, the defaults it gets, and the JSON Schema editors read
 * (flows/schema.json, written by generate-schema.ts).
 */
import { z } from "zod";
import type { JsonValue } from "../ir.ts";
import { DEFAULT_BOOK, DEFAULT_MAX_LINE_QUANTITY, DEFAULT_QUANTITY, DEFAULT_SLOTS } from "../defaults.ts";
import { MAX_EXPRESSION_LENGTH } from "../expression.ts";

const stepId = z.string().min(1).describe("The id of a step in this flow.");
const oneText = z.string();
const localeTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: "is not a locale; write a language tag such as en, fr or zh-CN" })
  .describe("A BCP 47 locale: en, fr, zh-CN.");
const translations = z.record(localeTag, oneText).meta({ id: "Translations", description: "The same text per locale: { en: Hello, fr: Bonjour }." });
const text = z
  .union([oneText, translations])
  .describe(
    "What the bot says: one text, or one per locale ({ en: …, fr: … }). {{ … }} placeholders read slots, cart, order, customer and bot, with the filters money, date, time and product: How many {{ slots.product | product }}?",
  );
const slot = z.string().min(1).describe("The slot the answer is stored in.");
const next = stepId.optional().describe("Where to go when this step is done; defaults to the step written after it.");
const retry = text.optional().describe("Said before asking again when the answer is not valid.");

const jsonValue: z.ZodType<JsonValue> = z
  .lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]))
  .meta({ id: "JsonValue", description: "Any JSON value." });

const say = z
  .object({ id: stepId, type: z.literal("say"), text, next })
  .strict()
  .describe("Send a message and go on.");

const askText = z
  .object({
    id: stepId,
    type: z.literal("ask"),
    input: z.literal("text"),
    prompt: text,
    slot,
    maxLength: z.int().positive().optional().describe("Longest answer accepted; 500 by default."),
    next,
  })
  .strict();

const askNumber = z
  .object({
    id: stepId,
    type: z.literal("ask"),
    input: z.literal("number"),
    prompt: text,
    slot,
    min: z.number().optional(),
    max: z.number().optional(),
    decimals: z.boolean().optional().describe("Accept decimals; whole numbers only by default."),
    retry,
    next,
  })
  .strict();

const choiceOption = z
  .object({
    label: z.union([z.string().min(1), translations]).describe("What the button says: one label, or one per locale."),
    value: z.string().min(1).describe("What is stored in the slot."),
    aliases: z.array(z.string().min(1)).optional().describe("Other words that pick this choice."),
  })
  .strict();

const askChoice = z
  .object({
    id: stepId,
    type: z.literal("ask"),
    input: z.literal("choice"),
    prompt: text,
    slot,
    choices: z.array(choiceOption),
    routes: z.record(z.string(), stepId).optional().describe("Per choice value, the step to go to; other values go to next."),
    retry,
    next,
  })
  .strict();

const askConfirm = z
  .object({
    id: stepId,
    type: z.literal("ask"),
    input: z.literal("confirm"),
    prompt: text,
    slot,
    yes: stepId.optional().describe("Where a yes goes; defaults to next."),
    no: stepId.optional().describe("Where a no goes; defaults to next."),
    retry,
    next,
  })
  .strict();

const shareButton = text.optional().describe("What the share button says where the channel has one (Telegram); a built-in label when absent.");

const askPhone = z
  .object({
    id: stepId,
    type: z.literal("ask"),
    input: z.literal("phone"),
    prompt: text,
    slot: slot.describe("The slot the number is stored in, without separators: +33612345678."),
    button: shareButton,
    retry,
    next,
  })
  .strict()
  .describe("Ask for a phone number: typed (7 to 15 digits, + or 00 and a country code) or the customer's own contact shared with a button.");

const askLocation = z
  .object({
    id: stepId,
    type: z.literal("ask"),
    input: z.literal("location"),
    prompt: text,
    slot: slot.describe("The slot the answer is stored in: { latitude, longitude } when shared, { address } when typed."),
    button: shareButton,
    retry,
    next,
  })
  .strict()
  .describe("Ask where the customer is: a location shared with a button, or an address typed in (3 to 200 characters).");

const ask = z.discriminatedUnion("input", [askText, askNumber, askChoice, askConfirm, askPhone, askLocation]).describe("Ask a question and store the answer in a slot.");

const catalog = z
  .object({
    id: stepId,
    type: z.literal("catalog"),
    prompt: text,
    slot: slot.default(DEFAULT_SLOTS.product),
    understand: z
      .boolean()
      .optional()
      .describe("Read typed sentences as items of the catalog (\"2 lattes and a croissant\"); on unless false, when only buttons and product names are taken."),
    next,
  })
  .strict()
  .describe("Browse categories and products, or type what you want; stores the product id picked.");

const quantity = z
  .object({
    id: stepId,
    type: z.literal("quantity"),
    prompt: text,
    slot: slot.default(DEFAULT_SLOTS.quantity),
    productSlot: slot.default(DEFAULT_SLOTS.product).describe("The slot holding the product to count."),
    min: z.int().default(DEFAULT_QUANTITY.min),
    max: z.int().default(DEFAULT_QUANTITY.max),
    next,
  })
  .strict()
  .describe("Ask how many of a product, within min..max and the stock left.");

const options = z
  .object({
    id: stepId,
    type: z.literal("options"),
    slot: slot.default(DEFAULT_SLOTS.options),
    productSlot: slot.default(DEFAULT_SLOTS.product),
    next,
  })
  .strict()
  .describe("Ask each option group of a product (size, milk…).");

const cartAdd = z
  .object({
    id: stepId,
    type: z.literal("cart_add"),
    productSlot: slot.default(DEFAULT_SLOTS.product),
    optionsSlot: slot.default(DEFAULT_SLOTS.options),
    quantitySlot: slot.default(DEFAULT_SLOTS.quantity),
    next,
  })
  .strict()
  .describe("Add the product, options and quantity in those slots to the cart.");

const cartReview = z
  .object({
    id: stepId,
    type: z.literal("cart_review"),
    checkout: stepId.describe("Where 'Place order' goes."),
    more: stepId.describe("Where 'Add more' goes."),
    maxQuantity: z.int().positive().default(DEFAULT_MAX_LINE_QUANTITY).describe("Most units a line may be changed to."),
  })
  .strict()
  .describe("Show the cart; the customer may change, remove, add more or check out.");

const checkout = z
  .object({
    id: stepId,
    type: z.literal("checkout"),
    back: stepId.describe("Where to go when the cart is empty or stock ran out."),
    next,
  })
  .strict()
  .describe("Turn the cart into an order awaiting payment, reserving stock.");

const pay = z.object({ id: stepId, type: z.literal("pay"), next }).strict().describe("Send the invoice and wait for its payment.");

const book = z
  .object({
    id: stepId,
    type: z.literal("book"),
    prompt: text.optional().describe("Asks for the service; a built-in question when absent."),
    days: z.int().positive().max(10).default(DEFAULT_BOOK.days).describe("Open days offered as buttons."),
    horizonDays: z.int().positive().max(366).default(DEFAULT_BOOK.horizonDays).describe("How many days ahead a customer may book."),
    understand: z
      .boolean()
      .optional()
      .describe("Read typed sentences against the calendar (\"a haircut with Ana tomorrow at 10\", \"afternoon\", \"any\"); on unless false, when only buttons and a day or time typed alone are taken."),
    next,
  })
  .strict()
  .describe(
    "Book an appointment from the bot's calendar: service, stylist or any, day (buttons or typed), time, summary, then a hold. The booking goes to slot 'booking'; a deposit due goes to slot 'order' for a pay step.",
  );

const bookings = z
  .object({ id: stepId, type: z.literal("bookings"), next })
  .strict()
  .describe("Show the customer's upcoming bookings, each with cancel and reschedule buttons, then go on.");

const condition = z
  .object({
    slot,
    equals: jsonValue.optional(),
    notEquals: jsonValue.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    exists: z.boolean().optional(),
  })
  .strict()
  .describe("Holds when every test given holds for the slot's value.");

const expression = z
  .string()
  .min(1)
  .max(MAX_EXPRESSION_LENGTH)
  .describe("A CEL expression over slots, cart, order, customer and bot that is true or false: slots.age >= 65 && cart.total > 1000");

const branch = z
  .object({
    id: stepId,
    type: z.literal("branch"),
    cases: z.array(z.object({ when: z.union([expression, condition]), goto: stepId }).strict()).describe("Tried in order; the first that holds is taken."),
    otherwise: stepId,
  })
  .strict()
  .describe("Go to the first case whose condition holds.");

const action = z
  .object({ id: stepId, type: z.literal("action"), action: z.string().min(1).describe("The name of an action registered on the bot."), next })
  .strict()
  .describe("Run a named TypeScript action registered on the bot.");

const end = z.object({ id: stepId, type: z.literal("end"), text: text.optional() }).strict().describe("End the flow.");

export const stepSchema = z.discriminatedUnion("type", [say, ask, catalog, quantity, options, cartAdd, cartReview, checkout, pay, book, bookings, branch, action, end]);

export const flowFileSchema = z
  .object({
    $schema: z.string().optional().describe("Where editors find this schema; ignored by Kiosk."),
    id: z.string().min(1).describe("The flow's id, unique in its bot."),
    version: z.string().min(1).describe("A conversation keeps the version it started with; change it when the flow changes."),
    steps: z.array(stepSchema).describe("In order: the first is where the flow starts."),
  })
  .strict()
  .meta({ title: "Kiosk flow", description: "A Kiosk conversational flow, written in YAML or JSON." });

export type FlowFile = z.output<typeof flowFileSchema>;

const stepObjects = [say, askText, askNumber, askChoice, askConfirm, askPhone, askLocation, catalog, quantity, options, cartAdd, cartReview, checkout, pay, book, bookings, branch, action, end];

/** The step types a file may use, in the order the docs list them. */
export const STEP_TYPES: readonly string[] = [...new Set(stepObjects.map((s) => s.shape.type.value))];

/** The inputs an `ask` step may use. */
export const ASK_INPUTS: readonly string[] = [askText, askNumber, askChoice, askConfirm, askPhone, askLocation].map((s) => s.shape.input.value);

/** The fields a step of `type` (and `input`, for ask) may have; undefined for an unknown type. */
export function stepFields(type: unknown, input?: unknown): readonly string[] | undefined {
  const found = stepObjects.find((s) => s.shape.type.value === type && (!("input" in s.shape) || s.shape.input.value === input));
  return found ? Object.keys(found.shape) : undefined;
}

export const FLOW_FIELDS: readonly string[] = Object.keys(flowFileSchema.shape);
export const CONDITION_FIELDS: readonly string[] = Object.keys(condition.shape);
export const CHOICE_FIELDS: readonly string[] = Object.keys(choiceOption.shape);
export const CASE_FIELDS: readonly string[] = ["when", "goto"];

/** flows/schema.json as written to disk: the JSON Schema of a flow file, for editors and CI. */
export function flowJsonSchema(): string {
  const schema = z.toJSONSchema(flowFileSchema, { io: "input", target: "draft-2020-12" });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
