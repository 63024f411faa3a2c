import { describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../bots/cafe/catalog.ts";
import { indexCatalog, type Catalog, type Product } from "./catalog.ts";

/** The cafe's menu with its first product replaced by `product`. */
function withProduct(product: Partial<Product>): Catalog {
  const [first, ...rest] = cafeCatalog.products;
  if (!first) throw new Error("the cafe's menu is empty");
  return { ...cafeCatalog, products: [{ ...first, ...product }, ...rest] };
}

describe("catalog aliases", () => {
  it("accepts the cafe's aliases", () => {
    expect(indexCatalog(cafeCatalog).findProduct("espresso")?.aliases?.fr).toContain("café");
  });

  it("refuses an empty alias, naming the product and the locale", () => {
    expect(() => indexCatalog(withProduct({ aliases: { fr: ["  "] } }))).toThrow(/product 'espresso' has alias " {2}" in 'fr'; write a phrase of 1 to 60 characters/);
  });

  it("refuses an alias longer than 60 characters", () => {
    expect(() => indexCatalog(withProduct({ aliases: { en: ["x".repeat(61)] } }))).toThrow(/alias "x{61}" in 'en'/);
    expect(() => indexCatalog(withProduct({ aliases: { en: ["x".repeat(60)] } }))).not.toThrow();
  });

  it("refuses aliases that are not a list", () => {
    const aliases = { en: "coffee" } as unknown as Product["aliases"];
    expect(() => indexCatalog(withProduct(aliases === undefined ? {} : { aliases }))).toThrow(/aliases.en that is not a list/);
  });

  it("checks an option choice's aliases", () => {
    const latte = cafeCatalog.products.find((p) => p.id === "latte");
    const size = latte?.options?.[0];
    if (!latte || !size) throw new Error("the cafe's latte has no size");
    const options = [{ ...size, choices: size.choices.map((c) => (c.id === "l" ? { ...c, aliases: { en: [""] } } : c)) }];
    const catalog = { ...cafeCatalog, products: cafeCatalog.products.map((p) => (p.id === "latte" ? { ...p, options } : p)) };
    expect(() => indexCatalog(catalog)).toThrow(/product 'latte' option 'size' choice 'l' has alias "" in 'en'/);
  });
});
