/**
 * Issue 15 on Telegram: a customer types the order as a sentence in the
 * chat, the webhook's turn reads it from the cafe's catalog, and the Bot API
 * gets the restatement of each item added.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import salon from "../bots/salon/index.ts";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness } from "./helpers.ts";
import { startTelegram } from "./telegram-harness.ts";

/** A Wednesday at least two days ahead of the server's real clock, when Ana works and 10:00 is free: as Paris writes it, and as the summary names it. */
function nextWednesday(now: Date): { typed: string; label: string } {
  let day = DateTime.fromJSDate(now, { zone: "Europe/Paris" }).plus({ days: 2 }).startOf("day");
  while (day.weekday !== 3) day = day.plus({ days: 1 });
  return { typed: day.toFormat("dd/MM"), label: day.setLocale("en-GB").toFormat("cccc d LLLL") };
}

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

  it("books the salon from one sentence: the summary restates it, and yes holds it with its deposit invoice", async () => {
    const telegram = await startTelegram(harness, fake, [salon]);
    const { typed, label } = nextWednesday(telegram.server.clock.now());
    const omar = telegram.chat("salon", 7777777);
    await omar.send("/start");
    await omar.send(`a haircut with Ana on ${typed} at 10`);
    expect(omar.texts().at(-1)).toMatch(new RegExp(`^Noted: Haircut · Ana · ${label} · 10:00\\.\\nHaircut with Ana, ${label} at 10:00 \\(30 min\\)\\. Price: €25\\.00\\.`));
    expect(await telegram.server.store.listBookings({ botId: "salon" })).toEqual([]);
    await omar.press("Yes");
    expect(omar.lastInvoice()).toMatchObject({ title: "Salon Lila: deposit for Haircut", currency: "EUR" });
    const [booking] = await telegram.server.store.listBookings({ botId: "salon" });
    expect(booking).toMatchObject({ channel: "telegram", userId: "7777777", serviceId: "haircut", resourceId: "ana", status: "held" });
  });
});
