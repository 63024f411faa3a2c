import { CORRECTIONS, EDITS, FILLERS, MEASURE_WORDS, NEGATIONS, NUMBER_WORDS, SEPARATORS, TIMES, UNITS } from "./lexicon.ts";
import { PhraseTrie } from "./phrases.ts";
import { Speller, type Spelling } from "./spelling.ts";
import { phraseKeys, tokenize, type Token } from "./tokens.ts";

/** How a product was named: its name in some locale, an alias, its id, or a part of a name ("beans" of "Coffee beans 250 g"). */
export type ProductSource = "name" | "alias" | "id" | "partial";
/** How an option choice was named; "size-word" is a built-in word ("large", "grand", "大杯") for a choice that looks like that size. */
export type OptionSource = "label" | "name" | "alias" | "id" | "size-word";

export interface ProductEntry {
  readonly kind: "product";
  readonly productId: string;
  readonly source: ProductSource;
  /** The locale the phrase is written in; undefined for the base name and the id, whose locale the catalog does not say. */
  readonly locale: string | undefined;
  /** For a part of a name, what the name says around it. */
  readonly around?: PartOfName;
}

/** What a name says around one of its parts ("chocolat" of "pain au chocolat"). */
export interface PartOfName {
  /** It lies on one side of the name's link word ("au", "en", "with"): alone, it names something else ("un chocolat", "du pain"). */
  readonly oneSide: boolean;
  /** The name has words that say what it is before the part, or after it (numbers and units aside). */
  readonly goesOnBefore: boolean;
  readonly goesOnAfter: boolean;
  /** Those words. */
  readonly rest: ReadonlySet<string>;
}

export interface OptionEntry {
  readonly kind: "option";
  /** The product whose group this is; undefined for a group read on its own (readOptionChoice). */
  readonly productId: string | undefined;
  readonly groupId: string;
  readonly choiceId: string;
  readonly source: OptionSource;
  readonly locale: string | undefined;
}

export interface NumberEntry {
  readonly kind: "number";
  readonly value: number;
  /** "a", "an", "une": a quantity when an item follows, nothing when none does. */
  readonly article: boolean;
  readonly digits: boolean;
}

/** The meaning of a phrase without a catalog; an "amount" is a number with its unit ("€10", "250g"), which is no quantity. */
export interface WordEntry {
  readonly kind: "filler" | "separator" | "correction" | "negation" | "measure" | "times" | "amount";
}

export type Entry = ProductEntry | OptionEntry | NumberEntry | WordEntry;

/** A stretch of the sentence read as one thing: `entries` are all of one kind (several when it names several things). */
export interface Piece {
  readonly kind: Entry["kind"] | "unknown";
  /** Token positions, `to` exclusive. */
  readonly from: number;
  readonly to: number;
  readonly entries: readonly Entry[];
}

/** A sentence cut into tokens, each with the key it is read as (after plural and typo) and how that key was reached. */
export interface Reading {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly keys: readonly string[];
  readonly spellings: readonly (readonly Spelling[])[];
}

/** Which of the entries found may be read at this place: the caller's restrictions (channel's products, one option group). */
export type Accept = (entry: Entry, reading: Reading, from: number, to: number) => boolean;

function lexicon(): PhraseTrie<Entry> {
  const trie = new PhraseTrie<Entry>();
  const words: readonly (readonly [readonly string[], WordEntry["kind"]])[] = [
    [FILLERS, "filler"],
    [SEPARATORS, "separator"],
    [CORRECTIONS, "correction"],
    [NEGATIONS, "negation"],
    [EDITS, "negation"],
    [MEASURE_WORDS, "measure"],
    [TIMES, "times"],
  ];
  for (const [phrases, kind] of words) for (const phrase of phrases) trie.add(phrase, { kind });
  for (const { phrase, value, article } of NUMBER_WORDS) trie.add(phrase, { kind: "number", value, article, digits: false });
  return trie;
}

/** The built-in words, shared by every catalog. */
const LEXICON = lexicon();

/** Whether `key` is one of the built-in words ("the", "de", "请", "two"). */
export function isBuiltInWord(key: string): boolean {
  return LEXICON.words.has(key);
}

/** The words of numbers, which a typo never reaches. */
const NUMBER_KEYS: ReadonlySet<string> = new Set(NUMBER_WORDS.flatMap(({ phrase }) => phraseKeys(phrase)));

/** At one length, which kind of phrase wins: a whole name over an option over a number over a built-in word over a part of a name. */
function rank(entry: Entry): number {
  switch (entry.kind) {
    case "product":
      return entry.source === "partial" ? 1 : 5;
    case "option":
      return 4;
    case "number":
      return 3;
    default:
      return 2;
  }
}

/**
 * The built-in words and a set of the bot's own phrases (a catalog's names
 * and options, or one option group's choices), with the speller their words
 * make: it cuts a sentence and reads it by longest match.
 */
export class Dictionary {
  readonly #own: PhraseTrie<Entry>;
  readonly #speller: Speller;

  constructor(own: PhraseTrie<Entry>) {
    this.#own = own;
    this.#speller = new Speller({ known: new Set([...LEXICON.words, ...own.words]), content: own.words, exact: NUMBER_KEYS });
  }

