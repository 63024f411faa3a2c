import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { ChannelSendError } from "../../core/send-error.ts";
import { buttonPayload, callbackData, isPageData, PAGE_COUNTER, parseButtonRef, parsePageRef } from "./callback-data.ts";
import { escapeHtml, splitText } from "./html.ts";
import { MAX_CAPTION, orderOfPayload, renderEnvelope, renderPage } from "./render.ts";
import { toSendError } from "./sender.ts";
import { MalformedUpdateError, readUpdate } from "./updates.ts";

const from = { id: 42, is_bot: false, first_name: "Zoé", language_code: "fr" };
const chat = { id: 42, first_name: "Zoé", type: "private" };

describe("Telegram HTML", () => {
  it("escapes what Telegram's HTML parser reads, and nothing else", () => {
    expect(escapeHtml(`<b>Tom & "Jerry"</b> &amp; 🥐`)).toBe("&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt; &amp;amp; 🥐");
  });

  it("splits long text at a line break, never inside an emoji", () => {
    expect(splitText("aaaa\nbbbb\ncc", 10)).toEqual(["aaaa\nbbbb", "cc"]);
    const pieces = splitText(`${"a".repeat(9)}🥐🥐`, 10);
    expect(pieces.join("")).toBe(`${"a".repeat(9)}🥐🥐`);
    expect(pieces.every((p) => p.length <= 10 && !/[\ud800-\udbff]$/.test(p))).toBe(true);
  });
});

describe("callback data", () => {
  it("keeps payloads of up to 64 bytes and refers to the button for longer ones (bytes, not characters)", () => {
    expect(callbackData("option:milk:oat", { outboxId: 7, button: 0 })).toBe("option:milk:oat");
    expect(callbackData("é".repeat(32), { outboxId: 7, button: 1 })).toBe("é".repeat(32));
    expect(callbackData("é".repeat(33), { outboxId: 7, button: 1 })).toBe("~7:b1");
    expect(callbackData("~looks-like-a-ref", { outboxId: 7, card: 2, button: 0 })).toBe("~7:c2b0");
  });

  it("reads a reference back to the payload of its button", () => {
    const message = { text: "x", buttons: [{ label: "A", payload: "a".repeat(80) }], cards: [{ title: "C", buttons: [{ label: "B", payload: "b".repeat(80) }] }] };
    expect(buttonPayload(message, parseButtonRef("~7:b0") ?? { outboxId: 0, button: 9 })).toBe("a".repeat(80));
    expect(buttonPayload(message, parseButtonRef("~7:c0b0") ?? { outboxId: 0, button: 9 })).toBe("b".repeat(80));
    expect(buttonPayload(message, { outboxId: 7, button: 3 })).toBeUndefined();
    expect(parseButtonRef("option:milk")).toBeUndefined();
  });
});

