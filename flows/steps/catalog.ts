import type { Card } from "../../core/message.ts";
import { fitsCartCurrency, quantityInCart, STARS, type Product } from "../../commerce/index.ts";
import type { CatalogStep } from "../ir.ts";
import { allNames } from "../locale.ts";
import { matchChoice, type ScreenChoice } from "../match.ts";
import { goto, WAIT, type Transition, type Turn } from "../turn.ts";
import { readOrder, type UnderstoodItem } from "../understand/index.ts";
import { inputText, pick, type StepHandler } from "./types.ts";
import { forgetItems, keepItems } from "./understood.ts";

const PRODUCT = "product:";
const CATEGORY = "category:";

/** Units the customer may still add: stock left minus what the cart already holds; null when untracked. */
export async function available(turn: Turn, productId: string): Promise<number | null> {
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

/** Every product offered on the customer's channel. */
export function offeredProducts(turn: Turn): Product[] {
  return offered(turn, turn.catalog.catalog.products);
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

/**
 * Starts the first of `items` (named in a sentence) that can be had, as if
 * its product had been chosen at catalog step `step`: the steps after it
 * take what the sentence said (see understood.ts). One that cannot (sold
 * out, another currency) is said so and skipped. Undefined when none could
 * start. Also how the items named after one start, once it is in the cart.
 */
export async function startItems(turn: Turn, step: CatalogStep, items: readonly UnderstoodItem[]): Promise<Transition | undefined> {
  for (let i = 0; i < items.length; i++) {
    const rest = items.slice(i);
    const [item] = rest;
    if (!item) break;
    keepItems(turn, step.id, rest);
    const started = await chooseProduct(turn, step, turn.catalog.product(item.productId));
    if (!("wait" in started)) return started;
  }
  forgetItems(turn);
  return undefined;
}

/** A product named in the customer's language, for "type what you'd like, e.g. …". */
function exampleProduct(turn: Turn): string {
  const product = offered(turn, turn.catalog.catalog.products)[0];
  return product ? turn.localName(product.name, product) : "";
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
      // A sentence: "2 lattes please", "a large latte and a croissant", "我要一个牛角面包".
      const reading = input.kind === "text" && step.understand !== false ? readOrder(input.text, turn.catalog, { locale: turn.state.locale, products: offeredProducts(turn) }) : undefined;
      if (reading && reading.items.length > 0) return (await startItems(turn, step, reading.items)) ?? WAIT;
      turn.refuse();
      // A stale button's payload is no customer's words: it is not quoted back.
      if (input.kind !== "text") {
        turn.say(turn.texts.chooseOne);
        return WAIT;
      }
      turn.say(turn.texts.notOnMenu(input.text.trim().slice(0, 60), exampleProduct(turn)));
      await catalog.prompt?.(turn, step);
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
    forgetItems(turn);
    return chooseProduct(turn, step, turn.catalog.product(choice.payload.slice(PRODUCT.length)));
  },
};
