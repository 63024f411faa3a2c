import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../../bots/cafe/catalog.ts";
import { indexCatalog, type Catalog, type OptionGroup, type Product } from "../../commerce/index.ts";
import { readOrder } from "./index.ts";

const cafe = indexCatalog(cafeCatalog);

/** The items as `id×quantity(group=choice)`, quantity "?" when not said: one string to compare. */
function items(text: string, options?: Parameters<typeof readOrder>[2]): string[] {
  return readOrder(text, cafe, options).items.map((item) => {
    const chosen = Object.entries(item.options).map(([group, choice]) => `${group}=${choice}`);
    return `${item.productId}×${item.quantity ?? "?"}${chosen.length > 0 ? `(${chosen.join(",")})` : ""}`;
  });
}
const unknown = (text: string) => readOrder(text, cafe).unknown;

/** A one-category menu of these products, each at €1. */
function menu(...products: (Pick<Product, "id" | "name"> & Partial<Product>)[]) {
  return indexCatalog({ currency: "EUR", categories: [{ id: "c", name: "C" }], products: products.map((p) => ({ category: "c", price: 100, ...p })) });
}

describe("readOrder: the cafe's sentences from issue 15", () => {
  it("2 lattes please", () => {
    expect(items("2 lattes please")).toEqual(["latte×2"]);
    expect(unknown("2 lattes please")).toEqual([]);
  });

  it("a large latte with oat milk: the large latte, and the oat milk the cafe does not have said", () => {
    expect(items("a large latte with oat milk")).toEqual(["latte×1(size=l)"]);
    expect(unknown("a large latte with oat milk")).toEqual(["oat milk"]);
  });

  it("I want a croissant, the croissants, un croissant", () => {
    expect(items("I want a croissant")).toEqual(["croissant×1"]);
    expect(items("the croissants")).toEqual(["croissant×?"]);
    expect(items("un croissant")).toEqual(["croissant×1"]);
    for (const text of ["I want a croissant", "the croissants", "un croissant"]) expect(unknown(text)).toEqual([]);
  });

  it("café and ☕ are the espresso's aliases: a whole alias beats a part of 'Café au lait'", () => {
    expect(items("café")).toEqual(["espresso×?"]);
    expect(items("☕")).toEqual(["espresso×?"]);
    expect(items("☕️")).toEqual(["espresso×?"]);
  });

  it("je voudrais un café", () => {
    expect(items("je voudrais un café")).toEqual(["espresso×1"]);
    expect(unknown("je voudrais un café")).toEqual([]);
  });

  it("two cappuccinos and a croissant", () => {
    const reading = readOrder("two cappuccinos and a croissant", cafe);
    expect(reading.items).toEqual([
      { productId: "cappuccino", quantity: 2, options: {}, words: "two cappuccinos" },
      { productId: "croissant", quantity: 1, options: {}, words: "a croissant" },
    ]);
    expect(reading.unknown).toEqual([]);
  });

  it("hi, can I get a latte", () => {
    expect(items("hi, can I get a latte")).toEqual(["latte×1"]);
    expect(unknown("hi, can I get a latte")).toEqual([]);
  });

  it("hi alone is all filler: no item, nothing unknown", () => {
    expect(readOrder("hi", cafe)).toEqual({ items: [], unknown: [], rule: "items: none" });
  });

  it("large alone names no item, and says so", () => {
    expect(items("large")).toEqual([]);
    expect(unknown("large")).toEqual(["large"]);
  });
});