describe("renderEnvelope", () => {
  const envelope = (message: object) => ({ id: 9, botId: "cafe", channel: "telegram", userId: "42", message });

  const pastries = {
    text: "Pastries",
    cards: [
      { title: "Croissant <fresh>", subtitle: "Butter & love", price: { amount: 250, currency: "EUR" }, buttons: [{ label: "Add", payload: "product:croissant" }] },
      { title: "Pain au chocolat", price: { amount: 1200, currency: "JPY" } },
    ],
    buttons: [{ label: "Back", payload: "back" }],
  };

  it("sends text, then several cards as one message with page buttons, the message's buttons under them", () => {
    expect(renderEnvelope(envelope(pastries))).toEqual([
      { method: "sendMessage", text: "Pastries" },
      {
        method: "sendMessage",
        text: "<b>Croissant &lt;fresh&gt;</b>\nButter &amp; love\n€2.50",
        keyboard: [
          [{ text: "Add", callback_data: "product:croissant" }],
          [
            { text: "‹", callback_data: "~p9:1" },
            { text: "1/2", callback_data: PAGE_COUNTER },
            { text: "›", callback_data: "~p9:1" },
          ],
          [{ text: "Back", callback_data: "back" }],
        ],
      },
    ]);
    // Page 2 is the second card with its own buttons (none) and the same rows.
    expect(renderPage(envelope(pastries), 1)).toEqual({
      method: "sendMessage",
      text: "<b>Pain au chocolat</b>\n¥1,200",
      keyboard: [
        [
          { text: "‹", callback_data: "~p9:0" },
          { text: "2/2", callback_data: PAGE_COUNTER },
          { text: "›", callback_data: "~p9:0" },
        ],
        [{ text: "Back", callback_data: "back" }],
      ],
    });
    expect(renderPage(envelope(pastries), 2)).toBeUndefined();
  });

  it("sends one card as it is, and a card with an image as a photo with its caption and the text to fall back on", () => {
    const one = { cards: [{ ...pastries.cards[0], image: "images/croissant.jpg" }], buttons: pastries.buttons };
    expect(renderEnvelope(envelope(one))).toEqual([
      {
        method: "sendPhoto",
        photo: "images/croissant.jpg",
        caption: "<b>Croissant &lt;fresh&gt;</b>\nButter &amp; love\n€2.50",
        text: "<b>Croissant &lt;fresh&gt;</b>\nButter &amp; love\n€2.50",
        keyboard: [
          [
            { text: "Add", callback_data: "product:croissant" },
            { text: "Back", callback_data: "back" },
          ],
        ],
      },
    ]);
    // A long description is clipped to the caption's 1024 characters; the title and price stay.
    const long = { title: "Tarte <aux> pommes", subtitle: "&".repeat(3000), price: { amount: 400, currency: "EUR" }, image: "https://example.com/tarte.jpg" };
    const [photo] = renderEnvelope(envelope({ cards: [long] }));
    if (photo?.method !== "sendPhoto") throw new Error(`not a photo: ${JSON.stringify(photo)}`);
    const shown = photo.caption.replace(/<\/?b>/g, "").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    expect([...shown].length).toBeLessThanOrEqual(MAX_CAPTION);
    expect(shown).toMatch(/^Tarte <aux> pommes\n&+…\n€4\.00$/);
    expect(photo.text).toContain("&amp;".repeat(3000));
    // Photo pages only when every card has an image: a message cannot turn from text to photo.
    const mixed = renderEnvelope(envelope({ cards: [long, pastries.cards[1]] }));
    expect(mixed.map((c) => c.method)).toEqual(["sendMessage"]);
    const photos = renderEnvelope(envelope({ cards: [long, { ...long, title: "Tarte 2" }] }));
    expect(photos).toMatchObject([{ method: "sendPhoto", photo: "https://example.com/tarte.jpg" }]);
  });

  it("writes page buttons as short opaque references that no payload can imitate", () => {
    const data = renderPage(envelope({ cards: Array.from({ length: 12 }, (_, i) => ({ title: `Card ${i}` })) }), 11)?.keyboard?.flat().map((k) => k.callback_data) ?? [];
    expect(data).toEqual(["~p9:10", PAGE_COUNTER, "~p9:0"]);
    expect(parsePageRef("~p123456789012345:9999")).toEqual({ outboxId: 123456789012345, index: 9999 });
    expect(Buffer.byteLength("~p123456789012345:9999")).toBeLessThanOrEqual(64);
    expect(isPageData(PAGE_COUNTER)).toBe(true);
    expect(parsePageRef(PAGE_COUNTER)).toBeUndefined();
    expect(isPageData("~9:b0")).toBe(false);
    expect(isPageData("product:latte")).toBe(false);
    // A payload that looks like page data is sent as a reference to its button instead.
    expect(callbackData("~p9:1", { outboxId: 3, button: 0 })).toBe("~3:b0");
  });

  it("lays short labels out four to a row and long ones one to a row", () => {
    const short = renderEnvelope(envelope({ text: "How many?", buttons: ["1", "2", "3", "4", "5"].map((n) => ({ label: n, payload: n })) }));
    expect(short[0]).toMatchObject({ keyboard: [[{ text: "1" }, { text: "2" }, { text: "3" }, { text: "4" }], [{ text: "5" }]] });
    const long = renderEnvelope(envelope({ text: "?", buttons: [{ label: "Place order", payload: "checkout" }, { label: "Add more", payload: "more" }] }));
    expect(long[0]).toMatchObject({ keyboard: [[{ text: "Place order" }], [{ text: "Add more" }]] });
  });

  it("makes an invoice of the order's lines, with the text as its description, or one line when they do not add up", () => {
    const message = { text: "Order #3 placed: €6.40.", invoice: { order: "3", title: "Café Lumière order #3 with a long title", amount: 640, currency: "EUR" } };
    const lines = [
      { label: "2 × Croissant", amount: 500 },
      { label: "1 × Latte (M)", amount: 140 },
    ];
    expect(renderEnvelope(envelope(message), lines)).toEqual([
      { method: "sendInvoice", title: "Café Lumière order #3 with a lo…", description: "Order #3 placed: €6.40.", payload: "order:3", currency: "EUR", prices: lines, shipping: false },
    ]);
    const [invoice] = renderEnvelope(envelope(message), [{ label: "2 × Croissant", amount: 500 }]);
    expect(invoice).toMatchObject({ prices: [{ label: "Café Lumière order #3 with a long title", amount: 640 }] });
    expect(orderOfPayload("order:3")).toBe("3");
    expect(orderOfPayload("order:3; drop")).toBeUndefined();
  });
});

