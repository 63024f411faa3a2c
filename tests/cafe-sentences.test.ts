import { describe, expect, it } from "vitest";
import { shop } from "../bots/cafe/catalog.ts";
import { defineBot, flow } from "../flows/index.ts";
import { atMenu as atMenuOf, conversationOf, labelsOf, last, say, textsOf, useHarness } from "./helpers.ts";

/** Issue 15: a customer types what they want, as people do, and the cafe understands it from its own catalog. */
describe("cafe: orders typed as sentences", () => {
  const harness = useHarness();

  const atMenu = (name: string, locale?: string) => atMenuOf(harness, name, locale);

  it("2 lattes please: two of the product, its default size, then 'Anything else?'", async () => {
    const { customer } = await atMenu("ana");
    expect(textsOf(await customer.send("2 lattes please"))).toEqual(["Added 2 × Latte (M) — €6.40. Cart total: €6.40.", "Anything else?"]);
  });

  it("a large latte: one, in the size said", async () => {
    const { customer } = await atMenu("ben");
    expect(textsOf(await customer.send("a large latte"))).toEqual(["Added 1 × Latte (L) — €3.70. Cart total: €3.70.", "Anything else?"]);
  });

  it("I want a croissant / un croissant: one croissant", async () => {
    for (const [name, sentence] of [["cleo", "I want a croissant"], ["dora", "un croissant"], ["eli", "hi, can I get a croissant"]] as const) {
      const { customer } = await atMenu(name);
      expect(textsOf(await customer.send(sentence)), sentence).toEqual(["Added 1 × Croissant — €1.80. Cart total: €1.80.", "Anything else?"]);
    }
  });

  it("the croissants: the product is understood and only the quantity is asked; 'two' and '2 please' answer it", async () => {
    const { emulator, customer } = await atMenu("fay");
    expect(textsOf(await customer.send("the croissants"))).toEqual(["How many Croissant? (1–10)"]);
    expect(textsOf(await customer.send("two"))).toEqual(["Added 2 × Croissant — €3.60. Cart total: €3.60.", "Anything else?"]);
    await say(customer, "yes", "latte");
    expect(textsOf(await customer.send("2 please"))).toEqual(["Which size for your Latte?"]);
    expect(textsOf(await customer.send("large"))).toEqual(["Added 2 × Latte (L) — €7.40. Cart total: €11.00.", "Anything else?"]);
    expect((await conversationOf(emulator, "fay"))?.data).toMatchObject({ cart: [{ productId: "croissant", quantity: 2 }, { productId: "latte", quantity: 2, options: { size: "l" } }] });
  });

  it("two cappuccinos and a croissant: both added, one after the other", async () => {
    const { emulator, customer } = await atMenu("gus");
    expect(textsOf(await customer.send("two cappuccinos and a croissant"))).toEqual([
      "Added 2 × Cappuccino (M) — €6.00. Cart total: €6.00.",
      "Added 1 × Croissant — €1.80. Cart total: €7.80.",
      "Anything else?",
    ]);
    const data = (await conversationOf(emulator, "gus"))?.data as { slots?: Record<string, unknown> } | undefined;
    expect(Object.keys(data?.slots ?? {})).not.toContain("_understood");
  });

  it("an item named after others that is sold out is said so, and the order goes on", async () => {
    const { emulator, customer } = await atMenu("noa");
    expect(textsOf(await customer.send("two cappuccinos and a pain au chocolat"))).toEqual([
      "Added 2 × Cappuccino (M) — €6.00. Cart total: €6.00.",
      "Sorry, Pain au chocolat is sold out today.",
      "Anything else?",
    ]);
    expect((await conversationOf(emulator, "noa"))?.stepId).toBe("more");
    expect(textsOf(await customer.send("no"))).toEqual(["Your order:\n1. 2 × Cappuccino (M) — €6.00\nTotal: €6.00"]);
  });

  it("a first item that is sold out is said so, and the items named after it are still added", async () => {
    const { customer } = await atMenu("oli");
    expect(textsOf(await customer.send("a pain au chocolat and 2 croissants"))).toEqual([
      "Sorry, Pain au chocolat is sold out today.",
      "Added 2 × Croissant — €3.60. Cart total: €3.60.",
      "Anything else?",
    ]);
  });

  it("'Anything else?' answered with items adds them: yes, and what", async () => {
    const { emulator, customer } = await atMenu("pia");
    await customer.send("a latte");
    expect(textsOf(await customer.send("and 2 croissants please"))).toEqual(["Added 2 × Croissant — €3.60. Cart total: €6.80.", "Anything else?"]);
    // The question was answered yes, as a tap on Yes would have.
    expect((await conversationOf(emulator, "pia"))?.data).toMatchObject({ slots: { wantsMore: true } });
    expect(textsOf(await customer.send("no"))).toEqual(["Your order:\n1. 1 × Latte (M) — €3.20\n2. 2 × Croissant — €3.60\nTotal: €6.80"]);
  });

  it("'Anything else?' answered with something that names nothing is asked again", async () => {
    const { customer } = await atMenu("quinn");
    await customer.send("a latte");
    expect(textsOf(await customer.send("pizza"))).toEqual(["Please pick one of the options (tap a button or send its number).", "Anything else?"]);
  });

  it("'remove the croissants' never adds croissants: at 'Anything else?' it removes them (see cafe-corrections.test.ts)", async () => {
    const { emulator, customer } = await atMenu("rex");
    await customer.send("2 croissants");
    expect(textsOf(await customer.send("actually remove the croissants"))).toEqual(["Removed Croissant. Cart total: €0.00.", "Anything else?"]);
    expect((await conversationOf(emulator, "rex"))?.data).toMatchObject({ cart: [] });
  });

  it("asks only what is missing: the size, when the sentence named a product of many sizes and said none", async () => {
    const { customer } = await atMenu("hal");
    // The quantity was said; the latte's size has a default (M), so nothing is asked.
    expect(textsOf(await customer.send("3 lattes"))).toEqual(["Added 3 × Latte (M) — €9.60. Cart total: €9.60.", "Anything else?"]);
  });

  it("more than the stock left: says so and asks the quantity again", async () => {
    const { customer } = await atMenu("ivy");
    const replies = await customer.send("20 croissants");
    expect(textsOf(replies)).toEqual(["Please send a number from 1 to 10.", "How many Croissant? (1–10)"]);
  });

  it("understands French and Chinese sentences in the customer's language", async () => {
    const fr = await atMenu("jules", "fr");
    expect(textsOf(await fr.customer.send("je voudrais deux croissants s'il vous plaît"))).toEqual(["Ajouté : 2 × Croissant — 3,60\u00a0€. Total du panier : 3,60\u00a0€.", "Autre chose ?"]);
    const cafe = await atMenu("jeanne", "fr");
    expect(textsOf(await cafe.customer.send("je voudrais un café"))[0]).toBe("Ajouté : 1 × Expresso — 2,50\u00a0€. Total du panier : 2,50\u00a0€.");
    const emoji = await atMenu("mo");
    // An emoji names the product (an alias in the catalog) but no quantity: only that is asked.
    expect(textsOf(await emoji.customer.send("☕"))).toEqual(["How many Espresso? (1–10)"]);
    const zh = await atMenu("li", "zh-CN");
    expect(textsOf(await zh.customer.send("我要两杯大杯拿铁"))[0]).toBe("已添加 2 × 拿铁 (大杯) — €7.40。购物车合计：€7.40。");
  });

  it("nothing understood: says what was not found and shows the menu's buttons again, in the customer's language", async () => {
    const { emulator, customer } = await atMenu("kim");
    const replies = await customer.send("pizza");
    expect(textsOf(replies)).toEqual([
      "Sorry, I didn't find “pizza” on the menu. Pick a category below, or type what you'd like, e.g. “2 Espresso”.",
      "What would you like? Pick a category, or just type what you want.",
    ]);
    expect(labelsOf(last(replies))).toEqual(["Drinks", "Pastries", "To take home"]);
    expect((await conversationOf(emulator, "kim"))?.stepId).toBe("menu");
    expect((await conversationOf(emulator, "kim"))?.data).toMatchObject({ cart: [] });
  });

  it("understand: false on the catalog step takes buttons and product names only", async () => {
    const strict = defineBot({
      id: "strict-cafe",
      name: "Strict café",
      ...shop,
      flows: [flow("order", "1").catalog("menu", { prompt: "What would you like?", understand: false }).quantity("quantity", { prompt: "How many?" }).options("options").addToCart("add").end("done", "Noted.").build()],
    });
    const emulator = await harness.open({ bot: strict });
    const customer = emulator.customer("lou");
    await customer.send("/start");
    expect(textsOf(await customer.send("2 lattes please"))[0]).toMatch(/^Sorry, I didn't find “2 lattes please” on the menu/);
    expect(textsOf(await customer.send("latte"))).toEqual(["How many?"]);
  });

  it("items named at the quantity or size question are taken as typed at the menu, instead of the item asked about", async () => {
    const { emulator, customer } = await atMenu("ines");
    await customer.press("category:pastries");
    expect(textsOf(await customer.send("croissant"))).toEqual(["How many Croissant? (1–10)"]);
    // Naming the product asked about with its number answers the question.
    expect(textsOf(await customer.send("2 croissants"))).toEqual(["Added 2 × Croissant — €3.60. Cart total: €3.60.", "Anything else?"]);
    await customer.send("yes");
    await customer.send("croissant");
    expect(textsOf(await customer.send("2 lattes and a croissant"))).toEqual([
      "Added 2 × Latte (M) — €6.40. Cart total: €10.00.",
      "Added 1 × Croissant — €1.80. Cart total: €11.80.",
      "Anything else?",
    ]);
    await customer.send("yes");
    await customer.send("cappuccino");
    await customer.send("1");
    expect(textsOf(await customer.send("actually a large latte"))).toEqual(["Added 1 × Latte (L) — €3.70. Cart total: €15.50.", "Anything else?"]);
    // Nonsense at the size question is still refused, and names nothing.
    await customer.send("yes");
    await customer.send("cappuccino");
    await customer.send("1");
    expect(textsOf(await customer.send("purple"))[0]).toBe("Please pick one of the options (tap a button or send its number).");
    expect((await conversationOf(emulator, "ines"))?.data).toMatchObject({
      cart: [
        { productId: "croissant", quantity: 3 },
        { productId: "latte", quantity: 2 },
        { productId: "latte", quantity: 1 },
      ],
    });
  });
});
