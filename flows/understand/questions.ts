import type { Piece, Reading } from "./dictionary.ts";
import { QUESTION_OPENERS, QUESTION_PARTICLES, QUESTION_WORDS, REQUESTS, WH_WORDS } from "./lexicon.ts";
import { PhraseTrie } from "./phrases.ts";

function trieOf(phrases: readonly string[]): PhraseTrie<true> {
  const trie = new PhraseTrie<true>();
  for (const phrase of phrases) trie.add(phrase, true);
  return trie;
}

const ASKING = trieOf(QUESTION_WORDS);
const ASKING_IF_MARKED = trieOf(WH_WORDS);
const OPENERS = trieOf(QUESTION_OPENERS);
const PARTICLES = trieOf(QUESTION_PARTICLES);
const ASKING_FOR = trieOf(REQUESTS);
const QUESTION_MARK_AT_END = /[?？]\s*$/u;

const saysAnywhere = (trie: PhraseTrie<true>, keys: readonly string[]) => keys.some((_, i) => trie.matchesAt(keys, i).length > 0);

/**
 * Whether a sentence asks something rather than orders it: a question word
 * ("how much", "combien", "多少") anywhere, or "what", "quel"… in one ending
 * with "?"; or, when it is not a request
 * ("can I get…?", "je peux avoir…?", "可以…吗"), a yes/no question's mark —
 * "is", "does", "est-ce que" first, "吗" last, or a "?" after words that are
 * not all understood ("les croissants sont frais ?"). "espresso?" alone is
 * an order said with a rising voice.
 */
export function isQuestion(reading: Reading, pieces: readonly Piece[]): boolean {
  const { keys } = reading;
  const marked = QUESTION_MARK_AT_END.test(reading.text);
  if (saysAnywhere(ASKING, keys) || (marked && saysAnywhere(ASKING_IF_MARKED, keys))) return true;
  if (saysAnywhere(ASKING_FOR, keys)) return false;
  const first = pieces.find((p) => p.kind !== "filler" && p.kind !== "separator");
  if (first && OPENERS.matchesAt(keys, first.from).length > 0) return true;
  const last = keys[keys.length - 1];
  if (last !== undefined && PARTICLES.matchesAt([last], 0).length > 0) return true;
  return marked && pieces.some((p) => p.kind === "unknown");
}
