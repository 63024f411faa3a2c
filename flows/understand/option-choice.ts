import type { OptionGroup } from "../../commerce/index.ts";
import { choicePhrases } from "./choices.ts";
import { Dictionary, isCliticLetter, type Entry, type OptionEntry } from "./dictionary.ts";
import { PhraseTrie } from "./phrases.ts";
import { whichOne } from "./which-one.ts";

/** Built once per option group. */
const dictionaries = new WeakMap<OptionGroup, Dictionary>();

function groupDictionary(group: OptionGroup): Dictionary {
  let dictionary = dictionaries.get(group);
  if (!dictionary) {
    const trie = new PhraseTrie<Entry>();
    for (const { choiceId, phrase, source, locale } of choicePhrases(group)) {
      trie.add(phrase, { kind: "option", productId: undefined, groupId: group.id, choiceId, source, locale });
    }
    dictionary = new Dictionary(trie);
    dictionaries.set(group, dictionary);
  }
  return dictionary;
}

/**
 * An option choice of `group` named in the text ("large", "a large one
 * please", "grand", "大杯", "oat milk", a choice's label, name in any locale,
 * id or alias): its choice id; undefined when none, when two choices are
 * named, or when the text refuses it ("not large"). Other words are let be:
 * "a large latte" answers the size question.
 *
 * @example
 * readOptionChoice("a large one please", size) // "l"
 */
export function readOptionChoice(text: string, group: OptionGroup, locale?: string): string | undefined {
  const dictionary = groupDictionary(group);
  const reading = dictionary.read(text);
  const pieces = dictionary.scan(reading, (entry, r, from, to) => entry.kind !== "option" || !isCliticLetter(r, from, to));
  if (pieces.some((p) => p.kind === "negation")) return undefined;
  const named = new Set<string | undefined>();
  for (const piece of pieces) {
    if (piece.kind !== "option") continue;
    const entries = piece.entries.filter((e): e is OptionEntry => e.kind === "option");
    named.add(whichOne(entries, (e) => e.choiceId, locale)?.id);
  }
  const [only] = named;
  return named.size === 1 ? only : undefined;
}
