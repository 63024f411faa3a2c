/**
 * Names a customer could not tell apart: a phrase that names two products
 * (or two choices of one product's options), or two services or people of
 * a booking calendar, in the same language. Typed,
 * it names neither, so the menu never guesses; `kiosk validate` warns the
 * business so it can rename or drop an alias.
 */
import type { BookingCalendar, CatalogIndex } from "../../commerce/index.ts";
import { namesOf } from "./catalog-words.ts";
import { choicePhrases } from "./choices.ts";
import { phraseKeys } from "./tokens.ts";

/** One phrase shared by several things, in one locale (undefined: a base name or label, read in every locale). */
export interface SharedName {
  readonly phrase: string;
  readonly locale: string | undefined;
  /** What it names: `product 'latte'`, or `option 'size' choice 'l' of product 'latte'`. */
  readonly names: readonly string[];
}

interface Named {
  readonly phrase: string;
  readonly locale: string | undefined;
  readonly what: string;
}

/** Phrases equal once normalized, whose locales meet (the same, or one of them a base name), naming different things. */
function shared(entries: readonly Named[]): SharedName[] {
  const byKey = new Map<string, Named[]>();
  for (const entry of entries) {
    const key = phraseKeys(entry.phrase).join(" ");
    if (key === "") continue;
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  const found: SharedName[] = [];
  for (const group of byKey.values()) {
    const locales = new Set(group.map((e) => e.locale));
    for (const locale of locales) {
      const meeting = group.filter((e) => e.locale === locale || e.locale === undefined || locale === undefined);
      const names = [...new Set(meeting.map((e) => e.what))].sort();
      if (names.length > 1 && !found.some((f) => f.names.join() === names.join())) found.push({ phrase: meeting[0]?.phrase ?? "", locale, names });
    }
  }
  return found;
}

/**
 * Every phrase of the catalog that names two products, or two option
 * choices of one product, in a locale.
 *
 * @example
 * sharedNames(indexCatalog(catalog)) // [{ phrase: "coffee", locale: "en", names: ["product 'espresso'", "product 'filter'"] }]
 */
export function sharedNames(catalog: CatalogIndex): SharedName[] {
  const products = catalog.catalog.products.flatMap((product) => namesOf(product).map(({ phrase, locale }) => ({ phrase, locale, what: `product '${product.id}'` })));
  const options = catalog.catalog.products.flatMap((product) =>
    shared(
      (product.options ?? []).flatMap((group) =>
        choicePhrases(group)
          .filter((c) => c.source !== "size-word" && c.source !== "id")
          .map((c) => ({ phrase: c.phrase, locale: c.locale, what: `option '${group.id}' choice '${c.choiceId}' of product '${product.id}'` })),
      ),
    ),
  );
  return [...shared(products), ...options];
}

/** The calendar's names and aliases, by locale: a base name is read in every locale. */
function calendarNames(calendar: BookingCalendar): Named[] {
  const named: Named[] = [];
  for (const [kind, things] of [["service", calendar.services], ["resource", calendar.resources]] as const) {
    for (const thing of things) {
      const what = `${kind} '${thing.id}'`;
      named.push({ phrase: thing.name, locale: undefined, what });
      if ("names" in thing) for (const [locale, phrase] of Object.entries(thing.names ?? {})) named.push({ phrase, locale, what });
      for (const [locale, phrases] of Object.entries(thing.aliases ?? {})) for (const phrase of phrases) named.push({ phrase, locale, what });
    }
  }
  return named;
}

/**
 * Every phrase of a booking calendar that names two services, two people,
 * or a service and a person, in a locale.
 *
 * @example
 * calendarSharedNames(calendar) // [{ phrase: "trim", locale: "en", names: ["service 'beard'", "service 'haircut'"] }]
 */
export function calendarSharedNames(calendar: BookingCalendar): SharedName[] {
  return shared(calendarNames(calendar));
}
