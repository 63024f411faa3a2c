import type { CatalogIndex, Product } from "../../commerce/index.ts";
import { catalogDictionary } from "./catalog-words.ts";
import { isArticle, isCliticLetter, valueOf, type Accept, type OptionEntry, type OptionSource, type Piece, type ProductEntry, type ProductSource, type Reading } from "./dictionary.ts";
import { withNumbersMistyped } from "./near-numbers.ts";
import { isPartial, withoutDoubtfulPartials } from "./partials.ts";
import { isQuestion } from "./questions.ts";
import { REFUSALS } from "./lexicon.ts";
import { phraseKeys } from "./tokens.ts";
import { whichOne } from "./which-one.ts";

/** One item a sentence names. */
export interface UnderstoodItem {
  readonly productId: string;
  /** How many, when said ("2", "two", "deux", "两", "a", "une", "一杯" → 1); undefined when not said. */
  readonly quantity?: number;
  /** Option group id → choice id, only for the options the sentence names ("large", "oat milk", "大杯"). */
  readonly options: Readonly<Record<string, string>>;
  /** The words of the sentence that named it, as typed. */
  readonly words: string;
}

export interface OrderReading {
  readonly items: readonly UnderstoodItem[];
  /** Words that were neither filler (greetings, "please", "I want", "je voudrais", "请", articles…) nor understood; empty when all of it was read. */
  readonly unknown: readonly string[];
  /** How it was read, for `kiosk dev` and the bench: e.g. "items: latte×2(size=l) via name+plural+digits+size-word". */
  readonly rule: string;
}

export interface ReadOrderOptions {
  /** The customer's locale: when a phrase names two products, the one named in this language wins. */
  readonly locale?: string;
  /** The products offered on the customer's channel; the catalog's others are not matched. Default: all of them. */
  readonly products?: readonly Product[];
}

/** An item as it is put together: the pieces that named it and how they were read. */
interface Building {
  readonly productId: string;
  readonly quantity: number | undefined;
  readonly options: Record<string, string>;
  /** The piece that set each group and how it was read, and the groups named twice with different choices. */
  readonly optionPieces: Map<string, { readonly piece: Piece; readonly how: readonly string[] }>;
  readonly conflicts: Set<string>;
  readonly from: number;
  readonly to: number;
  readonly how: Set<string>;
  /** The item this one is a share of: "one large" of "2 lattes, one large and one small". */
  readonly shareOf?: Building;
}

/** What one item is made of while the sentence is read: options may come before or after the product. */
interface Draft {
  quantity?: Piece;
  product?: Piece;
  options: Piece[];
}

const offeredSets = new WeakMap<readonly Product[], ReadonlySet<string>>();

function offeredIds(products: readonly Product[]): ReadonlySet<string> {
  let ids = offeredSets.get(products);
  if (!ids) {
    ids = new Set(products.map((p) => p.id));
    offeredSets.set(products, ids);
  }
  return ids;
}

/** Products and options only of the offered products; a part of a name only when one of its words was typed right, not reached by a typo ("plain" is not "pain"). */
export function acceptFor(offered: ReadonlySet<string> | undefined): Accept {
  return (entry, reading, from, to) => {
    if (entry.kind !== "product" && entry.kind !== "option") return true;
    if (isCliticLetter(reading, from, to)) return false;
    if (offered && entry.productId !== undefined && !offered.has(entry.productId)) return false;
    if (entry.kind === "product" && entry.source === "partial") return reading.spellings.slice(from, to).some((how) => !how.includes("typo"));
    return true;
  };
}

/** The sentence cut at "and", ",", "et", "和", "、"…: each part names its own items. */
function chunks(pieces: readonly Piece[]): Piece[][] {
  const parts: Piece[][] = [[]];
  for (const piece of pieces) {
    if (piece.kind === "separator") parts.push([]);
    else parts[parts.length - 1]?.push(piece);
  }
  return parts.filter((part) => part.length > 0);
}

/** Corrections that, right before a product, refuse it: "no croissants today". */
const REFUSING_CORRECTIONS: ReadonlySet<string> = new Set(REFUSALS.map((phrase) => phraseKeys(phrase).join(" ")));

