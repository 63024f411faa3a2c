/**
 * Items named where something else was asked: "Anything else?" answered
 * with "and a croissant" or "2 lattes" means yes, and what; "2 lattes and a
 * croissant" at "How many croissants?" or at a size question means those
 * items. They start at a catalog step that reads sentences, as if they had
 * been typed at it.
 */
import type { AskConfirmStep, CatalogStep } from "../ir.ts";
import { goto, type Transition, type Turn } from "../turn.ts";
import { readOrder, type UnderstoodItem } from "../understand/index.ts";
import { offeredProducts, startItems } from "./catalog.ts";
import type { Input } from "./types.ts";
import { pendingFrom } from "./understood.ts";

/** The catalog step the "yes" of `step` goes to, when it reads sentences: where items and corrections named at it apply. */
export function sentenceCatalog(turn: Turn, step: AskConfirmStep): CatalogStep | undefined {
  if (step.yes === undefined) return undefined;
  const target = turn.flow.steps.get(step.yes);
  return target?.type === "catalog" && target.understand !== false ? target : undefined;
}

/** The transition that starts the items `input` names, or undefined when it names none or the step's "yes" is no catalog that reads them. */
export async function itemsAtConfirm(turn: Turn, step: AskConfirmStep, input: Input): Promise<Transition | undefined> {
  const target = sentenceCatalog(turn, step);
  if (input.kind !== "text" || !target) return undefined;
  const reading = readOrder(input.text, turn.catalog, { locale: turn.state.locale, products: offeredProducts(turn) });
  if (reading.items.length === 0) return undefined;
  turn.state.slots[step.slot] = true;
  // None could be had (each said why): the menu, as "yes" would.
  return (await startItems(turn, target, reading.items)) ?? goto(target.id);
}

/** Where items named at a quantity or option question start: the catalog step the item in progress came from, or the menu, when it reads sentences. */
function menuCatalog(turn: Turn): CatalogStep | undefined {
  const from = pendingFrom(turn) ?? turn.bot.menuStep;
  const target = from === undefined ? undefined : turn.flow.steps.get(from);
  return target?.type === "catalog" && target.understand !== false ? target : undefined;
}

/** The items a sentence typed at a quantity or option question names; none when it is no text or the menu reads no sentences. */
export function namedItems(turn: Turn, input: Input): readonly UnderstoodItem[] {
  if (input.kind !== "text" || !menuCatalog(turn)) return [];
  return readOrder(input.text, turn.catalog, { locale: turn.state.locale, products: offeredProducts(turn) }).items;
}

/** Starts `items` (named at a quantity or option question) as if typed at the menu, instead of the item asked about. */
export async function startNamed(turn: Turn, items: readonly UnderstoodItem[]): Promise<Transition> {
  const target = menuCatalog(turn);
  if (!target) throw new Error("startNamed: the menu reads no sentences; call namedItems first");
  return (await startItems(turn, target, items)) ?? goto(target.id);
}
