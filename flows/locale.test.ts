import { describe, expect, it } from "vitest";
import { shop as cafeShop } from "../bots/cafe/catalog.ts";
import { defineBot } from "./bot.ts";
import { flow } from "./builder.ts";
import { localName, nativeName, pickVariant, resolveLocale } from "./locale.ts";
import { englishTexts, textsFor } from "./texts.ts";
import { frenchTexts } from "./texts-fr.ts";
import { chineseTexts } from "./texts-zh.ts";

describe("resolveLocale", () => {
  const available = ["en", "fr", "zh-CN"];

  it("takes the exact locale, then its language, then the fallback", () => {
    expect(resolveLocale(available, "fr", "en")).toBe("fr");
    expect(resolveLocale(available, "fr-CA", "en")).toBe("fr");
    expect(resolveLocale(available, "zh-TW", "en")).toBe("zh-CN");
    expect(resolveLocale(available, "de", "en")).toBe("en");
    expect(resolveLocale(available, "de-AT", "fr")).toBe("fr");
  });

  it("ignores case, as BCP 47 does", () => {
    expect(resolveLocale(available, "zh-cn", "en")).toBe("zh-CN");
    expect(resolveLocale(available, "FR", "en")).toBe("fr");
  });

  it("finds nothing when neither the locale nor the fallback is there", () => {
    expect(resolveLocale(["fr"], "de", "en")).toBeUndefined();
  });
});

describe("pickVariant and localName", () => {
  const text = { en: "Hello", fr: "Bonjour", "zh-CN": "你好" };

  it("shows the customer's variant, falling back to the bot's default", () => {
    expect(pickVariant(text, "fr-CA", "en")).toBe("Bonjour");
    expect(pickVariant(text, "zh-CN", "en")).toBe("你好");
    expect(pickVariant(text, "de", "en")).toBe("Hello");
    expect(pickVariant({ fr: "Bonjour" }, "de", "en")).toBe("Bonjour");
  });

  it("names a catalog item in the customer's language, else by its own name", () => {
    const drinks = { names: { fr: "Boissons" } };
    expect(localName("Drinks", drinks, "fr-BE", "en")).toBe("Boissons");
    expect(localName("Drinks", drinks, "zh-CN", "en")).toBe("Drinks");
    expect(localName("Drinks", {}, "fr", "en")).toBe("Drinks");
  });

  it("names a locale in its own language", () => {
    expect(nativeName("fr")).toBe("Français");
    expect(nativeName("en")).toBe("English");
  });
});

describe("built-in texts per locale", () => {
  it("has English, French and Simplified Chinese, with the same fallback", () => {
    expect(textsFor("fr-CA", "en").cartEmpty).toBe(frenchTexts.cartEmpty);
    expect(textsFor("zh-CN", "en").cartEmpty).toBe(chineseTexts.cartEmpty);
    expect(textsFor("de", "en").cartEmpty).toBe(englishTexts.cartEmpty);
    expect(textsFor("de", "fr").cartEmpty).toBe(frenchTexts.cartEmpty);
  });

  it("puts a bot's overrides on their own locale only", () => {
    const overrides = { en: { cartEmpty: "Nothing yet." }, fr: { cartEmpty: "Rien encore." } };
    expect(textsFor("en-GB", "en", overrides).cartEmpty).toBe("Nothing yet.");
    expect(textsFor("fr", "en", overrides).cartEmpty).toBe("Rien encore.");
    expect(textsFor("zh-CN", "en", overrides).cartEmpty).toBe(chineseTexts.cartEmpty);
  });

  it("speaks only the bot's locales: an English bot answers a French customer in English", () => {
    const main = flow("main", "1").say("hi", "Hi").end("done").build();
    const english = defineBot({ id: "en-only", name: "En", ...cafeShop, flows: [main], texts: { cartEmpty: "Empty!" } });
    expect(english.textsFor("fr").cartEmpty).toBe("Empty!");
    const bilingual = flow("main", "1").say("hi", { en: "Hi", fr: "Salut" }).end("done").build();
    const both = defineBot({ id: "both", name: "Both", ...cafeShop, flows: [bilingual], locales: ["en", "fr"], textsByLocale: { fr: { cartEmpty: "Vide !" } } });
    expect(both.textsFor("fr-CA").cartEmpty).toBe("Vide !");
    expect(both.textsFor("zh-CN").cartEmpty).toBe(englishTexts.cartEmpty);
  });
});
