import type { CatalogIndex } from "../../commerce/index.ts";
import { catalogTrie } from "./catalog-words.ts";
import { Dictionary, isArticle, valueOf, type OptionEntry, type Piece, type ProductEntry, type Reading } from "./dictionary.ts";
import { CORRECTION_ENDINGS, REFUSALS, REMOVALS } from "./lexicon.ts";
import { acceptFor } from "./order.ts";
import { isQuestion } from "./questions.ts";
import { phraseKeys } from "./tokens.ts";
import { whichOne } from "./which-one.ts";

/**
 * What a correction asks of the cart: take a product out, give the line
 * added last another option choice, or another quantity.
 */
export type Correction =
  | { readonly kind: "remove"; readonly productId: string }
  | { readonly kind: "option"; readonly groupId: string; readonly choiceId: string }
  | { readonly kind: "quantity"; readonly quantity: number };

export interface ReadCorrectionOptions {
  /** The customer's locale: when a phrase names two things in different languages, the one in this language wins. */
  readonly locale?: string;
  /** The product of the cart line added last, the one "make it large" and "no, 3" change; undefined when the cart is empty. */
  readonly lastProductId?: string | undefined;
}

const keysOf = (phrases: readonly string[]): ReadonlySet<string> => new Set(phrases.map((p) => phraseKeys(p).join(" ")));
const REMOVAL_KEYS = keysOf(REMOVALS);
const REFUSAL_KEYS = keysOf(REFUSALS);

/** Built once per catalog: its names and options, the built-in words, and the words that end a correction. */
const dictionaries = new WeakMap<CatalogIndex, Dictionary>();

function correctionDictionary(catalog: CatalogIndex): Dictionary {
  let dictionary = dictionaries.get(catalog);
  if (!dictionary) {
    const trie = catalogTrie(catalog);
    for (const phrase of CORRECTION_ENDINGS) trie.add(phrase, { kind: "filler" });
    dictionary = new Dictionary(trie);
    dictionaries.set(catalog, dictionary);
  }
  return dictionary;
}

const keyOf = (reading: Reading, piece: Piece) => reading.keys.slice(piece.from, piece.to).join(" ");

/** "remove", "enlève", "删除" anywhere before the product, or "no", "不要" right before it. */
function removes(reading: Reading, piece: Piece, next: Piece | undefined): boolean {
  const key = keyOf(reading, piece);
  if (piece.kind === "negation" && REMOVAL_KEYS.has(key)) return true;
  return (piece.kind === "correction" || piece.kind === "negation") && REFUSAL_KEYS.has(key) && next?.kind === "product";
}

/**
 * "remove the croissants", "actually remove the latte", "no croissants
 * after all", "enlève les croissants", "删除牛角面包": corrections and a
 * removal word, then one product (an article before it may be), nothing else.
 */
function readRemoval(reading: Reading, pieces: readonly Piece[], locale: string | undefined): Correction | undefined {
  const at = pieces.findIndex((p) => p.kind === "product" || p.kind === "number");
  const before = pieces.slice(0, at);
  const last = before[before.length - 1];
  if (at < 1 || !last || !removes(reading, last, pieces[before.length])) return undefined;
  if (!before.slice(0, -1).every((p) => p.kind === "correction" || removes(reading, p, undefined))) return undefined;
  const rest = pieces.slice(at).filter((p) => !isArticle(p));
  const [product, ...others] = rest;
  if (product?.kind !== "product" || others.length > 0) return undefined;
  const entries = product.entries.filter((e): e is ProductEntry => e.kind === "product");
  const named = whichOne(entries, (e) => e.productId, locale);
  return named && { kind: "remove", productId: named.id };
}

/** The choice of `productId`'s options an option piece names; undefined when none or several. */
function choiceOf(piece: Piece, productId: string, locale: string | undefined): { groupId: string; choiceId: string } | undefined {
  const entries = piece.entries.filter((e): e is OptionEntry => e.kind === "option" && e.productId === productId);
  const one = whichOne(entries, (e) => `${e.groupId}\u0000${e.choiceId}`, locale);
  const chosen = one && entries.find((e) => `${e.groupId}\u0000${e.choiceId}` === one.id);
  return chosen && { groupId: chosen.groupId, choiceId: chosen.choiceId };
}

/**
 * "actually make it large", "plutôt un grand", "改成大杯"; "no, 3", "make
 * it 3", "改成3个": a correction word and one option of the last line's
 * product (its name may be said again) or one number, nothing else.
 */
function readChange(pieces: readonly Piece[], lastProductId: string | undefined, locale: string | undefined): Correction | undefined {
  if (lastProductId === undefined || !pieces.some((p) => p.kind === "correction")) return undefined;
  const said = pieces.filter((p) => p.kind !== "correction" && !isArticle(p));
  const numbers = said.filter((p) => p.kind === "number");
  const [number] = numbers;
  if (number && numbers.length === said.length && numbers.length === 1) {
    const quantity = valueOf(number);
    return quantity !== undefined && quantity > 0 ? { kind: "quantity", quantity } : undefined;
  }
  const sameProduct = (p: Piece) => p.kind === "product" && p.entries.some((e) => e.kind === "product" && e.productId === lastProductId);
  const options = said.filter((p) => !sameProduct(p));
  const [option] = options;
  if (options.length !== 1 || option?.kind !== "option") return undefined;
  const choice = choiceOf(option, lastProductId, locale);
  return choice && { kind: "option", ...choice };
}

/**
 * A correction of the cart said where "Anything else?" was asked: a removal
 * of a product ("remove the croissants", "enlève les croissants",
 * "删除牛角面包"), or a change of the line added last, to another option
 * choice ("actually make it large", "plutôt un grand", "改成大杯") or
 * quantity ("no, 3", "make it 3", "改成3个"). Undefined when the text is no
 * correction: an order ("2 lattes"), a removal that names nothing
 * ("remove"), a question, or words not understood.
 *
 * @example
 * readCorrection("remove the croissants", catalog)                          // { kind: "remove", productId: "croissant" }
 * readCorrection("actually make it large", catalog, { lastProductId: "latte" }) // { kind: "option", groupId: "size", choiceId: "l" }
 * readCorrection("no, 3", catalog, { lastProductId: "latte" })              // { kind: "quantity", quantity: 3 }
 */
export function readCorrection(text: string, catalog: CatalogIndex, options: ReadCorrectionOptions = {}): Correction | undefined {
  const dictionary = correctionDictionary(catalog);
  const reading = dictionary.read(text);
  const scanned = dictionary.scan(reading, acceptFor(undefined));
  if (isQuestion(reading, scanned)) return undefined;
  const pieces = scanned.filter((p) => p.kind !== "filler" && p.kind !== "separator" && p.kind !== "measure");
  if (pieces.some((p) => p.kind === "unknown" || p.kind === "amount")) return undefined;
  return readRemoval(reading, pieces, options.locale) ?? readChange(pieces, options.lastProductId, options.locale);
}
