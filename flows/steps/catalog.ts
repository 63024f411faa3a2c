import type { Card } from "../../core/message.ts";
import { fitsCartCurrency, MAX_LINE_QUANTITY, quantityInCart, STARS, type OptionGroup, type Product } from "../../commerce/index.ts";
import type { CatalogStep, JsonValue, OptionsStep, QuantityStep } from "../ir.ts";
import { allNames } from "../locale.ts";
import { matchChoice, type ScreenChoice } from "../match.ts";
import { goto, WAIT, type Transition, type Turn } from "../turn.ts";
import { parseNumber } from "./ask.ts";
import { inputText, pick, type Input, type StepHandler } from "./types.ts";

const PRODUCT = "product:";
const CATEGORY = "category:";

/** Units the customer may still add: stock left minus what the cart already holds; null when untracked. */
async function available(turn: Turn, productId: string): Promise<number | null> {
  const left = await turn.tx.stockLeft(turn.bot.id, productId);
  return left === null ? null : Math.max(0, left - quantityInCart(turn.state.cart, productId));
}

/** Labelled in the customer's language; typing the name in any of the bot's languages picks it. */
function productChoice(turn: Turn, product: Product): ScreenChoice {
  return { label: turn.localName(product.name, product), payload: PRODUCT + product.id, aliases: allNames(product.name, product) };
}

/** The products offered on the customer's channel (Telegram Stars products only on Telegram, say). */
function offered(turn: Turn, products: readonly Product[]): Product[] {
  return products.filter((p) => turn.catalog.offeredOn(p, turn.address.channel));
}

async function showCategories(turn: Turn, step: CatalogStep): Promise<void> {
  turn.state.phase = null;
  const categories = turn.catalog.catalog.categories.filter((c) => offered(turn, turn.catalog.productsIn(c.id)).length > 0);
  const choices = categories.map((c) => ({ label: turn.localName(c.name, c), payload: CATEGORY + c.id, aliases: allNames(c.name, c) }));
  turn.ask(await turn.render(step.prompt), choices);
}

async function showCategory(turn: Turn, categoryId: string): Promise<void> {
  const { texts, catalog } = turn;
  const category = catalog.catalog.categories.find((c) => c.id === categoryId);
  const products = offered(turn, catalog.productsIn(categoryId));
  const cards: Card[] = [];
  for (const product of products) {
    const soldOut = (await available(turn, product.id)) === 0;
    cards.push({
      title: turn.localName(product.name, product),
      ...(soldOut ? { subtitle: texts.soldOut } : product.description ? { subtitle: product.description } : {}),
      price: { amount: product.price, currency: catalog.currencyOf(product.id) },
      ...(soldOut ? {} : { buttons: [{ label: texts.add, payload: PRODUCT + product.id }] }),
      ...(product.image === undefined ? {} : { image: product.image }),
    });
  }
  turn.state.phase = { category: categoryId };
  turn.state.screen = [...products.map((p) => productChoice(turn, p)), { label: texts.back, payload: "back" }];
  turn.say({ text: category ? turn.localName(category.name, category) : categoryId, cards, buttons: [{ label: texts.back, payload: "back" }] });
}

async function chooseProduct(turn: Turn, step: CatalogStep, product: Product): Promise<Transition> {
  if ((await available(turn, product.id)) === 0) {
    turn.refuse();
    turn.say(turn.texts.soldOutProduct(turn.localName(product.name, product)));
    return WAIT;
  }
  if (!fitsCartCurrency(turn.catalog, turn.state.cart, product.id)) {
    turn.refuse();
    const name = turn.localName(product.name, product);
    turn.say(turn.texts.orderedAlone(name, currencyName(turn, turn.catalog.currencyOf(product.id))));
    return WAIT;
  }
  turn.state.slots[step.slot] = product.id;
  turn.state.phase = null;
  return goto(turn.nextOf(step));
}

function currencyName(turn: Turn, currency: string): string {
  if (currency === STARS) return turn.texts.telegramStars;
  return new Intl.DisplayNames([turn.state.locale], { type: "currency" }).of(currency) ?? currency;
}

export const catalog: StepHandler<CatalogStep> = {
  async enter(turn, step) {
    await showCategories(turn, step);
    return WAIT;
  },
  async prompt(turn, step) {
    const phase = turn.state.phase;
    if (phase && typeof phase === "object" && !Array.isArray(phase) && typeof phase.category === "string") {
      await showCategory(turn, phase.category);
    } else {
      await showCategories(turn, step);
    }
  },
  async receive(turn, step, input) {
    // What is on screen first, then any product by name: "latte" works from the category list too.
    const everyProduct = offered(turn, turn.catalog.catalog.products).map((p) => productChoice(turn, p));
    const choice = pick(input, turn.state.screen) ?? matchChoice(everyProduct, inputText(input));
    if (!choice) {
      turn.refuse();
      turn.say(turn.texts.chooseOne);
      return WAIT;
    }
    if (choice.payload === "back") {
      await showCategories(turn, step);
      return WAIT;
    }
    if (choice.payload.startsWith(CATEGORY)) {
      await showCategory(turn, choice.payload.slice(CATEGORY.length));
      return WAIT;
    }
    return chooseProduct(turn, step, turn.catalog.product(choice.payload.slice(PRODUCT.length)));
  },
};

function productIn(turn: Turn, slot: string): Product {
  const id = turn.state.slots[slot];
  return turn.catalog.product(typeof id === "string" ? id : "");
}

export const quantity: StepHandler<QuantityStep> = {
  async enter(turn, step) {
    turn.ask(await turn.render(step.prompt));
    return WAIT;
  },
  async prompt(turn, step) {
    turn.ask(await turn.render(step.prompt));
  },
  async receive(turn, step, input) {
    const value = parseNumber(inputText(input));
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
      if (left === 0) return goto(turn.bot.menuStep);
      turn.ask(await turn.render(step.prompt));
      return WAIT;
    }
    turn.state.slots[step.slot] = value;
    return goto(turn.nextOf(step));
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

export const options: StepHandler<OptionsStep> = {
  async enter(turn, step) {
    turn.state.slots[step.slot] = {};
    turn.state.phase = { group: 0 };
    const { product, group } = currentGroup(turn, step);
    if (!group) {
      turn.state.phase = null;
      return goto(turn.nextOf(step));
    }
    askGroup(turn, product, group);
    return WAIT;
  },
  async prompt(turn, step) {
    const { product, group } = currentGroup(turn, step);
    if (group) askGroup(turn, product, group);
  },
  async receive(turn, step, input: Input) {
    const { product, index, group } = currentGroup(turn, step);
    if (!group) return goto(turn.nextOf(step));
    const choice = pick(input, groupChoices(turn, product, group));
    if (!choice) {
      turn.refuse();
      turn.say(turn.texts.chooseOne);
      askGroup(turn, product, group);
      return WAIT;
    }
    const chosen = turn.state.slots[step.slot];
    const selected: Record<string, JsonValue> = chosen && typeof chosen === "object" && !Array.isArray(chosen) ? chosen : {};
    selected[group.id] = choice.payload.split(":")[2] ?? "";
    turn.state.slots[step.slot] = selected;
    const nextGroup = product.options?.[index + 1];
    if (nextGroup) {
      turn.state.phase = { group: index + 1 };
      askGroup(turn, product, nextGroup);
      return WAIT;
    }
    turn.state.phase = null;
    return goto(turn.nextOf(step));
  },
};
