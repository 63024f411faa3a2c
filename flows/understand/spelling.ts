import { oneTypoApart } from "../match.ts";

/** How a typed word was brought to a known one: a plural ending dropped, one typo forgiven. */
export type Spelling = "plural" | "typo";

/** The known word a typed word stands for, and how it was reached. */
export interface Spelled {
  readonly key: string;
  readonly how: readonly Spelling[];
}

/** Plural endings, English (-s, -es, -ies) and French (-s, -x), with what replaces them. */
const PLURALS: readonly (readonly [string, string])[] = [
  ["ies", "y"],
  ["es", ""],
  ["s", ""],
  ["x", ""],
];

/** A typo is forgiven only on words long enough for it to be unambiguous. */
const MIN_TYPO_LENGTH = 4;
/** Typed words seen are remembered, up to this many, so a busy bot does not recompute them. */
const MAX_REMEMBERED = 10_000;

export interface SpellerWords {
  /** Every word the reader knows: what is typed as one of these is taken as is. */
  readonly known: ReadonlySet<string>;
  /**
   * The words of names and options: a plural is brought back to one of
   * these, and a typo too. Never to a built-in word: "lime" must stay
   * unknown, not become "like" and vanish as filler.
   */
  readonly content: ReadonlySet<string>;
  /** Words a typo is never corrected to: number words, where "fine" must not become "five". */
  readonly exact: ReadonlySet<string>;
}

/**
 * Brings a typed word that is not known to the one known word it stands for:
 * "lattes" → "latte", "croisant" → "croissant", "croisants" → "croissant".
 * Nothing when two known words are as close.
 */
export class Speller {
  readonly #words: SpellerWords;
  /** Typo targets by length, so a word is compared only with those one letter longer or shorter. */
  readonly #byLength = new Map<number, string[]>();
  readonly #remembered = new Map<string, Spelled | null>();

  constructor(words: SpellerWords) {
    this.#words = words;
    for (const word of words.content) {
      if (word.length < MIN_TYPO_LENGTH || words.exact.has(word) || !/^\p{L}+$/u.test(word)) continue;
      const same = this.#byLength.get(word.length) ?? [];
      same.push(word);
      this.#byLength.set(word.length, same);
    }
  }

  /** The known word `key` (a word token's key) stands for; undefined when it is known already or stands for none. */
  spell(key: string): Spelled | undefined {
    if (this.#words.known.has(key)) return undefined;
    const remembered = this.#remembered.get(key);
    if (remembered !== undefined) return remembered ?? undefined;
    const spelled = this.#spell(key);
    if (this.#remembered.size >= MAX_REMEMBERED) this.#remembered.clear();
    this.#remembered.set(key, spelled ?? null);
    return spelled;
  }

  #spell(key: string): Spelled | undefined {
    const singulars = this.#singulars(key);
    const singular = singulars.find((s) => this.#words.content.has(s));
    if (singular !== undefined) return { key: singular, how: ["plural"] };
    const near = this.#near(key);
    if (near !== undefined) return { key: near, how: ["typo"] };
    const nearSingulars = new Set(singulars.map((s) => this.#near(s)).filter((s) => s !== undefined));
    const [only] = nearSingulars;
    return nearSingulars.size === 1 && only !== undefined ? { key: only, how: ["plural", "typo"] } : undefined;
  }

  /** The forms `key` has without a plural ending, longest first ("glasses" → "glasse", "glass"). */
  #singulars(key: string): string[] {
    const forms: string[] = [];
    for (const [ending, replacement] of PLURALS) {
      if (key.length > ending.length + 2 && key.endsWith(ending)) forms.push(key.slice(0, -ending.length) + replacement);
    }
    return forms.sort((a, b) => b.length - a.length);
  }

  /** The one word of names and options a typo away from `key`; undefined when none or several. */
  #near(key: string): string | undefined {
    if (key.length < MIN_TYPO_LENGTH) return undefined;
    let found: string | undefined;
    for (let length = key.length - 1; length <= key.length + 1; length++) {
      for (const word of this.#byLength.get(length) ?? []) {
        if (!oneTypoApart(key, word)) continue;
        if (found !== undefined) return undefined;
        found = word;
      }
    }
    return found;
  }
}