  /** Cuts `text` into tokens and brings plural and mistyped words to the known words they stand for. */
  read(text: string): Reading {
    const tokens = tokenize(text);
    const keys: string[] = [];
    const spellings: (readonly Spelling[])[] = [];
    for (const token of tokens) {
      const spelled = token.kind === "word" ? this.#speller.spell(token.key) : undefined;
      keys.push(spelled?.key ?? token.key);
      spellings.push(spelled?.how ?? []);
    }
    return { text, tokens, keys, spellings };
  }

  /**
   * Reads the tokens left to right, taking at each place the longest phrase
   * `accept` allows (ties broken by `rank`); a token nothing covers is
   * unknown. A number then takes in a "x" or a measure word beside it.
   */
  scan(reading: Reading, accept: Accept): Piece[] {
    const pieces: Piece[] = [];
    for (let from = 0; from < reading.tokens.length; ) {
      const piece = this.#longestAt(reading, from, accept);
      pieces.push(piece);
      from = piece.to;
    }
    return joinAmounts(joinQuantities(pieces), reading);
  }

  #longestAt(reading: Reading, from: number, accept: Accept): Piece {
    let best: Piece | undefined;
    let bestRank = 0;
    const consider = (to: number, entries: readonly Entry[]) => {
      const usable = entries.filter((e) => accept(e, reading, from, to));
      const top = Math.max(0, ...usable.map(rank));
      if (top === 0) return;
      if (best && (to < best.to || (to === best.to && top <= bestRank))) return;
      const chosen = usable.filter((e) => rank(e) === top);
      const first = chosen[0];
      if (!first) return;
      best = { kind: first.kind, from, to, entries: chosen };
      bestRank = top;
    };
    const token = reading.tokens[from];
    if (token?.kind === "number") {
      const value = Number(token.key);
      if (Number.isSafeInteger(value)) consider(from + 1, [{ kind: "number", value, article: false, digits: true }]);
    }
    for (const trie of [this.#own, LEXICON]) {
      for (const match of trie.matchesAt(reading.keys, from)) consider(from + match.length, match.values);
    }
    return best ?? { kind: "unknown", from, to: from + 1, entries: [] };
  }
}

/**
 * Units are not built-in words: "克" of "250克" must stay a character of
 * "巧克力". They are looked for only beside a number.
 */
const UNIT_TRIE = new PhraseTrie<true>();
for (const unit of UNITS) UNIT_TRIE.add(unit, true);
const UNIT_KEYS: ReadonlySet<string> = UNIT_TRIE.words;

/** Whether `key` is a word of a unit ("g", "€", "欧"). */
export function isUnitWord(key: string): boolean {
  return UNIT_KEYS.has(key);
}

const isUnit = (piece: Piece | undefined, reading: Reading) =>
  piece !== undefined && UNIT_TRIE.matchesAt(reading.keys.slice(0, piece.to), piece.from).some((m) => m.length === piece.to - piece.from);
const AMOUNT: readonly Entry[] = [{ kind: "amount" }];

/**
 * "€10", "10 €", "250g", "10欧元": a number and its unit are one amount,
 * which says what a thing is, not how many of it.
 */
function joinAmounts(pieces: readonly Piece[], reading: Reading): Piece[] {
  const joined: Piece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    const next = pieces[i + 1];
    if (!piece) continue;
    const counted = (p: Piece | undefined) => p?.kind === "number" && !isArticle(p);
    if (isUnit(piece, reading) && counted(next) && next) {
      joined.push({ kind: "amount", from: piece.from, to: next.to, entries: AMOUNT });
      i++;
    } else if (counted(piece) && isUnit(next, reading) && next) {
      joined.push({ kind: "amount", from: piece.from, to: next.to, entries: AMOUNT });
      i++;
    } else {
      joined.push(piece);
    }
  }
  return joined;
}

/** "2x", "x2", "2 ×", "两杯": a number and the mark or measure word beside it are one quantity. */
function joinQuantities(pieces: readonly Piece[]): Piece[] {
  const joined: Piece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    const next = pieces[i + 1];
    if (!piece) continue;
    if (piece.kind === "times" && next?.kind === "number" && !isArticle(next)) {
      joined.push({ ...next, from: piece.from });
      i++;
    } else if (piece.kind === "number" && (next?.kind === "times" || next?.kind === "measure")) {
      joined.push({ ...piece, to: next.to });
      i++;
    } else {
      joined.push(piece);
    }
  }
  return joined;
}

/** A single letter touching an apostrophe ("l'", "let's") is grammar: it names no product and no option. */
export function isCliticLetter(reading: Reading, from: number, to: number): boolean {
  const token = reading.tokens[from];
  return to - from === 1 && token !== undefined && token.clitic && token.key.length === 1;
}

/** "a", "an", "un", "une": a number only when an item follows. */
export function isArticle(piece: Piece): boolean {
  const entry = piece.entries[0];
  return entry?.kind === "number" && entry.article;
}

/** The number a quantity piece says. */
export function valueOf(piece: Piece): number | undefined {
  const entry = piece.entries[0];
  return entry?.kind === "number" ? entry.value : undefined;
}
