/**
 * The cart line added last, the one a correction at "Anything else?"
 * changes ("make it large", "no, 3"). A line added that merged into an
 * earlier one is that earlier line, not the cart's last, so it is kept in a
 * reserved slot of the conversation, as the line's product and options:
 * taking other lines out does not move it, and a restart loses nothing.
 */
import { addLine, type Cart, type CartLine } from "../../commerce/index.ts";
import type { JsonValue } from "../ir.ts";
import type { Turn } from "../turn.ts";
import { isJsonObject } from "./types.ts";

/** The reserved slot: `{ product: <product id>, options: { <group id>: <choice id> } }`. */
export const LAST_LINE_SLOT = "_lastLine";


/** Whether `line` is the one the slot names: its product, and the very options (the cart keeps them canonical). */
function isRemembered(line: CartLine, remembered: { [key: string]: JsonValue }): boolean {
  const { product, options } = remembered;
  if (line.productId !== product || !isJsonObject(options)) return false;
  const keys = Object.keys(line.options);
  return keys.length === Object.keys(options).length && keys.every((k) => options[k] === line.options[k]);
}

/**
 * Puts `line` in the cart `cart` (merged into a line of the same product
 * and options, as addLine does) as the customer's cart, and remembers the
 * line it went to: its index. Throws what addLine throws, changing nothing.
 */
export function addRememberedLine(turn: Turn, cart: Cart, line: CartLine): number {
  const added = addLine(turn.catalog, cart, line);
  // addLine keeps the other lines as they were: the one added to is the first that is not.
  const at = added.findIndex((l, i) => l !== cart[i]);
  const landed = added[at];
  turn.state.cart = [...added];
  if (landed) turn.state.slots[LAST_LINE_SLOT] = { product: landed.productId, options: { ...landed.options } };
  return at;
}

/** The index of the line added last; the cart's last line when that one is gone or none was kept; -1 when the cart is empty. */
export function lastLineIndex(turn: Turn): number {
  const { cart } = turn.state;
  const remembered = turn.state.slots[LAST_LINE_SLOT];
  const at = isJsonObject(remembered) ? cart.findIndex((line) => isRemembered(line, remembered)) : -1;
  return at >= 0 ? at : cart.length - 1;
}
