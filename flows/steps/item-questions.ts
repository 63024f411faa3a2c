/**
 * The questions about the item being chosen: how many, and each of its
 * option groups. A sentence answering either may say more ("2 lattes,
 * large"), or name other items instead ("2 lattes and a croissant" at "How
 * many croissants?"), which start as if typed at the menu.
 */
import { MAX_LINE_QUANTITY, quantityInCart, type OptionGroup, type Product } from "../../commerce/index.ts";
import type { JsonValue, OptionsStep, QuantityStep } from "../ir.ts";
import { allNames } from "../locale.ts";
import type { ScreenChoice } from "../match.ts";
import { goto, WAIT, type Transition, type Turn } from "../turn.ts";
import { readOptionChoice, readQuantity, type UnderstoodItem } from "../understand/index.ts";
import { available } from "./catalog.ts";
import { namedItems, startNamed } from "./more-items.ts";
import { parseNumber } from "./numbers.ts";
import { inputText, pick, type Input, type StepHandler } from "./types.ts";
import { forgetItems, takeOptions, takeQuantity } from "./understood.ts";

function productIn(turn: Turn, slot: string): Product {
  const id = turn.state.slots[slot];
  return turn.catalog.product(typeof id === "string" ? id : "");
}

/** The quantity said for the product asked about: "2 croissants" is 2, "2 croissants and 1 more" 3; none when one of them says none. */
function saidQuantity(items: readonly UnderstoodItem[]): number | undefined {
  if (items.length === 0 || items.some((item) => item.quantity === undefined)) return undefined;
  return items.reduce((sum, item) => sum + (item.quantity ?? 0), 0);
}

/** Takes `value` as the quantity of the product chosen, or says why not and asks again. */
async function acceptQuantity(turn: Turn, step: QuantityStep, value: number | undefined): Promise<Transition> {
  const { texts } = turn;
  if (value === undefined || !Number.isInteger(value) || value < step.min || value > step.max) {
    turn.refuse();
    turn.say(texts.numberRange(step.min, step.max));
    turn.ask(await turn.render(step.prompt));
    return WAIT;
  }
  const product = productIn(turn, step.productSlot);
  const inCart = quantityInCart(turn.state.cart, product.id);
  if (inCart + value > MAX_LINE_QUANTITY) {
    turn.refuse();
    turn.say(texts.numberRange(step.min, Math.max(step.min, MAX_LINE_QUANTITY - inCart)));
    turn.ask(await turn.render(step.prompt));
    return WAIT;
  }
  const left = await available(turn, product.id);
  if (left !== null && value > left) {
    turn.refuse();
    const name = turn.localName(product.name, product);
    turn.say(left === 0 ? texts.soldOutProduct(name) : texts.onlyLeft(left, name));
    if (left === 0) {
      forgetItems(turn);
      return goto(turn.bot.menuStep);
    }
    turn.ask(await turn.render(step.prompt));
    return WAIT;
  }
  turn.state.slots[step.slot] = value;
  return goto(turn.nextOf(step));
}

export const quantity: StepHandler<QuantityStep> = {
  async enter(turn, step) {
    // "2 lattes": the quantity was said with the product.
    const said = takeQuantity(turn, productIn(turn, step.productSlot).id);
    if (said !== undefined) return acceptQuantity(turn, step, said);
    turn.ask(await turn.render(step.prompt));
    return WAIT;
  },
  async prompt(turn, step) {
    turn.ask(await turn.render(step.prompt));
  },
  async receive(turn, step, input) {
    const text = inputText(input);
    const value = parseNumber(text) ?? readQuantity(text, turn.state.locale);
    if (value !== undefined) return acceptQuantity(turn, step, value);
    const items = namedItems(turn, input);
    const current = productIn(turn, step.productSlot).id;
    // "2 croissants" at "How many croissants?" answers it; "2 lattes and a croissant" names those items, as typed at the menu.
    if (items.length === 0 || items.every((item) => item.productId === current)) return acceptQuantity(turn, step, saidQuantity(items));
    return startNamed(turn, items);
  },
};

