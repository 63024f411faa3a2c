/**
 * Items named where a yes/no was asked: "Anything else?" answered with
 * "and a croissant" or "2 lattes" means yes, and what. When the step's
 * "yes" goes to a catalog step that reads sentences, the items named start
 * there, as if they had been typed at it.
 */
import type { AskConfirmStep, CatalogStep } from "../ir.ts";
import { goto, type Transition, type Turn } from "../turn.ts";
import { readOrder } from "../understand/index.ts";
import { offeredProducts, startItems } from "./catalog.ts";
import type { Input } from "./types.ts";

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
