import { languageOf } from "../locale.ts";

/** The one thing some entries name; `byLocale` when the customer's language decided between several. */
export interface WhichOne {
  readonly id: string;
  readonly byLocale: boolean;
}

/**
 * The one id `entries` name; when they name several, the one named in the
 * customer's language ("crème" is a French alias of the latte and could be
 * another product's English name); undefined when still several.
 */
export function whichOne<E extends { readonly locale: string | undefined }>(
  entries: readonly E[],
  idOf: (entry: E) => string,
  locale: string | undefined,
): WhichOne | undefined {
  const ids = new Set(entries.map(idOf));
  const [only] = ids;
  if (ids.size === 1 && only !== undefined) return { id: only, byLocale: false };
  if (locale === undefined) return undefined;
  const language = languageOf(locale);
  const inLanguage = new Set(entries.filter((e) => e.locale !== undefined && languageOf(e.locale) === language).map(idOf));
  const [preferred] = inLanguage;
  return inLanguage.size === 1 && preferred !== undefined ? { id: preferred, byLocale: true } : undefined;
}
