import { closest, distance } from "fastest-levenshtein";

/** The known name a typo most likely meant ("menuu" → "menu"), if one is close enough to be a guess. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closest(word, known);
  const d = distance(word.toLowerCase(), best.toLowerCase());
  // Beyond about a third of the word (two edits for a swap), a "suggestion" is noise rather than help.
  return d <= Math.max(2, Math.floor(word.length / 3)) && d < word.length ? best : undefined;
}