const PRODUCT_SOURCES: readonly ProductSource[] = ["name", "alias", "id", "partial"];
const OPTION_SOURCES: readonly OptionSource[] = ["label", "name", "alias", "id", "size-word"];
const best = <S extends string>(order: readonly S[], sources: readonly S[]) => order.find((s) => sources.includes(s));

/** Reads the pieces of a sentence into items, keeping what it could not read. */
class OrderBuilder {
  readonly #reading: Reading;
  readonly #locale: string | undefined;
  readonly #items: Building[] = [];
  readonly #unknown: Piece[] = [];
  #draft: Draft = { options: [] };

  constructor(reading: Reading, locale: string | undefined) {
    this.#reading = reading;
    this.#locale = locale;
  }

  /** Reads the pieces into items; a question orders nothing, and all it names is reported as not understood. */
  read(pieces: readonly Piece[], question: boolean): OrderReading {
    for (const chunk of chunks(pieces)) this.#readChunk(chunk);
    let built = this.#shared(this.#items);
    if (question) {
      this.#unknown.push(...pieces.filter((p) => p.kind !== "filler" && p.kind !== "separator"));
      built = [];
    }
    const items = built.map((item) => this.#understood(item));
    const unknown = this.#unknownWords();
    const described = built.map(describe).join(", ") || "none";
    const rule = `${question ? "question; " : ""}items: ${described}${unknown.length > 0 ? `; unknown: ${unknown.map((w) => JSON.stringify(w)).join(", ")}` : ""}`;
    return { items, unknown, rule };
  }

  /** "no" right before what it refuses ("no croissants today") is a negation, not a correction. */
  #refuses(piece: Piece, next: Piece | undefined): boolean {
    if (piece.kind === "negation") return true;
    const refusal = piece.kind === "correction" && REFUSING_CORRECTIONS.has(this.#reading.keys[piece.from] ?? "");
    return refusal && (next?.kind === "product" || next?.kind === "number");
  }

  #readChunk(chunk: readonly Piece[]): void {
    // What follows a negation in its part of the sentence is refused: "I don't want a latte", "a latte but no croissant".
    let refusing = false;
    chunk.forEach((piece, i) => {
      if (this.#refuses(piece, chunk[i + 1])) refusing = true;
      if (refusing) {
        if (piece.kind !== "filler") this.#unknown.push(piece);
        return;
      }
      switch (piece.kind) {
        case "number":
          return this.#quantity(piece, chunk.slice(i + 1));
        case "option":
          this.#draft.options.push(piece);
          return;
        case "product":
          return this.#product(piece);
        case "filler":
        case "measure":
        case "amount":
          return;
        default:
          this.#unknown.push(piece);
      }
    });
    const draft = this.#draft;
    this.#draft = { options: [] };
    const last = this.#items[this.#items.length - 1];
    // "a latte with oat milk, and large": options alone after "and" belong to the item before.
    if (!draft.product && !draft.quantity && last) this.#addOptions(last, draft.options);
    else this.#finish(draft);
  }

  /** A number starts an item, or ends the one before when no product follows it ("latte x2", "拿铁两杯"). */
  #quantity(piece: Piece, rest: readonly Piece[]): void {
    const draft = this.#draft;
    if (draft.product && !draft.quantity && !isArticle(piece) && !rest.some((p) => p.kind === "product")) {
      draft.quantity = piece;
      return;
    }
    if (draft.product || draft.quantity) {
      this.#finish(draft);
      this.#draft = { options: [] };
    }
    this.#draft.quantity = piece;
  }

