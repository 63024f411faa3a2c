import type { Piece, Reading } from "./dictionary.ts";
import { NUMBER_WORDS } from "./lexicon.ts";

/** Shorter number words lose too much with a letter: "four" without a letter is "our" or "for". */
const MIN_NUMBER_WORD = 5;

/** Each number word of five letters or more without one of its letters, or with a plural "s": "thre", "sevn", "troi", "quatres". */
function nearNumbers(): ReadonlyMap<string, number> {
  const near = new Map<string, number | null>();
  const add = (key: string, value: number) => near.set(key, near.has(key) && near.get(key) !== value ? null : value);
  for (const { phrase, value, article } of NUMBER_WORDS) {
    if (article || phrase.length < MIN_NUMBER_WORD || !/^\p{L}+$/u.test(phrase)) continue;
    for (let i = 0; i < phrase.length; i++) add(phrase.slice(0, i) + phrase.slice(i + 1), value);
    add(`${phrase}s`, value);
  }
  const known = new Set(NUMBER_WORDS.map((w) => w.phrase));
  return new Map([...near].filter((entry): entry is [string, number] => entry[1] !== null && !known.has(entry[0])));
}

const NEAR_NUMBERS = nearNumbers();

/**
 * A word not understood that is a number word missing a letter ("thre",
 * "sevn", "troi") or with a plural "s" ("quatres"), read as that number
 * where a number is expected: `expected(i)` says whether the piece at `i`
 * stands where one is (alone at "how many?", right before a product). Never
 * a substituted letter: "nice" is not "nine".
 */
export function withNumbersMistyped(pieces: readonly Piece[], reading: Reading, expected: (i: number) => boolean): Piece[] {
  return pieces.map((piece, i) => {
    const key = piece.kind === "unknown" && piece.to - piece.from === 1 ? reading.keys[piece.from] : undefined;
    const value = key === undefined ? undefined : NEAR_NUMBERS.get(key);
    if (value === undefined || !expected(i)) return piece;
    return { ...piece, kind: "number", entries: [{ kind: "number", value, article: false, digits: false }] };
  });
}
