/**
 * Items a customer named in one sentence at a catalog step ("two lattes,
 * large, and a croissant"), carried to the steps after it so they ask only
 * for what is still missing: the quantity step takes the quantity said, the
 * options step the options said, and after each item is added to the cart
 * the next one named starts again after the catalog step. Kept in a
 * reserved slot of the conversation, so a restart mid-way loses nothing.
 */
import type { UnderstoodItem } from "../understand/index.ts";
import type { Turn } from "../turn.ts";
import { isJsonObject } from "./types.ts";

/** The reserved slot: `{ from: <catalog step id>, items: [{ product, quantity?, options }] }`, the first item being the one in progress. */
export const UNDERSTOOD_SLOT = "_understood";

interface PendingItem {
  readonly product: string;
  quantity?: number;
  options: Record<string, string>;
}

interface Pending {
  readonly from: string;
  readonly items: PendingItem[];
}


/** The pending items, read back from the slot; undefined when there are none (or the slot is not one). */
function pending(turn: Turn): Pending | undefined {
  const slot = turn.state.slots[UNDERSTOOD_SLOT];
  if (!isJsonObject(slot) || typeof slot.from !== "string" || !Array.isArray(slot.items)) return undefined;
  const items: PendingItem[] = [];
  for (const item of slot.items) {
    if (!isJsonObject(item) || typeof item.product !== "string") continue;
    const options: Record<string, string> = {};
    if (isJsonObject(item.options)) for (const [group, choice] of Object.entries(item.options)) if (typeof choice === "string") options[group] = choice;
    items.push({ product: item.product, ...(typeof item.quantity === "number" ? { quantity: item.quantity } : {}), options });
  }
  return items.length > 0 ? { from: slot.from, items } : undefined;
}

function save(turn: Turn, value: Pending | undefined): void {
  if (!value || value.items.length === 0) {
    delete turn.state.slots[UNDERSTOOD_SLOT];
    return;
  }
  turn.state.slots[UNDERSTOOD_SLOT] = {
    from: value.from,
    items: value.items.map((i) => ({ product: i.product, ...(i.quantity === undefined ? {} : { quantity: i.quantity }), options: { ...i.options } })),
  };
}

/** Keeps the items a sentence named at catalog step `from`; the first is the one the step chose. */
export function keepItems(turn: Turn, from: string, items: readonly UnderstoodItem[]): void {
  save(turn, { from, items: items.map((i) => ({ product: i.productId, ...(i.quantity === undefined ? {} : { quantity: i.quantity }), options: { ...i.options } })) });
}

/** The catalog step the items in progress were named at, if they were named in a sentence. */
export function pendingFrom(turn: Turn): string | undefined {
  return pending(turn)?.from;
}

/** Forgets them: the customer chose a product another way. */
export function forgetItems(turn: Turn): void {
  delete turn.state.slots[UNDERSTOOD_SLOT];
}

/** The quantity said for `productId`, the item in progress; taken once. */
export function takeQuantity(turn: Turn, productId: string): number | undefined {
  const value = pending(turn);
  const item = value?.items[0];
  if (!value || !item || item.product !== productId || item.quantity === undefined) return undefined;
  const { quantity } = item;
  delete item.quantity;
  save(turn, value);
  return quantity;
}

/**
 * The options said for `productId`, the item in progress (group id → choice
 * id, possibly none); taken once. Undefined when the product was not named
 * in a sentence (it was chosen with a button).
 */
export function takeOptions(turn: Turn, productId: string): Record<string, string> | undefined {
  const value = pending(turn);
  const item = value?.items[0];
  if (!value || !item || item.product !== productId) return undefined;
  const { options } = item;
  item.options = {};
  save(turn, value);
  return options;
}

/**
 * Once the item in progress is in the cart: the items named after it and
 * the catalog step to start them after, or undefined when none is left.
 */
export function finishItem(turn: Turn): { readonly from: string; readonly items: readonly UnderstoodItem[] } | undefined {
  const value = pending(turn);
  if (!value) return undefined;
  value.items.shift();
  save(turn, value);
  if (value.items.length === 0) return undefined;
  return {
    from: value.from,
    items: value.items.map((i) => ({ productId: i.product, ...(i.quantity === undefined ? {} : { quantity: i.quantity }), options: i.options, words: "" })),
  };
}