  /** A second product starts a new item, taking the options after the first that the first does not have ("croissant large latte"). */
  #product(piece: Piece): void {
    const draft = this.#draft;
    const before = draft.product;
    if (!before) {
      draft.product = piece;
      return;
    }
    const productId = this.#productOf(before)?.id;
    // "pain au chocolate", "café au lait au lait": two readings side by side of one product, one of them a part, are one mention.
    if (before.to === piece.from && productId !== undefined && this.#productOf(piece)?.id === productId && (isPartial(before) || isPartial(piece))) {
      draft.product = { ...(isPartial(before) ? piece : before), from: before.from, to: piece.to };
      return;
    }
    const carried = draft.options.filter((o) => o.from > before.from && (productId === undefined || !this.#choiceOf(o, productId)));
    this.#finish({ ...draft, options: draft.options.filter((o) => !carried.includes(o)) });
    this.#draft = { product: piece, options: carried };
  }

  #finish(draft: Draft): void {
    const { quantity, product, options } = draft;
    const dangling = quantity && !isArticle(quantity) ? [quantity] : [];
    const named = product ? this.#productOf(product) : undefined;
    if (!product || !named) {
      const before = this.#items[this.#items.length - 1];
      if (!product && quantity && options.length > 0 && before && this.#share(before.shareOf ?? before, quantity, options)) return;
      this.#unknown.push(...dangling, ...(product ? [product] : []), ...options);
      return;
    }
    const entries = product.entries.filter((e): e is ProductEntry => e.kind === "product" && e.productId === named.id);
    const how = new Set<string>();
    how.add(best(PRODUCT_SOURCES, entries.map((e) => e.source)) ?? "name");
    if (named.byLocale) how.add("locale");
    for (const spelling of this.#spellings(product)) how.add(spelling);
    if (quantity) how.add(numberRule(quantity));
    const pieces = [quantity, product].filter((p) => p !== undefined);
    const item: Building = {
      productId: named.id,
      quantity: quantity && valueOf(quantity),
      options: {},
      optionPieces: new Map(),
      conflicts: new Set(),
      from: Math.min(...pieces.map((p) => p.from)),
      to: Math.max(...pieces.map((p) => p.to)),
      how,
    };
    this.#items.push(item);
    this.#addOptions(item, options);
  }

  /**
   * "2 lattes, one large and one small": a quantity with options and no
   * product is a share of the item before, with its own choices; false when
   * the options are not the item's.
   */
  #share(whole: Building, quantity: Piece, options: readonly Piece[]): boolean {
    if (!options.every((o) => this.#choiceOf(o, whole.productId))) return false;
    const share: Building = {
      productId: whole.productId,
      quantity: valueOf(quantity),
      options: { ...whole.options },
      optionPieces: new Map(),
      conflicts: new Set(),
      from: quantity.from,
      to: quantity.to,
      how: new Set(["share", numberRule(quantity)]),
      shareOf: whole,
    };
    this.#items.push(share);
    this.#addOptions(share, options);
    return true;
  }

  /**
   * The items with each whole split into its shares: the shares replace it
   * when they add up to it (or it said no number), and leave it the rest
   * when fewer; shares of more than it are not understood.
   */
  #shared(items: readonly Building[]): Building[] {
    const refused = new Set<Building>();
    const result: Building[] = [];
    for (const item of items) {
      if (item.shareOf) {
        if (!refused.has(item)) result.push(item);
        continue;
      }
      const shares = items.filter((i) => i.shareOf === item);
      const total = shares.reduce((n, share) => n + (share.quantity ?? 1), 0);
      if (shares.length === 0) result.push(item);
      else if (item.quantity !== undefined && total < item.quantity) result.push({ ...item, quantity: item.quantity - total });
      else if (item.quantity !== undefined && total > item.quantity) {
        result.push(item);
        for (const share of shares) {
          refused.add(share);
          this.#unknown.push({ kind: "unknown", from: share.from, to: share.to, entries: [] }, ...[...share.optionPieces.values()].map((o) => o.piece));
        }
      }
    }
    return result;
  }

  /** Sets the options a product has; a group named twice with different choices, or an option it lacks, is not understood. */
  #addOptions(item: Building, options: readonly Piece[]): void {
    for (const piece of options) {
      const choice = this.#choiceOf(piece, item.productId);
      if (!choice || item.conflicts.has(choice.groupId)) {
        this.#unknown.push(piece);
        continue;
      }
      const earlier = item.optionPieces.get(choice.groupId);
      if (earlier && item.options[choice.groupId] !== choice.choiceId) {
        this.#unknown.push(earlier.piece, piece);
        item.conflicts.add(choice.groupId);
        item.optionPieces.delete(choice.groupId);
        delete item.options[choice.groupId];
        continue;
      }
      item.options[choice.groupId] = choice.choiceId;
      item.optionPieces.set(choice.groupId, { piece, how: [choice.source, ...(choice.byLocale ? ["locale"] : []), ...this.#spellings(piece)] });
    }
  }

  #productOf(piece: Piece) {
    const entries = piece.entries.filter((e): e is ProductEntry => e.kind === "product");
    return whichOne(entries, (e) => e.productId, this.#locale);
  }

  /** The choice an option piece names for a product; undefined when the product has none such or it names two. */
  #choiceOf(piece: Piece, productId: string) {
    const entries = piece.entries.filter((e): e is OptionEntry => e.kind === "option" && e.productId === productId);
    const one = whichOne(entries, (e) => `${e.groupId}\u0000${e.choiceId}`, this.#locale);
    const chosen = one && entries.filter((e) => `${e.groupId}\u0000${e.choiceId}` === one.id);
    const first = chosen?.[0];
    if (!one || !chosen || !first) return undefined;
    return { groupId: first.groupId, choiceId: first.choiceId, source: best(OPTION_SOURCES, chosen.map((e) => e.source)) ?? "label", byLocale: one.byLocale };
  }

  #spellings(piece: Piece): string[] {
    return this.#reading.spellings.slice(piece.from, piece.to).flat();
  }

  #understood(item: Building): UnderstoodItem {
    const pieces = [...item.optionPieces.values()].map((o) => o.piece);
    const words = this.#text(Math.min(item.from, ...pieces.map((p) => p.from)), Math.max(item.to, ...pieces.map((p) => p.to)));
    const options = { ...item.options };
    return item.quantity === undefined ? { productId: item.productId, options, words } : { productId: item.productId, quantity: item.quantity, options, words };
  }

  /** The words not understood, as typed: neighbours together ("oat milk"), in the order of the sentence. */
  #unknownWords(): string[] {
    const spans = [...new Set(this.#unknown)].sort((a, b) => a.from - b.from);
    const merged: { from: number; to: number }[] = [];
    for (const { from, to } of spans) {
      const last = merged[merged.length - 1];
      if (last && from <= last.to) last.to = Math.max(last.to, to);
      else merged.push({ from, to });
    }
    return merged.map(({ from, to }) => this.#text(from, to));
  }

  #text(from: number, to: number): string {
    const first = this.#reading.tokens[from];
    const last = this.#reading.tokens[to - 1];
    return first && last ? this.#reading.text.slice(first.start, last.end) : "";
  }
}

function numberRule(piece: Piece): string {
  const entry = piece.entries[0];
  if (entry?.kind !== "number") return "number";
  return entry.digits ? "digits" : entry.article ? "article" : "number-word";
}

/** "latte×2(size=l) via name+plural+digits+size-word". */
function describe(item: Building): string {
  const options = Object.entries(item.options).map(([group, choice]) => `${group}=${choice}`);
  const quantity = item.quantity === undefined ? "" : `×${item.quantity}`;
  const how = new Set([...item.how, ...[...item.optionPieces.values()].flatMap((o) => o.how)]);
  return `${item.productId}${quantity}${options.length > 0 ? `(${options.join(",")})` : ""} via ${[...how].join("+")}`;
}

/**
 * Reads a sentence as items of the catalog: products by name in any of the
 * bot's locales, plural, aliases, one typo; quantities; options. Every
 * language is read whatever `locale` says; it only decides between two
 * products a phrase names in different languages.
 *
 * @example
 * readOrder("two cappuccinos and a croissant", catalog).items
 * // [{ productId: "cappuccino", quantity: 2, options: {}, words: "two cappuccinos" },
 * //  { productId: "croissant", quantity: 1, options: {}, words: "a croissant" }]
 */
export function readOrder(text: string, catalog: CatalogIndex, options: ReadOrderOptions = {}): OrderReading {
  const dictionary = catalogDictionary(catalog);
  const reading = dictionary.read(text);
  const scanned = withoutDoubtfulPartials(dictionary.scan(reading, acceptFor(options.products && offeredIds(options.products))), reading);
  const pieces = withNumbersMistyped(scanned, reading, (i) => scanned[i + 1]?.kind === "product");
  return new OrderBuilder(reading, options.locale).read(pieces, isQuestion(reading, pieces));
}
