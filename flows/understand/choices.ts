import type { OptionChoice, OptionGroup } from "../../commerce/index.ts";
import type { OptionSource } from "./dictionary.ts";
import { SIZE_SYNONYMS, SIZE_WORDS, type Size } from "./lexicon.ts";
import { phraseKeys } from "./tokens.ts";

/** One way of naming a choice of a group. */
export interface ChoicePhrase {
  readonly choiceId: string;
  readonly phrase: string;
  readonly source: OptionSource;
  /** The locale it is written in; undefined for the label, the id and the built-in size words. */
  readonly locale: string | undefined;
}

const SIZES = Object.keys(SIZE_WORDS) as Size[];
/** Each size's words in the form they are compared in. */
const SIZE_KEYS = new Map(SIZES.map((size) => [size, new Set(SIZE_WORDS[size].map((w) => phraseKeys(w).join(" ")))]));

/** The size a choice looks like by its id, label or a name: "l", "Large", "大杯"; undefined when none or several. */
function sizeOf(choice: OptionChoice): Size | undefined {
  const said = [choice.id, choice.label, ...Object.values(choice.names ?? {})].map((w) => phraseKeys(w).join(" "));
  const sizes = SIZES.filter((size) => said.some((w) => SIZE_KEYS.get(size)?.has(w)));
  return sizes.length === 1 ? sizes[0] : undefined;
}

/**
 * The choices of `group` that are sizes, by size: only when two sizes or
 * more are there, each on one choice, so a group of milks with an "L" for
 * lactose-free is not taken for sizes.
 */
function sizeChoices(group: OptionGroup): Map<Size, string> {
  const bySize = new Map<Size, string[]>();
  for (const choice of group.choices) {
    const size = sizeOf(choice);
    if (size) bySize.set(size, [...(bySize.get(size) ?? []), choice.id]);
  }
  const sizes = new Map<Size, string>();
  for (const [size, [choiceId, ...others]] of bySize) if (choiceId !== undefined && others.length === 0) sizes.set(size, choiceId);
  return sizes.size >= 2 ? sizes : new Map();
}

/** Every phrase that names a choice of `group`: its label, names, id and aliases, and the size words of a size group. */
export function choicePhrases(group: OptionGroup): ChoicePhrase[] {
  const phrases: ChoicePhrase[] = [];
  for (const choice of group.choices) {
    const choiceId = choice.id;
    phrases.push({ choiceId, phrase: choice.label, source: "label", locale: undefined });
    for (const [locale, phrase] of Object.entries(choice.names ?? {})) phrases.push({ choiceId, phrase, source: "name", locale });
    phrases.push({ choiceId, phrase: choice.id, source: "id", locale: undefined });
    for (const [locale, aliases] of Object.entries(choice.aliases ?? {})) {
      for (const phrase of aliases) phrases.push({ choiceId, phrase, source: "alias", locale });
    }
  }
  for (const [size, choiceId] of sizeChoices(group)) {
    for (const phrase of [...SIZE_WORDS[size], ...SIZE_SYNONYMS[size]]) phrases.push({ choiceId, phrase, source: "size-word", locale: undefined });
  }
  return phrases;
}