describe("readOrder: English", () => {
  it("reads greetings and the ways of asking as filler", () => {
    for (const text of ["hello, I'd like a latte please", "hey could I have a latte thanks", "I'll have a latte", "can you give me a latte"]) {
      expect(items(text), text).toEqual(["latte×1"]);
      expect(unknown(text), text).toEqual([]);
    }
  });

  it("reads number words, digits and x-quantities before or after the product", () => {
    expect(items("three espressos")).toEqual(["espresso×3"]);
    expect(items("twelve croissants")).toEqual(["croissant×12"]);
    expect(items("a dozen croissants")).toEqual(["croissant×12"]);
    expect(items("a couple of lattes")).toEqual(["latte×2"]);
    expect(items("2x latte")).toEqual(["latte×2"]);
    expect(items("x2 latte")).toEqual(["latte×2"]);
    expect(items("latte x2")).toEqual(["latte×2"]);
    expect(items("lattes × 3")).toEqual(["latte×3"]);
    expect(items("two cups of coffee")).toEqual(["espresso×2"]);
    expect(items("🥐🥐")).toEqual(["croissant×?", "croissant×?"]);
  });

  it("reads plurals: -s, -es, -ies", () => {
    expect(items("2 espressos")).toEqual(["espresso×2"]);
    const pastries = menu({ id: "brownie", name: "Brownie" }, { id: "peach", name: "Peach" }, { id: "cherry", name: "Cherry pie" });
    expect(readOrder("two brownies, 3 peaches and 2 cherries pies", pastries).items.map((i) => [i.productId, i.quantity])).toEqual([
      ["brownie", 2],
      ["peach", 3],
      ["cherry", 2],
    ]);
  });

  it("places options before or after their product, each on its own item", () => {
    expect(items("can I have 2 croissants and a large cappuccino please")).toEqual(["croissant×2", "cappuccino×1(size=l)"]);
    expect(items("a small latte")).toEqual(["latte×1(size=s)"]);
    expect(items("latte medium")).toEqual(["latte×?(size=m)"]);
    expect(items("a latte, large")).toEqual(["latte×1(size=l)"]);
    expect(items("a croissant large latte")).toEqual(["croissant×1", "latte×?(size=l)"]);
    expect(items("a latte L")).toEqual(["latte×1(size=l)"]);
  });

  it("leaves an option the product does not have, or two sizes for one item, not understood", () => {
    expect(items("a large croissant")).toEqual(["croissant×1"]);
    expect(unknown("a large croissant")).toEqual(["large"]);
    expect(items("a small latte large")).toEqual(["latte×1"]);
    expect(unknown("a small latte large")).toEqual(["small", "large"]);
  });

  it("reads a part of a name when only one product has it, and a longer part over a whole alias", () => {
    expect(items("chocolat")).toEqual(["pain-au-chocolat×?"]);
    expect(items("coffee beans", { products: cafeCatalog.products })).toEqual(["beans×?"]);
    expect(items("coffee")).toEqual(["espresso×?"]);
    expect(items("a chocolate croissant")).toEqual(["pain-au-chocolat×1"]);
  });

  it("forgives one typo on a word of four letters or more, and a plural with it", () => {
    expect(items("a cappucino")).toEqual(["cappuccino×1"]);
    expect(items("latet")).toEqual(["latte×?"]);
    expect(items("two croisants")).toEqual(["croissant×2"]);
    expect(items("espreso please")).toEqual(["espresso×?"]);
  });

  it("does not stretch a typo into a part of a name, nor a word into a number", () => {
    // "plain" is one letter from "pain", and "Pain au chocolat" is not what was asked.
    expect(items("a plain croissant")).toEqual(["croissant×1"]);
    expect(unknown("a plain croissant")).toEqual(["plain"]);
    // "fine" is one letter from "five": numbers are read exactly.
    expect(items("fine, a latte")).toEqual(["latte×1"]);
    expect(unknown("fine, a latte")).toEqual(["fine"]);
    // "home" is one letter from "some": a typo is forgiven towards the catalog's words only, never into filler.
    expect(unknown("a latte to take home")).toEqual(["to take home"]);
  });

  it("ignores case, accents and punctuation", () => {
    expect(items("LATTÉ!!!")).toEqual(["latte×?"]);
    expect(readOrder("LATTÉ!!!", cafe).items[0]?.words).toBe("LATTÉ");
  });

  it("reports a negation as not understood rather than reading past it", () => {
    expect(items("a latte without sugar")).toEqual(["latte×1"]);
    expect(unknown("a latte without sugar")).toEqual(["without sugar"]);
  });

  it("never reads a removal or a change as an order of what it removes or changes", () => {
    for (const sentence of ["remove the croissants", "actually remove the croissants", "cancel the croissants", "change the latte to large", "enlève les croissants", "删除牛角面包", "去掉拿铁"]) {
      expect(items(sentence), sentence).toEqual([]);
    }
    expect(items("a latte and remove the croissant")).toEqual(["latte×1"]);
    expect(unknown("a latte and remove the croissant")).toEqual(["remove", "croissant"]);
  });
});

