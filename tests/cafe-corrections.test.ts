import { describe, expect, it } from "vitest";
import { atMenu as atMenuOf, conversationOf, textsOf, useHarness } from "./helpers.ts";

/** Issue 15, part 2: at "Anything else?" a customer corrects the cart in words, and hears its new total. */
describe("cafe: corrections of the cart at 'Anything else?'", () => {
  const harness = useHarness();

  const atMenu = (name: string, locale?: string) => atMenuOf(harness, name, locale);

  async function cartOf(emulator: Awaited<ReturnType<typeof atMenu>>["emulator"], name: string) {
    const data = (await conversationOf(emulator, name))?.data as { cart?: unknown } | undefined;
    return data?.cart;
  }

  it("'remove the croissants' takes every croissant out, says the new total, and asks again", async () => {
    const { emulator, customer } = await atMenu("ada");
    await customer.send("a latte and 2 croissants");
    expect(textsOf(await customer.send("remove the croissants"))).toEqual(["Removed Croissant. Cart total: €3.20.", "Anything else?"]);
    expect(await cartOf(emulator, "ada")).toEqual([{ productId: "latte", quantity: 1, options: { size: "m" } }]);
    expect((await conversationOf(emulator, "ada"))?.stepId).toBe("more");
    // The question is still open: "no" goes on to the order.
    expect(textsOf(await customer.send("no"))).toEqual(["Your order:\n1. 1 × Latte (M) — €3.20\nTotal: €3.20"]);
  });

  it("'no croissants after all' and 'actually remove the latte' remove too", async () => {
    const { emulator, customer } = await atMenu("bo");
    await customer.send("a latte and 2 croissants");
    expect(textsOf(await customer.send("no croissants after all"))).toEqual(["Removed Croissant. Cart total: €3.20.", "Anything else?"]);
    expect(textsOf(await customer.send("actually remove the latte"))).toEqual(["Removed Latte. Cart total: €0.00.", "Anything else?"]);
    expect(await cartOf(emulator, "bo")).toEqual([]);
  });

  it("a product not in the cart: says so and changes nothing", async () => {
    const { emulator, customer } = await atMenu("cy");
    await customer.send("a latte");
    expect(textsOf(await customer.send("remove the croissants"))).toEqual(["There is no Croissant in your cart, so nothing changed.", "Anything else?"]);
    expect(await cartOf(emulator, "cy")).toEqual([{ productId: "latte", quantity: 1, options: { size: "m" } }]);
  });

  it("'actually make it large' re-prices the last line in the size said", async () => {
    const { emulator, customer } = await atMenu("di");
    await customer.send("a latte");
    expect(textsOf(await customer.send("actually make it large"))).toEqual(["Changed to 1 × Latte (L) — €3.70. Cart total: €3.70.", "Anything else?"]);
    expect(await cartOf(emulator, "di")).toEqual([{ productId: "latte", quantity: 1, options: { size: "l" } }]);
    expect(textsOf(await customer.send("make it a small"))).toEqual(["Changed to 1 × Latte (S) — €2.90. Cart total: €2.90.", "Anything else?"]);
  });

  it("'no, 3' and 'make it 3' set the last line's quantity", async () => {
    const { emulator, customer } = await atMenu("ed");
    await customer.send("2 croissants and a latte");
    expect(textsOf(await customer.send("no, 3"))).toEqual(["Changed to 3 × Latte (M) — €9.60. Cart total: €13.20.", "Anything else?"]);
    expect(textsOf(await customer.send("make it 2"))).toEqual(["Changed to 2 × Latte (M) — €6.40. Cart total: €10.00.", "Anything else?"]);
    expect(await cartOf(emulator, "ed")).toEqual([
      { productId: "croissant", quantity: 2, options: {} },
      { productId: "latte", quantity: 2, options: { size: "m" } },
    ]);
  });

  it("the line added last is the one changed, even when it merged into an earlier line", async () => {
    const { emulator, customer } = await atMenu("gil");
    await customer.send("a croissant and a latte");
    expect(textsOf(await customer.send("and a croissant"))).toEqual(["Added 1 × Croissant — €1.80. Cart total: €6.80.", "Anything else?"]);
    expect(textsOf(await customer.send("make it 5"))).toEqual(["Changed to 5 × Croissant — €9.00. Cart total: €12.20.", "Anything else?"]);
    // A croissant has no size: "make it large" changes nothing, and the question is asked again.
    expect(textsOf(await customer.send("make it large"))).toEqual(["Please pick one of the options (tap a button or send its number).", "Anything else?"]);
    expect(await cartOf(emulator, "gil")).toEqual([
      { productId: "croissant", quantity: 5, options: {} },
      { productId: "latte", quantity: 1, options: { size: "m" } },
    ]);
  });

  it("a size change that meets a line of that size joins it", async () => {
    const { emulator, customer } = await atMenu("hu");
    await customer.send("a large latte");
    await customer.send("and 2 lattes");
    expect(textsOf(await customer.send("actually make it large"))).toEqual(["Changed to 3 × Latte (L) — €11.10. Cart total: €11.10.", "Anything else?"]);
    expect(await cartOf(emulator, "hu")).toEqual([{ productId: "latte", quantity: 3, options: { size: "l" } }]);
    expect(textsOf(await customer.send("no, 2"))).toEqual(["Changed to 2 × Latte (L) — €7.40. Cart total: €7.40.", "Anything else?"]);
  });

  it("a quantity over the stock left or a line's most: says why and changes nothing", async () => {
    const { emulator, customer } = await atMenu("flo");
    await customer.send("2 croissants");
    expect(textsOf(await customer.send("actually 13"))).toEqual(["Sorry, only 12 Croissant are left.", "Anything else?"]);
    await customer.send("a latte");
    expect(textsOf(await customer.send("make it 100"))).toEqual(["Please send a number from 1 to 99.", "Anything else?"]);
    expect(await cartOf(emulator, "flo")).toEqual([
      { productId: "croissant", quantity: 2, options: {} },
      { productId: "latte", quantity: 1, options: { size: "m" } },
    ]);
  });

  it("in French: enlève les croissants, plutôt un grand, plutôt 3", async () => {
    const { emulator, customer } = await atMenu("jules", "fr");
    await customer.send("un café au lait et deux croissants");
    expect(textsOf(await customer.send("enlève les croissants"))).toEqual(["Retiré : Croissant. Total du panier : 3,20\u00a0€.", "Autre chose ?"]);
    expect(textsOf(await customer.send("plutôt un grand"))).toEqual(["Modifié : 1 × Café au lait (L) — 3,70\u00a0€. Total du panier : 3,70\u00a0€.", "Autre chose ?"]);
    expect(textsOf(await customer.send("plutôt 3"))).toEqual(["Modifié : 3 × Café au lait (L) — 11,10\u00a0€. Total du panier : 11,10\u00a0€.", "Autre chose ?"]);
    expect(await cartOf(emulator, "jules")).toEqual([{ productId: "latte", quantity: 3, options: { size: "l" } }]);
  });

  it("in Chinese: 删除牛角面包, 改成大杯, 改成3个", async () => {
    const { emulator, customer } = await atMenu("li", "zh-CN");
    await customer.send("我要两个牛角面包和一杯拿铁");
    expect(textsOf(await customer.send("改成大杯"))).toEqual(["已改为 1 × 拿铁 (大杯) — €3.70。购物车合计：€7.30。", "还需要别的吗？"]);
    expect(textsOf(await customer.send("改成3个"))).toEqual(["已改为 3 × 拿铁 (大杯) — €11.10。购物车合计：€14.70。", "还需要别的吗？"]);
    expect(textsOf(await customer.send("删除牛角面包"))).toEqual(["已删除 牛角面包。购物车合计：€11.10。", "还需要别的吗？"]);
    expect(await cartOf(emulator, "li")).toEqual([{ productId: "latte", quantity: 3, options: { size: "l" } }]);
  });

  it("an order is still an order, and 'remove' alone is asked again", async () => {
    const { emulator, customer } = await atMenu("max");
    await customer.send("a latte");
    expect(textsOf(await customer.send("2 croissants"))).toEqual(["Added 2 × Croissant — €3.60. Cart total: €6.80.", "Anything else?"]);
    expect(textsOf(await customer.send("remove"))).toEqual(["Please pick one of the options (tap a button or send its number).", "Anything else?"]);
    expect(await cartOf(emulator, "max")).toEqual([
      { productId: "latte", quantity: 1, options: { size: "m" } },
      { productId: "croissant", quantity: 2, options: {} },
    ]);
  });
});
