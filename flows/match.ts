import { distance } from "fastest-levenshtein";

/** A choice as offered on screen: a button, a card's action or a list entry. */
export interface ScreenChoice {
  readonly label: string;
  readonly payload: string;
  readonly aliases?: readonly string[];
}

/** Lower case, accents and punctuation removed, spaces folded: "Latté!" → "latte". */
export function normalize(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** True when `a` becomes `b` by swapping two neighbouring letters ("latet" → "latte"). */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** One typo apart: a letter added, dropped or changed, or two neighbours swapped ("latet" → "latte"). */
export function oneTypoApart(typed: string, word: string): boolean {
  return distance(word, typed) <= 1 || isTransposition(word, typed);
}

function words(choice: ScreenChoice): string[] {
  return [choice.label, ...(choice.aliases ?? [])].map(normalize).filter((w) => w.length > 0);
}

/**
 * Finds the choice a customer meant: its payload, its number in the list, its
 * label or an alias (ignoring case and accents), or a label one typo away
 * (only when no other choice is as close).
 */
export function matchChoice(choices: readonly ScreenChoice[], input: string): ScreenChoice | undefined {
  const exact = choices.find((c) => c.payload === input);
  if (exact) return exact;
  const trimmed = input.trim();
  if (/^\d{1,3}$/.test(trimmed)) {
    const byNumber = choices[Number(trimmed) - 1];
    if (byNumber) return byNumber;
  }
  const typed = normalize(trimmed);
  if (typed.length === 0) return undefined;
  const equal = choices.filter((c) => words(c).includes(typed));
  if (equal.length === 1) return equal[0];
  if (equal.length > 1) return undefined;
  // One typo is forgiven only on words long enough for a typo to be unambiguous.
  if (typed.length < 4) return undefined;
  const near = choices.filter((c) =>
    words(c).some((w) => w.length >= 4 && oneTypoApart(typed, w)),
  );
  return near.length === 1 ? near[0] : undefined;
}
