import { describe, expect, it } from "vitest";
import { CHANNEL_IDS, formatMoney, renderForChannel, type Message } from "./channels.js";

const buttons = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `Option ${i + 1}`, payload: `opt:${i + 1}` }));
const drinks: Message = {
  text: "Drinks",
  buttons: [{ label: "Back", payload: "back" }],
  cards: [
    { title: "Espresso", price: { amount: 250, currency: "EUR" }, buttons: [{ label: "Add", payload: "product:espresso" }] },
    { title: "Latte", price: { amount: 320, currency: "EUR" }, buttons: [{ label: "Add", payload: "product:latte" }] },
  ],
};
const invoice: Message = { text: "Pay please", invoice: { order: "1", title: "Café Lumière order #1", amount: 920, currency: "EUR" } };

describe("channel preview rules", () => {
  it("formats minor units by the currency's digits", () => {
    expect(formatMoney({ amount: 320, currency: "EUR" }, "en")).toBe("€3.20");
    expect(formatMoney({ amount: 750, currency: "XTR" }, "en")).toBe("⭐750");
    expect(formatMoney({ amount: 1500, currency: "XTR" }, "en")).toBe("⭐1,500");
    expect(formatMoney({ amount: 320, currency: "EUR" }, "fr")).toMatch(/^3,20\s€$/);
    expect(formatMoney({ amount: 500, currency: "JPY" }, "en")).toBe("¥500");
    expect(formatMoney({ amount: 1234, currency: "KWD" }, "en")).toMatch(/^KWD\s1\.234$/);
  });

  it("keeps a message as is where it fits: 3 buttons are reply buttons on WhatsApp, a button template on Messenger", () => {
    for (const channel of CHANNEL_IDS) {
      const { bubbles, fallbacks } = renderForChannel({ text: "Pick", buttons: buttons(3) }, channel);
      expect(bubbles, channel).toHaveLength(1);
      expect(bubbles[0]).toMatchObject({ kind: "text", text: "Pick", buttons: buttons(3) });
      if (channel !== "webchat") expect(fallbacks, channel).toEqual([]);
    }
    expect(renderForChannel({ text: "Pick", buttons: buttons(3) }, "whatsapp").bubbles[0]).toMatchObject({ buttonStyle: "reply" });
  });

  it("WhatsApp: more than 3 buttons become a list, more than 10 a numbered list; titles are cut to the limits", () => {
    const five = renderForChannel({ text: "Which day?", buttons: buttons(5) }, "whatsapp");
    expect(five.bubbles).toEqual([{ kind: "list", title: "Which day?", rows: buttons(5) }]);
    expect(five.fallbacks).toEqual(["5 buttons → list (WhatsApp allows 3)"]);

    const twelve = renderForChannel({ text: "Time?", buttons: buttons(12) }, "whatsapp");
    expect(twelve.bubbles).toHaveLength(1);
    expect(twelve.bubbles[0]).toMatchObject({ kind: "text" });
    expect(twelve.bubbles[0]?.kind === "text" && twelve.bubbles[0].text).toContain("12. Option 12");
    expect(twelve.fallbacks[0]).toContain("12 buttons → numbered list");

    const long = renderForChannel({ text: "?", buttons: [{ label: "Haircut (30 min, €25.00)", payload: "s" }] }, "whatsapp");
    expect(long.bubbles[0]).toMatchObject({ buttons: [{ label: "Haircut (30 min, €2…", payload: "s" }] });
    expect(long.fallbacks).toEqual(["1 button title cut to 20 characters"]);
  });

  it("WhatsApp has no carousel: cards and buttons become one list with prices", () => {
    const { bubbles, fallbacks } = renderForChannel(drinks, "whatsapp", { locale: "en" });
    expect(bubbles).toEqual([
      {
        kind: "list",
        title: "Drinks",
        rows: [
          { label: "Espresso", description: "€2.50", payload: "product:espresso" },
          { label: "Latte", description: "€3.20", payload: "product:latte" },
          { label: "Back", payload: "back" },
        ],
      },
    ]);
    expect(fallbacks).toEqual(["2 cards + 1 button → list message (WhatsApp has no carousel)"]);
  });

  it("Telegram: cards are one message paged with inline buttons; invoices are native; long payloads are named", () => {
    const { bubbles, fallbacks } = renderForChannel(drinks, "telegram", { locale: "en" });
    expect(bubbles.map((b) => b.kind === "text" && b.text)).toEqual(["Drinks", "Espresso — €2.50", "Latte — €3.20"]);
    expect(fallbacks).toEqual(["2 cards → one message showing card 1 of 2, paged in place with ‹ ›; shown here one under another (Telegram has no carousel)"]);
    expect(renderForChannel(invoice, "telegram").bubbles.at(-1)).toMatchObject({ kind: "invoice", native: true, amount: "€9.20" });
    expect(renderForChannel({ text: "x", buttons: [{ label: "Go", payload: "x".repeat(65) }] }, "telegram").fallbacks[0]).toContain("over 64 bytes");
    expect(renderForChannel({ text: "x", buttons: buttons(101) }, "telegram").fallbacks[0]).toBe("101 buttons → first 100 (Telegram allows 100 per keyboard)");
  });

  it("Messenger: 4–13 buttons are quick replies, more a numbered list; over 10 cards a list; text over 2000 characters is split", () => {
    expect(renderForChannel({ text: "?", buttons: buttons(4) }, "messenger")).toEqual({
      bubbles: [{ kind: "text", text: "?", buttons: buttons(4), buttonStyle: "quick" }],
      fallbacks: ["4 buttons → quick replies (button template allows 3)"],
    });
    expect(renderForChannel({ text: "?", buttons: buttons(14) }, "messenger").fallbacks).toEqual(["14 buttons → numbered list to type (Messenger allows 13 quick replies)"]);
    const cards = Array.from({ length: 11 }, (_, i) => ({ title: `P${i}`, buttons: buttons(4) }));
    expect(renderForChannel({ cards }, "messenger").fallbacks).toEqual(["11 cards → numbered list (Messenger's carousel allows 10)"]);
    const ten = renderForChannel({ cards: cards.slice(0, 10) }, "messenger");
    expect(ten.bubbles[0]?.kind === "carousel" && ten.bubbles[0].cards[0]?.buttons).toHaveLength(3);
    expect(ten.fallbacks[0]).toBe("10 cards with more than 3 buttons → first 3 (generic template)");
    const long = renderForChannel({ text: "a".repeat(4500) }, "messenger");
    expect(long.bubbles).toHaveLength(3);
    expect(long.fallbacks).toEqual(["text of 4500 characters → 3 messages (Messenger allows 2000)"]);
    expect(renderForChannel({ text: "a".repeat(4500) }, "telegram").bubbles).toHaveLength(2);
  });

  it("only Telegram (and the emulator) show a native invoice; the others a payment link", () => {
    for (const channel of ["messenger", "whatsapp", "webchat"]) {
      const { bubbles, fallbacks } = renderForChannel(invoice, channel);
      expect(bubbles.at(-1), channel).toMatchObject({ kind: "invoice", native: false });
      expect(fallbacks.at(-1), channel).toMatch(/^invoice → payment link/);
    }
    expect(renderForChannel(invoice, "emulator").fallbacks).toEqual([]);
  });

  it("only Telegram (and the emulator) show a button sharing the phone number or location; elsewhere it is typed", () => {
    const ask: Message = { text: "Your number?", request: { kind: "contact", label: "Share my number" } };
    for (const channel of ["telegram", "emulator"]) {
      const { bubbles, fallbacks } = renderForChannel(ask, channel);
      expect(bubbles.map((b) => b.kind), channel).toEqual(["text", "share"]);
      expect(bubbles.at(-1), channel).toEqual({ kind: "share", share: { kind: "contact", label: "Share my number" } });
      expect(fallbacks, channel).toEqual([]);
    }
    for (const channel of ["messenger", "whatsapp", "webchat"]) {
      const { bubbles, fallbacks } = renderForChannel({ text: "Where to?", request: { kind: "location", label: "Share my location" } }, channel);
      expect(bubbles.map((b) => b.kind), channel).toEqual(["text"]);
      expect(fallbacks, channel).toEqual([expect.stringMatching(/^share button "Share my location" → none: the customer types the address/)]);
    }
  });

  it("Web Chat shows cards as a hero card carousel with suggested actions", () => {
    const { bubbles, fallbacks } = renderForChannel(drinks, "webchat");
    expect(bubbles.map((b) => b.kind)).toEqual(["text", "carousel", "text"]);
    expect(fallbacks).toEqual(["2 cards → hero card carousel", "1 button → suggested actions"]);
    expect(() => renderForChannel(drinks, "fax")).toThrow("unknown channel 'fax'; channels are: emulator, telegram, messenger, whatsapp, webchat");
  });
});
