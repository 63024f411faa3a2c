/**
 * Issue 15 on Telegram: a customer types the order as a sentence in the
 * chat, the webhook's turn reads it from the cafe's catalog, and the Bot API
 * gets the restatement of each item added.
 */
import { describe, expect, it } from "vitest";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness } from "./helpers.ts";
import { startTelegram } from "./telegram-harness.ts";

describe("Telegram: orders typed as sentences", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  it("reads '2 lattes please and a croissant' at the menu, adds both and says what it added", async () => {
    const telegram = await startTelegram(harness, fake);
    const nora = telegram.chat("cafe", 4444444);
    await nora.send("/start");
    await nora.send("2 lattes please and a croissant");
    expect(nora.texts().slice(-3)).toEqual(["Added 2 × Latte (M) — €6.40. Cart total: €6.40.", "Added 1 × Croissant — €1.80. Cart total: €8.20.", "Anything else?"]);
    await nora.press("No");
    await nora.press("Place order");
    const [order] = await telegram.server.store.listOrders({ botId: "cafe" });
    expect(order).toMatchObject({ channel: "telegram", userId: "4444444", status: "awaiting_payment", total: 820 });
    expect(order?.items.map((i) => [i.productId, i.quantity, i.options])).toEqual([
      ["latte", 2, { size: "m" }],
      ["croissant", 1, {}],
    ]);
  });

  it("answers the quantity with a word and the size with a size word, in French", async () => {
    const telegram = await startTelegram(harness, fake);
    const paul = telegram.chat("cafe", 5555555, "fr");
    await paul.send("/start");
    // Chosen by its name: the steps after the menu ask the quantity and the size.
    await paul.send("café au lait");
    expect(paul.texts().at(-1)).toBe("Combien de Café au lait ? (1–10)");
    await paul.send("trois");
    expect(paul.texts().at(-1)).toBe("Taille pour votre Café au lait ?");
    await paul.send("grand");
    expect(paul.texts().slice(-2)).toEqual(["Ajouté : 3 × Café au lait (L) — 11,10\u00a0€. Total du panier : 11,10\u00a0€.", "Autre chose ?"]);
  });

  it("a sentence naming a product without its size takes the default size, and says so", async () => {
    const telegram = await startTelegram(harness, fake);
    const rose = telegram.chat("cafe", 6666666, "fr");
    await rose.send("/start");
    await rose.send("les cafés crème");
    expect(rose.texts().at(-1)).toBe("Combien de Café au lait ? (1–10)");
    await rose.send("deux");
    expect(rose.texts().slice(-2)).toEqual(["Ajouté : 2 × Café au lait (M) — 6,40\u00a0€. Total du panier : 6,40\u00a0€.", "Autre chose ?"]);
  });
});
