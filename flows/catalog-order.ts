import { addLine, fitsCartCurrency, CommerceError, type Cart } from "../commerce/index.ts";
import type { Step } from "./ir.ts";
import type { Turn } from "./turn.ts";

/**
 * An order a customer put together in a channel's own cart (a WhatsApp
 * catalog order): products and quantities only. Whatever prices the channel
 * showed are not part of it: the cart is priced from the bot's catalog.
 */
export interface CatalogOrderItem {
  readonly productId: string;
  readonly quantity: number;
}

function reviewStep(steps: Iterable<Step>): Step | undefined {
  for (const step of steps) if (step.type === "cart_review") return step;
  return undefined;
}

/**
 * Puts the items into the customer's cart (default options, no more than
 * the stock left or the review step's line limit; unknown products are left
 * out) and goes to the flow's cart review, where the customer places the
 * order as with any cart. The review step is looked for in the flow the
 * conversation is in, then in the bot's main flow.
 */
export async function receiveCatalogOrder(turn: Turn, items: readonly CatalogOrderItem[]): Promise<{ readonly goto: string; readonly main: boolean } | undefined> {
  const catalog = turn.bot.catalog;
  const current = turn.findFlow();
  const inCurrent = current ? reviewStep(current.steps.values()) : undefined;
  const review = inCurrent ?? reviewStep(turn.bot.main.steps.values());
  if (!catalog || !review || review.type !== "cart_review") {
    turn.say(turn.texts.notUnderstood);
    return undefined;
  }
  let cart: Cart = turn.state.cart;
  for (const item of items) {
    const product = catalog.findProduct(item.productId);
    if (!product || !catalog.offeredOn(product, turn.address.channel) || !fitsCartCurrency(catalog, cart, product.id)) continue;
    const name = turn.localName(product.name, product);
    const inCart = cart.filter((l) => l.productId === product.id).reduce((n, l) => n + l.quantity, 0);
    const left = await turn.tx.stockLeft(turn.bot.id, product.id);
    const room = Math.min(review.maxQuantity, left === null ? Number.POSITIVE_INFINITY : left - inCart);
    const quantity = Math.min(item.quantity, room);
    if (quantity < 1) {
      turn.say(turn.texts.soldOutProduct(name));
      continue;
    }
    if (quantity < item.quantity) turn.say(turn.texts.onlyLeft(quantity, name));
    try {
      cart = addLine(catalog, cart, { productId: product.id, options: {}, quantity });
    } catch (error) {
      // A product whose options have no default cannot be taken from a catalog order.
      if (!(error instanceof CommerceError)) throw error;
    }
  }
  turn.state.cart = [...cart];
  turn.state.phase = null;
  return { goto: review.id, main: inCurrent === undefined };
}