function groupChoices(turn: Turn, product: Product, group: OptionGroup): ScreenChoice[] {
  const currency = turn.catalog.currencyOf(product.id);
  return group.choices.map((c) => {
    const label = turn.localName(c.label, c);
    return {
      label: c.priceDelta === 0 ? label : `${label} (${c.priceDelta > 0 ? "+" : "−"}${turn.money(Math.abs(c.priceDelta), currency)})`,
      payload: `option:${group.id}:${c.id}`,
      aliases: [...allNames(c.label, c), c.id],
    };
  });
}

function currentGroup(turn: Turn, step: OptionsStep): { product: Product; index: number; group: OptionGroup | undefined } {
  const product = productIn(turn, step.productSlot);
  const phase = turn.state.phase;
  const index = phase && typeof phase === "object" && !Array.isArray(phase) && typeof phase.group === "number" ? phase.group : 0;
  return { product, index, group: product.options?.[index] };
}

function askGroup(turn: Turn, product: Product, group: OptionGroup): void {
  turn.ask(turn.texts.optionPrompt(turn.localName(group.label, group), turn.localName(product.name, product)), groupChoices(turn, product, group));
}

/** The options chosen so far for the product (group id → choice id). */
function chosenOptions(turn: Turn, step: OptionsStep): Record<string, JsonValue> {
  const chosen = turn.state.slots[step.slot];
  return chosen && typeof chosen === "object" && !Array.isArray(chosen) ? chosen : {};
}

/** Asks the first option group from `index` on that has no choice yet; moves on when every group has one. */
function askFrom(turn: Turn, step: OptionsStep, product: Product, index: number): Transition {
  const chosen = chosenOptions(turn, step);
  const groups = product.options ?? [];
  for (let i = index; i < groups.length; i++) {
    const group = groups[i];
    if (!group || chosen[group.id] !== undefined) continue;
    turn.state.phase = { group: i };
    askGroup(turn, product, group);
    return WAIT;
  }
  turn.state.phase = null;
  return goto(turn.nextOf(step));
}

export const options: StepHandler<OptionsStep> = {
  async enter(turn, step) {
    const product = productIn(turn, step.productSlot);
    // A sentence named the product: the options it said, and each group's default for the rest ("2 lattes" is 2 × Latte (M)).
    const said = takeOptions(turn, product.id);
    const chosen: Record<string, JsonValue> = {};
    if (said) {
      for (const group of product.options ?? []) {
        const choice = said[group.id] ?? group.default;
        if (choice !== undefined && group.choices.some((c) => c.id === choice)) chosen[group.id] = choice;
      }
    }
    turn.state.slots[step.slot] = chosen;
    return askFrom(turn, step, product, 0);
  },
  async prompt(turn, step) {
    const { product, group } = currentGroup(turn, step);
    if (group) askGroup(turn, product, group);
  },
  async receive(turn, step, input: Input) {
    const { product, index, group } = currentGroup(turn, step);
    if (!group) return goto(turn.nextOf(step));
    const picked = pick(input, groupChoices(turn, product, group))?.payload.split(":")[2];
    // "actually a large latte" at the cappuccino's size: the latte, not a large cappuccino.
    const items = picked === undefined ? namedItems(turn, input) : [];
    if (items.some((item) => item.productId !== product.id)) return startNamed(turn, items);
    // "large", "a large one please", "大杯".
    const choice = picked ?? (input.kind === "text" ? readOptionChoice(input.text, group, turn.state.locale) : undefined);
    if (choice === undefined) {
      turn.refuse();
      turn.say(turn.texts.chooseOne);
      askGroup(turn, product, group);
      return WAIT;
    }
    turn.state.slots[step.slot] = { ...chosenOptions(turn, step), [group.id]: choice };
    return askFrom(turn, step, product, index + 1);
  },
};