describe("readUpdate", () => {
  it("reads text, button presses, payments and pre-checkout queries of private chats", () => {
    expect(readUpdate({ update_id: 1, message: { message_id: 1, from, chat, date: 0, text: "/start@cafe_bot" } })).toEqual({ kind: "text", updateId: 1, chatId: "42", locale: "fr", text: "/start" });
    expect(readUpdate({ update_id: 2, callback_query: { id: "q", from, message: { message_id: 1, chat, date: 0 }, chat_instance: "1", data: "back" } })).toEqual({
      kind: "press",
      updateId: 2,
      chatId: "42",
      locale: "fr",
      callbackQueryId: "q",
      data: "back",
    });
    expect(
      readUpdate({
        update_id: 3,
        message: { message_id: 2, from, chat, date: 0, successful_payment: { currency: "EUR", total_amount: 640, invoice_payload: "order:1", telegram_payment_charge_id: "t1", provider_payment_charge_id: "p1" } },
      }),
    ).toMatchObject({ kind: "payment", chatId: "42", payment: { chargeId: "t1", providerChargeId: "p1", payload: "order:1", amount: 640, currency: "EUR" } });
    expect(readUpdate({ update_id: 4, pre_checkout_query: { id: "p", from, currency: "EUR", total_amount: 640, invoice_payload: "order:1" } })).toMatchObject({
      kind: "pre_checkout",
      userId: "42",
      payload: "order:1",
    });
  });

  it("ignores group chats, edits, service messages and unknown types; a button press is still answered", () => {
    const group = { id: -1001, title: "G", type: "supergroup" };
    expect(readUpdate({ update_id: 5, callback_query: { id: "q", from, message: { message_id: 1, chat: group, date: 0 }, chat_instance: "1", data: "x" } })).toMatchObject({
      kind: "ignored",
      callbackQueryId: "q",
    });
    expect(readUpdate({ update_id: 6, edited_message: { message_id: 1, from, chat, date: 0, text: "x" } })).toMatchObject({ kind: "ignored", reason: "update type 'edited_message' is not handled" });
    // A sticker is something the customer sent (answered: see media below); a pinned message is not.
    expect(readUpdate({ update_id: 7, message: { message_id: 1, from, chat, date: 0, pinned_message: { message_id: 0, chat, date: 0 } } })).toMatchObject({ kind: "ignored" });
    expect(readUpdate({ update_id: 8, poll: {} })).toMatchObject({ kind: "ignored" });
  });

  it("refuses a body that is not an update", () => {
    for (const body of [undefined, [], { message: {} }, { update_id: -1 }, { update_id: 1, message: { text: "no chat" } }]) {
      expect(() => readUpdate(body)).toThrow(MalformedUpdateError);
    }
  });
});

describe("toSendError", () => {
  const grammy = (code: number, parameters: object = {}) => new GrammyError("x", { ok: false, error_code: code, description: "d", parameters }, "sendMessage", {});

  it("waits retry_after on 429, retries 5xx and network failures, rejects other 4xx", () => {
    const limited = toSendError(grammy(429, { retry_after: 3 }), "sendMessage");
    expect(limited).toBeInstanceOf(ChannelSendError);
    expect(limited).toMatchObject({ code: "rate_limited", retryAfterMs: 3000, permanent: false });
    expect(toSendError(grammy(502), "sendMessage")).toMatchObject({ code: "unavailable", permanent: false });
    expect(toSendError(new HttpError("timeout", new Error("aborted")), "sendMessage")).toMatchObject({ code: "unavailable" });
    expect(toSendError(grammy(403), "sendMessage")).toMatchObject({ code: "rejected", permanent: true });
  });
});
