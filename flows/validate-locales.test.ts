import { describe, expect, it } from "vitest";
import { catalog } from "../bots/cafe/catalog.ts";
import cafe from "../bots/cafe/index.ts";
import { defineBot } from "./bot.ts";
import { flow } from "./builder.ts";
import { formatProblem } from "./errors.ts";
import { validateBot } from "./validate.ts";
import { parseFlowSource } from "./yaml/load.ts";

const src = (...lines: string[]) => `${lines.join("\n")}\n`;

const messages = (problems: ReturnType<typeof validateBot>) => problems.map((p) => formatProblem(p));

describe("translations of a bot with several locales", () => {
  const file = src(
    "id: order", //
    'version: "1"',
    "steps:",
    "  - id: greet",
    "    type: say",
    "    text:",
    "      en: Welcome!",
    "      fr: Bienvenue !",
    "  - id: menu",
    "    type: catalog",
    "    prompt: What would you like?",
    "  - id: done",
    "    type: end",
    "    text: { en: Bye, fr: Salut, zh-CN: 再见, de: Tschüss }",
  );

  it("names each missing translation and each untranslated text, with file:line:column and a fix", () => {
    const order = parseFlowSource(file, "bots/shop/flows/order.yaml");
    const problems = validateBot({ id: "shop", name: "Shop", catalog, locale: "en", locales: ["en", "fr", "zh-CN"], flows: [order] });
    expect(messages(problems)).toEqual([
      "bots/shop/flows/order.yaml:7:7: bot 'shop', flow 'order', step 'greet', field 'text': missing translation 'zh-CN'",
      "bots/shop/flows/order.yaml:11:13: bot 'shop', flow 'order', step 'menu', field 'prompt': this text has no translations; give it fr and zh-CN",
      "bots/shop/flows/order.yaml:14:48: bot 'shop', flow 'order', step 'done', field 'text.de': 'de' is not one of the bot's locales (en, fr, zh-CN), so no customer reads it",
    ]);
    expect(problems.map((p) => p.fix)).toEqual([
      "add zh-CN: … to text",
      "write it per locale: prompt: { en: …, fr: …, zh-CN: … }",
      "add 'de' to the bot's locales, or remove this translation",
    ]);
  });

  it("asks a choice's labels for every locale too", () => {
    const order = parseFlowSource(
      src(
        "id: pick", //
        'version: "1"',
        "steps:",
        "  - id: milk",
        "    type: ask",
        "    input: choice",
        "    prompt: { en: Milk?, fr: Lait ? }",
        "    slot: milk",
        "    choices:",
        "      - { label: { en: Oat, fr: Avoine }, value: oat }",
        "      - { label: { en: Cow }, value: cow }",
      ),
      "pick.yaml",
    );
    expect(messages(validateBot({ id: "b", name: "B", locales: ["en", "fr"], flows: [order] }))).toEqual([
      "pick.yaml:11:18: bot 'b', flow 'pick', step 'milk', field 'choices[1].label': missing translation 'fr'",
    ]);
  });

  it("asks nothing of a bot with one locale", () => {
    const order = parseFlowSource(file, "order.yaml");
    expect(validateBot({ id: "shop", name: "Shop", catalog, flows: [order] })).toEqual([]);
  });

  it("checks the templates of every variant", () => {
    const main = flow("main", "1").say("hi", { en: "Hi {{ slots.name }}", fr: "Salut {{ slot.name }}" }).end("done").build();
    const problems = messages(validateBot({ id: "b", name: "B", catalog, locales: ["en", "fr"], flows: [main] }));
    expect(problems.some((p) => p.includes("field 'text.fr'") && p.includes("'slot' is not something a text can read"))).toBe(true);
  });

  it("needs built-in texts for every locale: a locale Kiosk lacks must bring its own", () => {
    const main = flow("main", "1").say("hi", { en: "Hi", de: "Hallo" }).end("done").build();
    const definition = { id: "b", name: "B", catalog, locales: ["en", "de"], flows: [main] };
    expect(messages(validateBot(definition))).toEqual([
      "bot 'b': Kiosk has no built-in texts for locale 'de' (it has en, fr, zh-CN)",
    ]);
    expect(validateBot({ ...definition, textsByLocale: { de: { yes: "Ja", no: "Nein" } } })).toEqual([]);
  });

  it("wants the default locale among the locales", () => {
    const main = flow("main", "1").say("hi", { fr: "Salut", "zh-CN": "你好" }).end("done").build();
    expect(() => defineBot({ id: "b", name: "B", locale: "en", locales: ["fr", "zh-CN"], flows: [main] })).toThrow(
      "locales (fr, zh-CN) do not include the default locale 'en'",
    );
  });

  it("finds every text of the cafe translated into English, French and Chinese", () => {
    expect(cafe.locales).toEqual(["en", "fr", "zh-CN"]);
    expect(validateBot(cafe.definition)).toEqual([]);
  });
});
