/**
 * Checks of a bot that speaks several languages: every text of its flows
 * has each of its locales, and Kiosk (or the bot) has built-in texts for each.
 */
import type { BotDefinition } from "./bot.ts";
import { resolveLocale } from "./locale.ts";
import type { FlowReport } from "./report.ts";
import { BUILT_IN_TEXTS } from "./texts.ts";
import { textFields } from "./texts-of.ts";

/** The locales a bot speaks, its default first; what the `language` command offers. */
export function botLocales(definition: BotDefinition): readonly string[] {
  return definition.locales ?? [definition.locale ?? "en"];
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const and = (items: readonly string[]) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1) ?? ""}`);

/**
 * With more than one locale, each text must be a map with every one of them:
 * a text missing a language would silently fall back to the default one.
 */
export function checkTranslations(report: FlowReport, locales: readonly string[], defaultLocale: string): void {
  if (locales.length < 2) return;
  const others = locales.filter((l) => !same(l, defaultLocale));
  report.flow.steps.forEach((step, index) => {
    for (const { field, text, within = [] } of textFields(step)) {
      if (typeof text === "function") continue;
      if (typeof text === "string") {
        report.add(
          { index, field: [...within, field] },
          `this text has no translations; give it ${and(others)}`,
          `write it per locale: ${field}: { ${locales.map((l) => `${l}: …`).join(", ")} }`,
        );
        continue;
      }
      const written = Object.keys(text);
      for (const locale of locales) {
        if (written.some((w) => same(w, locale))) continue;
        report.add({ index, field: [...within, field] }, `missing translation '${locale}'`, `add ${locale}: … to ${field}`);
      }
      for (const extra of written.filter((w) => !locales.some((l) => same(l, w)))) {
        report.add(
          { index, field: [...within, field, extra] },
          `'${extra}' is not one of the bot's locales (${locales.join(", ")}), so no customer reads it`,
          `add '${extra}' to the bot's locales, or remove this translation`,
        );
      }
    }
  });
}

/** Problems of the bot's locales themselves, as `[message, fix]`. */
export function localeProblems(definition: BotDefinition): Array<[string, string]> {
  const locales = botLocales(definition);
  const locale = definition.locale ?? "en";
  const problems: Array<[string, string]> = [];
  if (!locales.some((l) => same(l, locale))) {
    problems.push([`locales (${locales.join(", ")}) do not include the default locale '${locale}'`, `add '${locale}' to locales`]);
  }
  const builtIn = Object.keys(BUILT_IN_TEXTS);
  for (const l of locales) {
    if (resolveLocale(builtIn, l, l) !== undefined || definition.textsByLocale?.[l] !== undefined) continue;
    problems.push([
      `Kiosk has no built-in texts for locale '${l}' (it has ${builtIn.join(", ")})`,
      `give them in defineBot({ textsByLocale: { "${l}": { … } } }), or remove '${l}' from locales`,
    ]);
  }
  return problems;
}