describe("readOrder: French", () => {
  it("reads the French names, articles and politeness", () => {
    expect(items("deux cafés au lait s'il vous plaît")).toEqual(["latte×2"]);
    expect(items("bonjour, je voudrais un expresso et deux croissants, merci")).toEqual(["espresso×1", "croissant×2"]);
    expect(items("trois cappuccinos svp")).toEqual(["cappuccino×3"]);
    expect(items("une chocolatine")).toEqual(["pain-au-chocolat×1"]);
    expect(items("deux pains au chocolat")).toEqual(["pain-au-chocolat×2"]);
    expect(items("je veux l'expresso")).toEqual(["espresso×?"]);
    expect(items("une douzaine de croissants")).toEqual(["croissant×12"]);
    expect(items("deux tasses de café")).toEqual(["espresso×2"]);
    for (const text of ["deux cafés au lait s'il vous plaît", "bonjour, je voudrais un expresso et deux croissants, merci", "je veux l'expresso"]) {
      expect(unknown(text), text).toEqual([]);
    }
  });

  it("reads French sizes, and the longest name: 'petit noir' is an espresso, 'café au lait' a latte", () => {
    expect(items("un grand café au lait")).toEqual(["latte×1(size=l)"]);
    expect(items("un petit cappuccino")).toEqual(["cappuccino×1(size=s)"]);
    expect(items("un petit noir")).toEqual(["espresso×1"]);
    expect(items("un café crème")).toEqual(["latte×1"]);
    expect(items("un café en grains")).toEqual(["beans×1"]);
  });

  it("never takes the l of l' for the size L", () => {
    expect(items("j'aimerais l'expresso")).toEqual(["espresso×?"]);
    expect(items("let's have a latte")).toEqual(["latte×1"]);
  });
});

describe("readOrder: Chinese, by longest match over characters", () => {
  it("reads quantities with measure words, sizes and names without spaces", () => {
    expect(items("两杯大杯拿铁")).toEqual(["latte×2(size=l)"]);
    expect(items("我要一个牛角面包")).toEqual(["croissant×1"]);
    expect(items("十二个牛角面包")).toEqual(["croissant×12"]);
    expect(items("小杯拿铁")).toEqual(["latte×?(size=s)"]);
    expect(items("一杯咖啡")).toEqual(["espresso×1"]);
    expect(unknown("我要一个牛角面包")).toEqual([]);
  });

  it("splits items on 和, 、, ，and 还有, and reads a quantity after its product", () => {
    expect(items("你好，请给我一杯拿铁和两个牛角面包")).toEqual(["latte×1", "croissant×2"]);
    expect(items("我要两杯中杯卡布奇诺还有一个可颂")).toEqual(["cappuccino×2(size=m)", "croissant×1"]);
    expect(items("拿铁两杯、可颂三个")).toEqual(["latte×2", "croissant×3"]);
    expect(readOrder("你好，请给我一杯拿铁和两个牛角面包", cafe).items.map((i) => i.words)).toEqual(["一杯拿铁", "两个牛角面包"]);
  });
});

