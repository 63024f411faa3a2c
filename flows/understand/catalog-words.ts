import type { CatalogIndex, Product } from "../../commerce/index.ts";
import { choicePhrases } from "./choices.ts";
import { Dictionary, isBuiltInWord, isUnitWord, type Entry, type PartOfName, type ProductEntry } from "./dictionary.ts";
import { LINK_WORDS } from "./lexicon.ts";
import { PhraseTrie } from "./phrases.ts";
import { phraseKeys } from "./tokens.ts";

/** Every name and alias of a product with the locale it is written in (undefined for the base name). */
export function namesOf(product: Product): { phrase: string; source: "name" | "alias"; locale: string | undefined }[] {
  return [
    { phrase: product.name, source: "name", locale: undefined },
    ...Object.entries(product.names ?? {}).map(([locale, phrase]) => ({ phrase, source: "name" as const, locale })),
    ...Object.entries(product.aliases ?? {}).flatMap(([locale, phrases]) => phrases.map((phrase) => ({ phrase, source: "alias" as const, locale }))),
  ];
}

/** A word that can name a thing on its own: three letters or more, or two Chinese characters together. */
const significant = (keys: readonly string[]) => keys.some((k) => /^\p{L}{3,}$/u.test(k)) || keys.filter((k) => /^\p{Script=Han}$/u.test(k)).length >= 2;
/** A part of a name begins and ends on words of its own, not "the", "de" or a number. */
const edge = (key: string | undefined) => key !== undefined && !isBuiltInWord(key) && !/^\d+$/.test(key);

const LINKS: ReadonlySet<string> = new Set(LINK_WORDS.flatMap(phraseKeys));

/** A word of a name that says what it is: not a number, a unit or a link ("250", "g" and "au" say nothing of what "coffee beans 250 g" is). */
const naming = (key: string) => /\p{L}/u.test(key) && !isBuiltInWord(key) && !isUnitWord(key) && !LINKS.has(key);

/** A part of a name: its words, and what the name says around it. */
interface Part {
  readonly keys: string[];
  readonly around: PartOfName;
}

/** The parts of a name a customer may type for it: "beans" and "coffee beans" of "Coffee beans 250 g", "牛角" of "牛角面包". */
export function partsOf(keys: readonly string[]): Part[] {
  const linked = keys.some((k) => LINKS.has(k));
  const parts: Part[] = [];
  for (let from = 0; from < keys.length; from++) {
    for (let to = from + 1; to <= keys.length; to++) {
      if (to - from === keys.length) continue;
      const part = keys.slice(from, to);
      if (!edge(part[0]) || !edge(part[part.length - 1]) || !significant(part)) continue;
      const before = keys.slice(0, from).filter(naming);
      const after = keys.slice(to).filter(naming);
      const around = { oneSide: linked && !part.some((k) => LINKS.has(k)), goesOnBefore: before.length > 0, goesOnAfter: after.length > 0, rest: new Set([...before, ...after]) };
      parts.push({ keys: part, around });
    }
  }
  return parts;
}

/** Every name, alias, part of a name and option choice of a catalog's products; a new trie each call, which a caller may add its own words to. */
export function catalogTrie(catalog: CatalogIndex): PhraseTrie<Entry> {
  const trie = new PhraseTrie<Entry>();
  for (const product of catalog.catalog.products) {
    const productId = product.id;
    for (const { phrase, source, locale } of namesOf(product)) {
      const keys = phraseKeys(phrase);
      trie.addKeys(keys, { kind: "product", productId, source, locale } satisfies ProductEntry);
      for (const { keys: part, around } of partsOf(keys)) trie.addKeys(part, { kind: "product", productId, source: "partial", locale, around });
    }
    trie.add(productId, { kind: "product", productId, source: "id", locale: undefined });
    for (const group of product.options ?? []) {
      for (const { choiceId, phrase, source, locale } of choicePhrases(group)) {
        trie.add(phrase, { kind: "option", productId, groupId: group.id, choiceId, source, locale });
      }
    }
  }
  return trie;
}

/** Built once per catalog: a bot's catalog does not change while it runs, and a new one is a new CatalogIndex. */
const dictionaries = new WeakMap<CatalogIndex, Dictionary>();

/** The dictionary of a catalog's names, aliases and options, with the built-in words. */
export function catalogDictionary(catalog: CatalogIndex): Dictionary {
  let dictionary = dictionaries.get(catalog);
  if (!dictionary) {
    dictionary = new Dictionary(catalogTrie(catalog));
    dictionaries.set(catalog, dictionary);
  }
  return dictionary;
}
