/**
 * Corrections said where "Anything else?" was asked: "remove the
 * croissants", "actually make it large", "no, 3". They change the cart
 * through commerce's cart functions, which price it, and say the cart's new
 * total; the question is then asked again. Only where the step's "yes" goes
 * to a catalog step that reads sentences, as items named there are.
 */
import { CommerceError, MAX_LINE_QUANTITY, priceCart, removeLine, setLineQuantity, type Cart } from "../../commerce/index.ts";
import type { AskConfirmStep } from "../ir.ts";
import type { Turn } from "../turn.ts";
import { readCorrection } from "../understand/index.ts";
import { checkLineQuantity, describePricedLine } from "./cart.ts";
import { addRememberedLine, lastLineIndex } from "./last-line.ts";
import { sentenceCatalog } from "./more-items.ts";
import type { Input } from "./types.ts";

/** The cart's total as the customer reads it. */
function cartTotal(turn: Turn): string {
  const { total, currency } = priceCart(turn.catalog, turn.state.cart);
  return turn.money(total, currency);
}

/** Takes every line of `productId` out of the cart, or says the cart holds none and changes nothing. */
function removeProduct(turn: Turn, productId: string): void {
  const name = turn.productName(productId);
  const lines = turn.state.cart.flatMap((line, i) => (line.productId === productId ? [i] : []));
  if (lines.length === 0) {
    turn.refuse();
    turn.say(turn.texts.notInCart(name));
    return;
  }
  // From the end, so the indexes still to remove do not move.
  turn.state.cart = [...lines.reverse().reduce<Cart>((cart, i) => removeLine(cart, i), turn.state.cart)];
  turn.say(turn.texts.correctionRemoved(name, cartTotal(turn)));
}

/** Says line `line` as it now is, with the cart's new total. */
function sayChanged(turn: Turn, line: number): void {
  const priced = priceCart(turn.catalog, turn.state.cart);
  const changed = priced.lines[line];
  if (changed) turn.say(turn.texts.correctionChanged(describePricedLine(turn, changed, priced.currency), turn.money(priced.total, priced.currency)));
}

/** Gives line `last` (the line added last) another choice in one option group; it merges into a line already so made, as adding it would. */
function changeOption(turn: Turn, last: number, groupId: string, choiceId: string): void {
  const { cart } = turn.state;
  const line = cart[last];
  if (!line) return;
  let changed: number;
  try {
    changed = addRememberedLine(turn, removeLine(cart, last), { ...line, options: { ...line.options, [groupId]: choiceId } });
  } catch (error) {
    // Merged into a line of the same choices, it would hold more than a line may.
    if (!(error instanceof CommerceError) || error.code !== "invalid_quantity") throw error;
    turn.refuse();
    turn.say(turn.texts.numberRange(1, MAX_LINE_QUANTITY));
    return;
  }
  sayChanged(turn, changed);
}

/** Gives line `last` (the line added last) another quantity, within a line's most and the stock left, or says why not and changes nothing. */
async function changeQuantity(turn: Turn, last: number, quantity: number): Promise<void> {
  const checked = await checkLineQuantity(turn, last, quantity, MAX_LINE_QUANTITY);
  if ("refusal" in checked) {
    turn.refuse();
    turn.say(checked.refusal);
    return;
  }
  turn.state.cart = [...setLineQuantity(turn.state.cart, last, checked.quantity)];
  sayChanged(turn, last);
}

/**
 * Applies the correction `input` says at confirm step `step`, having said
 * what changed (or why nothing did); false when it says none, or the step is
 * not one where corrections are read. The caller asks the question again.
 */
export async function correctAtConfirm(turn: Turn, step: AskConfirmStep, input: Input): Promise<boolean> {
  if (input.kind !== "text" || !sentenceCatalog(turn, step)) return false;
  const last = lastLineIndex(turn);
  const lastProductId = turn.state.cart[last]?.productId;
  const correction = readCorrection(input.text, turn.catalog, { locale: turn.state.locale, lastProductId });
  switch (correction?.kind) {
    case undefined:
      return false;
    case "remove":
      removeProduct(turn, correction.productId);
      return true;
    case "option":
      changeOption(turn, last, correction.groupId, correction.choiceId);
      return true;
    case "quantity":
      await changeQuantity(turn, last, correction.quantity);
      return true;
  }
}