describe("readOrder: ambiguity and nonsense", () => {
  it("keeps a word two products share unknown, and makes no item of it", () => {
    // 面包 is in 牛角面包 (croissant) and 巧克力面包 (pain au chocolat).
    expect(readOrder("面包", cafe)).toMatchObject({ items: [], unknown: ["面包"] });
    expect(readOrder("两个面包和一杯拿铁", cafe)).toMatchObject({ items: [{ productId: "latte", quantity: 1 }], unknown: ["两个面包"] });
    const teas = menu({ id: "green", name: "Green tea" }, { id: "black", name: "Black tea" });
    expect(readOrder("2 teas", teas)).toMatchObject({ items: [], unknown: ["2 teas"] });
    expect(readOrder("a tea", teas)).toMatchObject({ items: [], unknown: ["tea"] });
    expect(readOrder("a green tea", teas).items.map((i) => i.productId)).toEqual(["green"]);
  });

  it("forgives no typo that two names are as close to", () => {
    const close = menu({ id: "mocha", name: "Mocha" }, { id: "matcha", name: "Macha" });
    expect(readOrder("mocah", close).items.map((i) => i.productId)).toEqual(["mocha"]);
    expect(readOrder("mecha", close)).toMatchObject({ items: [], unknown: ["mecha"] });
  });

  it("lets the customer's language decide between two products a phrase names in different languages", () => {
    const pots = menu({ id: "mocha", name: "Mocha", aliases: { fr: ["moka"] } }, { id: "pot", name: "Stovetop pot", aliases: { en: ["moka"] } });
    expect(readOrder("moka", pots).items).toEqual([]);
    expect(readOrder("un moka", pots, { locale: "fr-FR" }).items.map((i) => i.productId)).toEqual(["mocha"]);
    expect(readOrder("a moka", pots, { locale: "en" })).toMatchObject({ items: [{ productId: "pot" }], rule: "items: pot×1 via alias+locale+article" });
  });

  it("reads nonsense as nothing, and says which words", () => {
    expect(readOrder("asdf", cafe)).toEqual({ items: [], unknown: ["asdf"], rule: 'items: none; unknown: "asdf"' });
    expect(readOrder("", cafe)).toEqual({ items: [], unknown: [], rule: "items: none" });
    expect(unknown("zzz a latte qqq www")).toEqual(["zzz", "qqq www"]);
  });
});

describe("readOrder: the channel's products", () => {
  const offeredOn = (channel: string) => cafeCatalog.products.filter((p) => cafe.offeredOn(p, channel));

  it("matches only the products offered on the customer's channel", () => {
    expect(items("a gift card", { products: offeredOn("emulator") })).toEqual(["gift-card×1"]);
    expect(items("a gift card", { products: offeredOn("whatsapp") })).toEqual([]);
    // The beans ship only on Telegram: elsewhere "coffee" is the espresso, and the beans are not understood.
    expect(items("coffee beans", { products: offeredOn("telegram") })).toEqual(["beans×?"]);
    expect(readOrder("coffee beans", cafe, { products: offeredOn("emulator") })).toMatchObject({ items: [{ productId: "espresso" }], unknown: ["beans"] });
  });
});

describe("readOrder: options of several groups", () => {
  const milk: OptionGroup = {
    id: "milk",
    label: "Milk",
    default: "whole",
    choices: [
      { id: "whole", label: "Whole milk", names: { fr: "Lait entier", "zh-CN": "全脂奶" }, priceDelta: 0 },
      { id: "oat", label: "Oat milk", names: { fr: "Lait d'avoine", "zh-CN": "燕麦奶" }, aliases: { en: ["oat"] }, priceDelta: 40 },
    ],
  };
  const withMilk: Catalog = {
    ...cafeCatalog,
    products: cafeCatalog.products.map((p) => (p.id === "latte" ? { ...p, options: [...(p.options ?? []), milk] } : p)),
  };
  const shop = indexCatalog(withMilk);

  it("sets every option named, before or after the product, in each language", () => {
    const reading = readOrder("a large latte with oat milk", shop);
    expect(reading).toEqual({
      items: [{ productId: "latte", quantity: 1, options: { size: "l", milk: "oat" }, words: "a large latte with oat milk" }],
      unknown: [],
      rule: "items: latte×1(size=l,milk=oat) via name+article+size-word+label",
    });
    expect(readOrder("un grand café au lait avec lait d'avoine", shop).items[0]?.options).toEqual({ size: "l", milk: "oat" });
    expect(readOrder("一杯大杯燕麦奶拿铁", shop).items[0]?.options).toEqual({ size: "l", milk: "oat" });
    expect(readOrder("2 lattes, oat", shop).items[0]?.options).toEqual({ milk: "oat" });
  });
});

describe("readOrder: the rule", () => {
  it("says how each item was read", () => {
    expect(readOrder("2 large lattes", cafe).rule).toBe("items: latte×2(size=l) via name+plural+digits+size-word");
    expect(readOrder("a large latte with oat milk", cafe).rule).toBe('items: latte×1(size=l) via name+article+size-word; unknown: "oat milk"');
    expect(readOrder("two croisants", cafe).rule).toBe("items: croissant×2 via name+plural+typo+number-word");
    expect(readOrder("chocolat", cafe).rule).toBe("items: pain-au-chocolat via partial");
  });
});
