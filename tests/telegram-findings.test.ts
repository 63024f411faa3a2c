/**
 * What Telegram's own payloads showed (issue 13, part 5), one test per
 * finding: documented Update shapes (Message with photo/voice/sticker/
 * document, CallbackQuery, PreCheckoutQuery, ShippingQuery) posted to the
 * webhook of a real server, a fake Bot API server recording what Kiosk
 * calls, and the SQLite store read after.
 */
import { describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import salon from "../bots/salon/index.ts";
import { defineBot, flow } from "../flows/index.ts";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness, waitFor } from "./helpers.ts";
import { Chat, startTelegram } from "./telegram-harness.ts";

const EDITS = ["editMessageText", "editMessageCaption", "editMessageReplyMarkup"];

describe("Telegram: what the platform's payloads showed", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  it("marks a pressed button chosen only when the flow took it: 'Drinks' on an old menu at 'How many Croissant?' stays unmarked", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    await alice.send("/start");
    // Typed, so the menu keeps its keyboard; the bot now asks for a quantity.
    await alice.send("croissant");
    expect(alice.texts().at(-1)).toBe("How many Croissant? (1–10)");
    const oldMenu = await alice.press("Drinks");
    expect(alice.texts().slice(-2)).toEqual(["Please send a number from 1 to 10.", "How many Croissant? (1–10)"]);
    // The press was answered all the same, so the button stops spinning.
    expect(fake.accepted("answerCallbackQuery")).toHaveLength(1);

    // A press the flow does take is marked; once its edit has arrived, the refused one's would have too.
    await alice.send("2");
    const question = await alice.press("No");
    await waitFor("the edit of the message whose button was taken", () => alice.calls("editMessageText").some((c) => c.params.message_id === question));
    expect(alice.calls("editMessageText").find((c) => c.params.message_id === question)?.params.text).toMatch(/\n\n✓ No$/);
    const oldMenuEdits = fake.accepted().filter((c) => EDITS.includes(c.method) && c.params.message_id === oldMenu);
    expect(oldMenuEdits).toEqual([]);
    expect(Chat.keys(fake.message(oldMenu)).map((k) => k.text)).toContain("Drinks");
    expect(String(fake.message(oldMenu)?.text)).not.toContain("✓");
  });

  it("declines a pre-checkout and a shipping query for an invoice that names no order with a true reason, in the customer's language", async () => {
    const telegram = await startTelegram(harness, fake);
    const bea = telegram.chat("cafe", 2222222, "fr");
    await bea.send("/start");
    const stale = await bea.preCheckout("promo-2024", 360);
    expect(stale).toEqual({ pre_checkout_query_id: expect.any(String), ok: false, error_message: "Cette facture n'est plus valable : rien n'a été débité. Écrivez menu pour recommander." });
    const address = { country_code: "FR", state: "", city: "Paris", street_line1: "1 rue de Rivoli", street_line2: "", post_code: "75001" };
    const shipping = await bea.shippingQuery("", address);
    expect(shipping).toEqual({ shipping_query_id: expect.any(String), ok: false, error_message: "Cette facture n'est plus valable : rien n'a été débité. Écrivez menu pour recommander." });
    // An English customer reads it in English; an order that exists but is closed still names its number.
    const alice = telegram.chat("cafe", 1111111);
    expect((await alice.preCheckout("order:", 360)).error_message).toBe("This invoice is no longer valid, so nothing was charged. Type menu to order again.");
    expect((await alice.preCheckout("order:42", 360)).error_message).toMatch(/^Order #42 can no longer be paid/);
    expect(await telegram.server.store.listOrders({})).toEqual([]);
  });

  it("keeps a deep link's start parameter in slot start_param, where a flow reads it; a parameter Telegram would not send is dropped", async () => {
    const tables = defineBot({
      id: "quiz",
      name: "Table service",
      flows: [
        flow("welcome")
          .branch("where", { cases: [{ when: "has(slots.start_param)", goto: "table" }], otherwise: "counter" })
          .end("table", "Welcome! Your order goes to {{ slots.start_param | default: \"your table\" }}.")
          .end("counter", "Welcome! Please order at the counter.")
          .build(),
      ],
    });
    const telegram = await startTelegram(harness, fake, [tables]);
    const zoe = telegram.chat("quiz", 5555555);
    // What Telegram sends when https://t.me/<bot>?start=table_12 is opened (a QR code on table 12).
    await zoe.send("/start table_12");
    expect(zoe.texts().at(-1)).toBe("Welcome! Your order goes to table_12.");
    const key = { botId: "quiz", channel: "telegram", userId: "5555555" };
    expect((await telegram.server.store.transaction((tx) => tx.loadConversation(key)))?.data).toMatchObject({ slots: { start_param: "table_12" } });
    // Starting over without one forgets it; one with characters Telegram does not allow (or over 64) is not kept.
    await zoe.send("/start");
    expect(zoe.texts().at(-1)).toBe("Welcome! Please order at the counter.");
    await zoe.send("/start table<12>");
    expect(zoe.texts().at(-1)).toBe("Welcome! Please order at the counter.");
    await zoe.send(`/start ${"t".repeat(65)}`);
    expect(zoe.texts().at(-1)).toBe("Welcome! Please order at the counter.");
    await zoe.send(`/start ${"A-z_9".repeat(12)}abcd`);
    expect(zoe.texts().at(-1)).toBe(`Welcome! Your order goes to ${"A-z_9".repeat(12)}abcd.`);
  });

  it("answers a photo, voice note, sticker, document or video note with a short reply in the customer's language, and asks the step again", async () => {
    const telegram = await startTelegram(harness, fake);
    const bea = telegram.chat("cafe", 2222222, "fr");
    await bea.send("/start");
    await bea.send("croissant");
    const question = bea.texts().at(-1);
    expect(question).toBe("Combien de Croissant ? (1–10)");
    const file = { file_id: "AgACAgQAAxkBAAIBY2ZfM", file_unique_id: "AQADZbsxG" };
    const media = [
      { photo: [{ ...file, width: 90, height: 67, file_size: 1254 }, { ...file, width: 1280, height: 960, file_size: 104250 }], caption: "2" },
      { voice: { ...file, duration: 3, mime_type: "audio/ogg", file_size: 9802 } },
      { sticker: { ...file, type: "regular", width: 512, height: 512, is_animated: false, is_video: false, emoji: "👍", set_name: "HotCherry" } },
      { document: { ...file, file_name: "menu.pdf", mime_type: "application/pdf", file_size: 48213 } },
      { video_note: { ...file, length: 240, duration: 4 } },
    ];
    for (const content of media) {
      const before = bea.texts().length;
      await bea.expectOk(bea.messageUpdate(content));
      expect(bea.texts().slice(before), JSON.stringify(Object.keys(content))).toEqual([
        "Désolé, je ne lis ici que le texte et les boutons. Écrivez votre réponse ou touchez un bouton.",
        "Combien de Croissant ? (1–10)",
      ]);
    }
    // Nothing was taken for an answer: the quantity question still waits, the cart is empty.
    const key = { botId: "cafe", channel: "telegram", userId: "2222222" };
    const conversation = await telegram.server.store.transaction((tx) => tx.loadConversation(key));
    expect(conversation?.stepId).toBe("quantity");
    expect(conversation?.data).toMatchObject({ cart: [] });
    // A service message (a pin) is not something the customer said: no answer.
    const before = bea.texts().length;
    await bea.expectOk(bea.messageUpdate({ pinned_message: { message_id: 3, chat: bea.privateChat, date: 0, text: "x" } }));
    expect(bea.texts()).toHaveLength(before);
  });

  it("speaks to a customer whose language the bot does not speak in the bot's default, texts, dates and amounts alike", async () => {
    const telegram = await startTelegram(harness, fake, [cafe, salon]);
    const kai = telegram.chat("cafe", 3333333, "de");
    await kai.send("/start");
    await kai.press("Pastries");
    await kai.send("croissant");
    await kai.send("2");
    await kai.press("No");
    await kai.press("Place order");
    expect(kai.texts()).toContain("Added 2 × Croissant — €3.60. Cart total: €3.60.");
    expect(kai.texts().join("\n")).not.toMatch(/\d,\d\d\s?€/);
    expect(kai.lastInvoice()).toMatchObject({ title: "Café Lumière order #1" });
    const conversation = await telegram.server.store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: "telegram", userId: "3333333" }));
    expect(conversation?.locale).toBe("en");
    // Card prices too: as the conversation writes amounts (English here, French for a French customer).
    const cardOf = (chat: Chat) => String(chat.calls("sendPhoto").at(-1)?.params.caption ?? "");
    expect(cardOf(kai)).toContain("€1.80");
    const bea = telegram.chat("cafe", 5555555, "fr");
    await bea.send("/start");
    await bea.press("category:pastries");
    expect(cardOf(bea)).toContain("1,80\u00a0€");

    // The salon speaks en-GB, fr and zh-CN: to an Austrian its days are English, not "Freitag, 11. Dezember".
    const lena = telegram.chat("salon", 4444444, "de-AT");
    await lena.send("/start");
    await lena.press("book");
    await lena.press("service:haircut");
    await lena.press("resource:any");
    const days = Chat.keys(fake.messagesIn(4444444).at(-1)).filter((k) => k.callback_data.startsWith("day:"));
    expect(days.length).toBeGreaterThan(0);
    for (const day of days) expect(day.text).toMatch(/^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+$/);
    // A customer in one of the bot's languages keeps theirs (fr-CA reads fr).
    const zoe = telegram.chat("salon", 6666666, "fr-CA");
    await zoe.send("/start");
    await zoe.press("book");
    await zoe.press("service:haircut");
    await zoe.press("resource:any");
    const jours = Chat.keys(fake.messagesIn(6666666).at(-1)).filter((k) => k.callback_data.startsWith("day:"));
    for (const day of jours) expect(day.text).toMatch(/^(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d{1,2} [a-zéû]+$/);
  });
});
