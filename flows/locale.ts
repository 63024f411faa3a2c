/**
 * Which of a text's languages a customer reads: their exact locale, then its
 * language ("fr-CA" → "fr"), then the bot's default locale.
 */

/** A text written in several languages, keyed by BCP 47 locale: `{ en: "Hi", fr: "Salut" }`. */
export type LocalizedText = Readonly<Record<string, string>>;

/** The language part of a locale: "zh-CN" → "zh". */
export function languageOf(locale: string): string {
  return locale.split("-")[0]?.toLowerCase() ?? locale;
}

/** Locales are compared without case, as BCP 47 says: "zh-cn" is "zh-CN". */
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The key of `available` to use for `wanted`, falling back to `fallback`
 * (the bot's locale) by the same rules; undefined when nothing fits.
 *
 * @example
 * resolveLocale(["en", "fr"], "fr-CA", "en") // "fr"
 */
export function resolveLocale(available: readonly string[], wanted: string, fallback: string): string | undefined {
  for (const locale of [wanted, fallback]) {
    const exact = available.find((a) => same(a, locale));
    if (exact !== undefined) return exact;
    const language = languageOf(locale);
    const sameLanguage = available.find((a) => same(a, language)) ?? available.find((a) => languageOf(a) === language);
    if (sameLanguage !== undefined) return sameLanguage;
  }
  return undefined;
}

/** The variant of `text` for `locale`; the first variant when neither it nor the fallback is there. */
export function pickVariant(text: LocalizedText, locale: string, fallback: string): string {
  const keys = Object.keys(text);
  const key = resolveLocale(keys, locale, fallback) ?? keys[0];
  return key === undefined ? "" : (text[key] ?? "");
}

/** A name shown to customers, with optional translations: a product, a category, an option. */
export interface Named {
  readonly names?: LocalizedText;
}

/** `base` in the customer's language when `names` has it; `base` is the name in the bot's default locale. */
export function localName(base: string, item: Named, locale: string, fallback: string): string {
  const names = item.names;
  if (!names) return base;
  const key = resolveLocale(Object.keys(names), locale, fallback);
  // The bot's own locale is what `base` is written in, unless names says otherwise.
  if (key === undefined) return base;
  return names[key] ?? base;
}

/** Every name an item goes by, for matching what a customer types in any language. */
export function allNames(base: string, item: Named): string[] {
  return [base, ...Object.values(item.names ?? {})];
}

/** "Français", "English", "简体中文": a locale named in its own language. */
export function nativeName(locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: "language" }).of(locale);
    return name === undefined ? locale : name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
  } catch {
    return locale;
  }
}
