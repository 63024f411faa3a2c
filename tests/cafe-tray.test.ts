import { describe, expect, it } from "vitest";
import { CART_BUTTONS, labelsOf, last, say, textsOf, useHarness } from "./helpers.ts";

describe("the cafe's tray rule (a TS action in a YAML flow)", () => {
  const harness = useHarness();

  it("sends an order of more than 20 items back to the cart, and takes it once it fits", async () => {
    const emulator = await harness.open();
    const max = emulator.customer("max");
    await say(max, "/start", "espresso", "10", "yes", "latte", "10", "M", "yes", "cappuccino", "1", "S", "no");

    const refused = await max.press("Place order");
    expect(textsOf(refused)[0]).toBe("One order fits on one tray: at most 20 items. Please take a few out of your cart.");
    expect(last(refused).text).toMatch(/^Your order:\n1\. 10 × Espresso — €25\.00\n2\. 10 × Latte \(M\) — €32\.00\n3\. 1 × Cappuccino \(S\) — €2\.70\nTotal: €59\.70$/);
    expect(labelsOf(last(refused))).toEqual(CART_BUTTONS);
    expect(await emulator.orders()).toEqual([]);

    await max.press("Remove item");
    const summary = await max.press("3");
    expect(last(summary).text).toMatch(/^Your order:\n1\. 10 × Espresso/);
    const invoice = last(await max.press("Place order")).invoice;
    expect(invoice).toMatchObject({ order: "1", amount: 5700, currency: "EUR" });
  });

  it("says so in the customer's language", async () => {
    const emulator = await harness.open();
    const luc = emulator.customer("luc", { locale: "fr" });
    await say(luc, "/start", "espresso", "10", "oui", "espresso", "10", "oui", "espresso", "1", "non");
    expect(textsOf(await luc.send("oui"))[0]).toBe("Une commande tient sur un plateau : 20 articles au plus. Retirez-en quelques-uns du panier.");
  });
});
