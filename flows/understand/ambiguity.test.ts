import { describe, expect, it } from "vitest";
import { catalog as cafe } from "../../bots/cafe/catalog.ts";
import { indexCatalog, type Catalog } from "../../commerce/index.ts";
import { calendar as salon } from "../../bots/salon/calendar.ts";
import { calendarSharedNames, sharedNames } from "./ambiguity.ts";

const menu = (products: Catalog["products"]): Catalog => ({ currency: "EUR", categories: [{ id: "drinks", name: "Drinks" }], products });

describe("names a customer could not tell apart", () => {
  it("finds none in the cafe's catalog", () => {
    expect(sharedNames(indexCatalog(cafe))).toEqual([]);
  });

  it("finds an alias naming two products in one language, and a name in any language meeting a base name", () => {
    const found = sharedNames(
      indexCatalog(
        menu([
          { id: "espresso", name: "Espresso", category: "drinks", price: 250, aliases: { en: ["coffee"], fr: ["café"] } },
          { id: "filter", name: "Filter coffee", category: "drinks", price: 280, aliases: { en: ["Coffee!"] } },
          { id: "americano", name: "Americano", names: { fr: "Café" }, category: "drinks", price: 300 },
        ]),
      ),
    );
    expect(found).toEqual([
      { phrase: "coffee", locale: "en", names: ["product 'espresso'", "product 'filter'"] },
      { phrase: "café", locale: "fr", names: ["product 'americano'", "product 'espresso'"] },
    ]);
  });

  it("does not count one phrase in two languages for different products as shared", () => {
    const found = sharedNames(
      indexCatalog(
        menu([
          { id: "tea", name: "Tea", category: "drinks", price: 200, aliases: { en: ["chai"] } },
          { id: "spiced", name: "Spiced tea", category: "drinks", price: 260, aliases: { fr: ["chai"] } },
        ]),
      ),
    );
    expect(found).toEqual([]);
  });

  it("finds two choices of one product's options sharing a name", () => {
    const found = sharedNames(
      indexCatalog(
        menu([
          {
            id: "latte",
            name: "Latte",
            category: "drinks",
            price: 320,
            options: [
              { id: "milk", label: "Milk", choices: [{ id: "oat", label: "Oat", priceDelta: 0, aliases: { en: ["plant"] } }, { id: "soy", label: "Soy", priceDelta: 0, aliases: { en: ["plant"] } }] },
            ],
          },
        ]),
      ),
    );
    expect(found).toEqual([{ phrase: "plant", locale: "en", names: ["option 'milk' choice 'oat' of product 'latte'", "option 'milk' choice 'soy' of product 'latte'"] }]);
  });

  it("finds none in the salon's calendar, and a phrase naming two services or a service and a person", () => {
    expect(calendarSharedNames(salon)).toEqual([]);
    const found = calendarSharedNames({
      ...salon,
      services: [
        { id: "haircut", name: "Haircut", aliases: { en: ["trim"] }, durationMinutes: 30, price: 2500 },
        { id: "beard", name: "Beard trim", aliases: { en: ["Trim"] }, durationMinutes: 15, price: 1200 },
      ],
      resources: [{ id: "ana", name: "Ana", weeklyHours: {} }, { id: "haircut-ana", name: "Haircut", weeklyHours: {} }],
    });
    expect(found).toEqual([
      { phrase: "Haircut", locale: undefined, names: ["resource 'haircut-ana'", "service 'haircut'"] },
      { phrase: "trim", locale: "en", names: ["service 'beard'", "service 'haircut'"] },
    ]);
  });
});
