import { normalize } from "../match.ts";

/**
 * What a sentence is cut into: words of alphabetic scripts, runs of digits,
 * single Chinese or Japanese characters (those scripts write no spaces, so
 * names are found by longest match over characters), emoji, and the few
 * punctuation marks that mean something in an order ("," "&" "+" "×" "、"),
 * and currency signs ("€10" is an amount, not ten of something).
 */
export type TokenKind = "word" | "number" | "han" | "emoji" | "mark";

export interface Token {
  /** As typed. */
  readonly text: string;
  /** The form compared: lower case, no accents, full-width folded ("Café" → "cafe", "２" → "2"). */
  readonly key: string;
  readonly kind: TokenKind;
  /** Where it is in the sentence, in UTF-16 code units: `text === sentence.slice(start, end)`. */
  readonly start: number;
  readonly end: number;
  /**
   * It touches an apostrophe: the "l" of "l'expresso", the "s" of "let's".
   * Such a single letter is grammar, never the size "L" or "S".
   */
  readonly clitic: boolean;
}

const CHARACTER = String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]`;
const EMOJI = String.raw`\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]*`;
const TOKEN = new RegExp(
  [
    `(${CHARACTER})`,
    String.raw`(\p{Nd}+)`,
    String.raw`((?:(?!${CHARACTER})[\p{L}\p{M}])+)`,
    String.raw`(${EMOJI}(?:\u200D${EMOJI})*)`,
    String.raw`([,;&+×、，；＋＆]|\p{Sc})`,
  ].join("|"),
  "gu",
);
const APOSTROPHE = /^['’ʼ`]\p{L}/u;
const EMOJI_DECORATION = /[\uFE0F\p{Emoji_Modifier}]/gu;

/** The compared form of one token's text. */
function keyOf(text: string, kind: TokenKind): string {
  switch (kind) {
    case "word":
      return normalize(text.normalize("NFKC")).replace(/œ/g, "oe").replace(/æ/g, "ae");
    case "emoji":
      return text.replace(EMOJI_DECORATION, "");
    default:
      return text.normalize("NFKC");
  }
}

/** Cuts a sentence into tokens; everything else (spaces, other punctuation) only separates them. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let afterApostrophe = -1;
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    const typed = match[0];
    const end = start + typed.length;
    const kind: TokenKind = match[1] ? "han" : match[2] ? "number" : match[3] ? "word" : match[4] ? "emoji" : "mark";
    const elided = kind === "word" && APOSTROPHE.test(text.slice(end, end + 2));
    tokens.push({ text: typed, key: keyOf(typed, kind), kind, start, end, clitic: elided || start === afterApostrophe });
    if (elided) afterApostrophe = end + 1;
  }
  return tokens;
}

/** The keys of a phrase as the tokenizer cuts it: the form phrases are stored in. */
export function phraseKeys(phrase: string): string[] {
  return tokenize(phrase).map((t) => t.key);
}
