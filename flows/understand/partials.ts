import { oneTypoApart } from "../match.ts";
import type { PartOfName, Piece, Reading } from "./dictionary.ts";

const UNKNOWN: Piece["entries"] = [];
const HAN = /^\p{Script=Han}$/u;

/** Whether a piece names a product only by a part of its name. */
export const isPartial = (piece: Piece | undefined): boolean =>
  piece?.kind === "product" && piece.entries.every((e) => e.kind === "product" && e.source === "partial");

const aroundOf = (piece: Piece): PartOfName[] => piece.entries.flatMap((e) => (e.kind === "product" && e.around ? [e.around] : []));

/** The keys of the unknown pieces next to `i` on one side, nearest first. */
function unknownBeside(pieces: readonly Piece[], i: number, step: 1 | -1, reading: Reading): string[] {
  const keys: string[] = [];
  for (let j = i + step; pieces[j]?.kind === "unknown"; j += step) {
    const piece = pieces[j];
    if (piece) keys.push(...reading.keys.slice(piece.from, piece.to));
  }
  return keys;
}

/**
 * Whether what the customer typed beside a part of a name makes it another
 * thing: a word that is not the start of one of the name's other words nor
 * a typo of one ("cake", "by", "bancaire", but not "lai" of "café au lai");
 * for Chinese, two characters or more none of which the name has
 * ("巧克力蛋糕"), since one character, or one of the name's, is a typo or a
 * short form ("卡布其诺", "牛角包").
 */
function somethingElse(typed: readonly string[], around: PartOfName): boolean {
  const [nearest] = typed;
  if (nearest === undefined) return false;
  if (!typed.every((k) => HAN.test(k))) return ![...around.rest].some((word) => word.startsWith(nearest) || oneTypoApart(nearest, word));
  return typed.length >= 2 && !typed.some((k) => around.rest.has(k));
}

/**
 * Parts of names that more likely name something else, made unknown:
 * a part where the name goes on but the customer typed another word
 * ("chocolate cake" is not a chocolate croissant, "my card" no gift card;
 * "buy coffee beans", "une carte cadeau pour ma mère" are fine: the name
 * says nothing there); a part of one word with any word not understood
 * beside it, a clue too weak to outweigh that word ("pay by card", "payer
 * par carte", "a hot chocolate"); and a word from one side of a name's link word
 * ("chocolat", "pain" of "pain au chocolat": "un chocolat" is a hot
 * chocolate, "du pain" bread), unless it is the whole message: a word typed
 * alone is a search of the menu.
 */
export function withoutDoubtfulPartials(pieces: readonly Piece[], reading: Reading): Piece[] {
  return pieces.map((piece, i) => {
    if (!isPartial(piece)) return piece;
    const around = aroundOf(piece);
    const before = unknownBeside(pieces, i, -1, reading);
    const after = unknownBeside(pieces, i, 1, reading);
    const oneWord = piece.to - piece.from === 1 && reading.tokens[piece.from]?.kind === "word";
    const replaced = around.every((a) => ((a.goesOnBefore || oneWord) && somethingElse(before, a)) || ((a.goesOnAfter || oneWord) && somethingElse(after, a)));
    const oneSide = around.every((a) => a.oneSide) && pieces.length > 1;
    return around.length > 0 && (replaced || oneSide) ? { ...piece, kind: "unknown", entries: UNKNOWN } : piece;
  });
}
