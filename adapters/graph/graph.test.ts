import { describe, expect, it } from "vitest";
import { renderMessenger } from "../messenger/render.ts";
import { readBatch } from "../messenger/events.ts";
import { renderWhatsApp } from "../whatsapp/render.ts";
import { readWebhook } from "../whatsapp/events.ts";
import type { Button, Card } from "../../core/message.ts";
import { graphSendError } from "./api.ts";
import { handshakeChallenge, hubSignature, signatureMatches } from "./signature.ts";
import { insideWindow, updateKind } from "./window.ts";

const buttons = (n: number): Button[] => Array.from({ length: n }, (_, i) => ({ label: `Choice ${i + 1}`, payload: `p${i + 1}` }));
const cards = (n: number): Card[] => Array.from({ length: n }, (_, i) => ({ title: `Card ${i + 1}`, price: { amount: 100 + i, currency: "EUR" }, buttons: [{ label: "Add", payload: `product:${i + 1}` }] }));

describe("Graph signatures and handshake", () => {
  it("accepts exactly the raw bytes signed with the app secret", () => {
    const raw = Buffer.from('{"object":"page","entry":[]}');
    const header = hubSignature(raw, "secret");
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signatureMatches(raw, header, "secret")).toBe(true);
    expect(signatureMatches(raw, header.toUpperCase().replace("SHA256=", "sha256="), "secret")).toBe(true);
    expect(signatureMatches(Buffer.from('{"object": "page","entry":[]}'), header, "secret")).toBe(false);
    expect(signatureMatches(raw, header, "other")).toBe(false);
    expect(signatureMatches(raw, undefined, "secret")).toBe(false);
    expect(signatureMatches(raw, [header, header], "secret")).toBe(false);
  });

  it("echoes the challenge only for a subscribe with the verify token", () => {
    expect(handshakeChallenge({ "hub.mode": "subscribe", "hub.verify_token": "t", "hub.challenge": "42" }, "t")).toBe("42");
    expect(handshakeChallenge({ "hub.mode": "subscribe", "hub.verify_token": "x", "hub.challenge": "42" }, "t")).toBeUndefined();
    expect(handshakeChallenge({ "hub.verify_token": "t", "hub.challenge": "42" }, "t")).toBeUndefined();
  });
});

describe("Graph send errors", () => {
  it("waits on a rate limit, retries Meta's failures, rejects the rest", () => {
    const error = (code: number, extra: object = {}) => ({ error: { message: "m", type: "OAuthException", code, fbtrace_id: "A", ...extra } });
    expect(graphSendError(400, error(613), "x")).toMatchObject({ code: "rate_limited", retryAfterMs: 60_000 });
    expect(graphSendError(429, error(130429), "x", "7")).toMatchObject({ code: "rate_limited", retryAfterMs: 7000 });
    expect(graphSendError(500, error(1), "x").code).toBe("unavailable");
    expect(graphSendError(400, error(2, { is_transient: true }), "x").code).toBe("unavailable");
    const rejected = graphSendError(400, error(10, { error_subcode: 2018278 }), "messenger send");
    expect(rejected.code).toBe("rejected");
    expect(rejected.message).toBe("messenger send: 400 (#10/2018278) m");
    expect(graphSendError(400, error(131047), "x").code).toBe("rejected");
  });
});

describe("messaging windows", () => {
  it("is open for 24 hours after the customer wrote; only updates go out after", () => {
    const now = new Date("2026-01-02T12:00:00Z");
    expect(insideWindow(new Date("2026-01-01T12:00:01Z"), now)).toBe(true);
    expect(insideWindow(new Date("2026-01-01T12:00:00Z"), now)).toBe(false);
    expect(insideWindow(undefined, now)).toBe(false);
    expect(updateKind({ text: "receipt", kind: "order_update" })).toBe("order_update");
    expect(updateKind({ text: "Reminder", buttons: [{ label: "Cancel", payload: "booking:cancel:1" }] })).toBe("booking_update");
    expect(updateKind({ text: "Sale!", buttons: [{ label: "Cancel", payload: "booking:cancel:1" }, { label: "Shop", payload: "menu" }] })).toBeUndefined();
    expect(updateKind({ text: "Sale!" })).toBeUndefined();
  });
});

describe("Messenger rendering", () => {
  it("uses a button template up to 3, quick replies up to 13, a numbered list beyond", () => {
    expect(renderMessenger({ text: "Pick", buttons: buttons(3) })).toEqual([
      { attachment: { type: "template", payload: { template_type: "button", text: "Pick", buttons: buttons(3).map((b) => ({ type: "postback", title: b.label, payload: b.payload })) } } },
    ]);
    const thirteen = renderMessenger({ text: "Pick", buttons: buttons(13) });
    expect(thirteen).toHaveLength(1);
    expect(thirteen[0]).toMatchObject({ text: "Pick" });
    expect((thirteen[0] as { quick_replies: unknown[] }).quick_replies).toHaveLength(13);
    const fourteen = renderMessenger({ text: "Pick", buttons: buttons(14) });
    expect(fourteen).toEqual([{ text: `Pick\n\n${buttons(14).map((b, i) => `${i + 1}. ${b.label}`).join("\n")}` }]);
    // A label longer than a button title: quick replies, cut to 20 characters.
    expect(renderMessenger({ text: "Pick", buttons: [{ label: "A very long label for a button", payload: "x" }] })).toEqual([
      { text: "Pick", quick_replies: [{ content_type: "text", title: "A very long label f…", payload: "x" }] },
    ]);
  });

  it("shows cards as carousels of at most 10, 3 buttons each, the message's buttons as quick replies on the last", () => {
    const many = cards(12).map((c, i) => (i === 0 ? { ...c, buttons: buttons(5) } : c));
    const out = renderMessenger({ text: "Pastries", cards: many, buttons: [{ label: "Back", payload: "back" }] });
    expect(out[0]).toEqual({ text: "Pastries" });
    const elements = out.slice(1).map((m) => ("attachment" in m && m.attachment.payload.template_type === "generic" ? m.attachment.payload.elements.length : 0));
    expect(elements).toEqual([10, 2]);
    const first = out[1];
    expect(first && "attachment" in first && first.attachment.payload.template_type === "generic" ? first.attachment.payload.elements[0] : undefined).toEqual({
      title: "Card 1",
      subtitle: "€1.00",
      buttons: buttons(3).map((b) => ({ type: "postback", title: b.label, payload: b.payload })),
    });
    expect(out[2]).toMatchObject({ quick_replies: [{ content_type: "text", title: "Back", payload: "back" }] });
    expect(out[1]).not.toHaveProperty("quick_replies");
  });
});

describe("Messenger card images", () => {
  it("shows an https image on its element, and leaves out a path in the bot's folder, which Messenger cannot fetch", () => {
    const out = renderMessenger({ cards: [{ ...cards(1)[0], title: "Latte", image: "https://cdn.example.com/latte.jpg" }, { title: "Croissant", image: "images/croissant.jpg" }] });
    const elements = out.flatMap((m) => ("attachment" in m && m.attachment.payload.template_type === "generic" ? m.attachment.payload.elements : []));
    expect(elements.map((e) => e.image_url)).toEqual(["https://cdn.example.com/latte.jpg", undefined]);
  });
});

describe("WhatsApp rendering", () => {
  it("uses reply buttons up to 3, a list up to 10 rows, numbered text beyond", () => {
    expect(renderWhatsApp({ text: "Pick", buttons: buttons(3) })[0]).toMatchObject({ type: "interactive", interactive: { type: "button" } });
    const list = renderWhatsApp({ text: "Pick", buttons: buttons(10) })[0];
    expect(list).toMatchObject({ type: "interactive", interactive: { type: "list", action: { button: "Choose" } } });
    expect(renderWhatsApp({ text: "Pick", buttons: buttons(11) })).toEqual([
      { type: "text", text: { body: `Pick\n\n${buttons(11).map((b, i) => `${i + 1}. ${b.label}`).join("\n")}`, preview_url: false } },
    ]);
    // A label over 20 characters cannot be a reply button: a list row (24), whole label as its description.
    const long = renderWhatsApp({ text: "Pick", buttons: [{ label: "Cappuccino with oat milk, large", payload: "x" }] })[0];
    expect(long).toMatchObject({ interactive: { type: "list", action: { sections: [{ rows: [{ id: "x", title: "Cappuccino with oat mil…", description: "Cappuccino with oat milk, large" }] }] } } });
  });

  it("sends product cards as a product_list when a catalog is linked, the message's buttons after it", () => {
    const message = { text: "Pastries", cards: [...cards(2), { title: "Sold out thing", subtitle: "Sold out", price: { amount: 210, currency: "EUR" } }], buttons: [{ label: "Back", payload: "back" }] };
    const [list, back] = renderWhatsApp(message, { catalogId: "1584239335476712" });
    expect(list).toEqual({
      type: "interactive",
      interactive: {
        type: "product_list",
        header: { type: "text", text: "Pastries" },
        body: { text: "Card 1 — €1.00\nCard 2 — €1.01\nSold out thing — Sold out — €2.10" },
        action: { catalog_id: "1584239335476712", sections: [{ title: "Pastries", product_items: [{ product_retailer_id: "1" }, { product_retailer_id: "2" }] }] },
      },
    });
    expect(back).toMatchObject({ interactive: { type: "button", action: { buttons: [{ type: "reply", reply: { id: "back", title: "Back" } }] } } });
    // Without a catalog, or with cards that are not products, a list as before.
    expect(renderWhatsApp(message)[0]).toMatchObject({ interactive: { type: "list" } });
    expect(renderWhatsApp({ text: "Bookings", cards: [{ title: "Haircut", buttons: [{ label: "Cancel", payload: "booking:cancel:1" }] }] }, { catalogId: "1" })[0]).toMatchObject({ interactive: { type: "list" } });
  });

  it("shows more cards than a list holds as text and a numbered list", () => {
    const [out] = renderWhatsApp({ text: "Menu", cards: cards(11) });
    expect(out?.type).toBe("text");
    expect(out?.type === "text" ? out.text.body : "").toMatch(/^Menu\n\nCard 1 — €1\.00\n[\s\S]*\n\n1\. Card 1\n[\s\S]*11\. Card 11$/);
  });
});

describe("reading webhooks", () => {
  it("reads every Messenger event of every entry", () => {
    const events = readBatch({
      object: "page",
      entry: [
        { id: "1", time: 1, messaging: [{ sender: { id: "u1" }, recipient: { id: "1" }, timestamp: 1, message: { mid: "m1", attachments: [{ type: "location", payload: { coordinates: { lat: 48.85, long: 2.35 } } }] } }] },
        { id: "1", time: 2, messaging: [{ sender: { id: "u2" }, recipient: { id: "1" }, timestamp: 2, postback: { title: "Get Started", payload: "GET_STARTED" } }, { sender: { id: "u2" }, recipient: { id: "1" }, timestamp: 3, referral: { ref: "ad", source: "SHORTLINK", type: "OPEN_THREAD" } }] },
      ],
    });
    expect(events.map((e) => (e.kind === "input" ? [e.userId, e.input] : e.kind))).toEqual([
      ["u1", { kind: "text", text: "48.85, 2.35" }],
      ["u2", { kind: "text", text: "/start" }],
      ["u2", { kind: "text", text: "/start" }],
    ]);
    expect(() => readBatch({ object: "instagram", entry: [] })).toThrow(/Messenger webhook batch/);
  });

  it("reads WhatsApp messages and statuses, and ignores what it does not handle", () => {
    const events = readWebhook({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "w",
          changes: [
            {
              field: "messages",
              value: {
                metadata: { phone_number_id: "42" },
                messages: [
                  { from: "1", id: "wamid.1", type: "reaction", reaction: { message_id: "wamid.0", emoji: "👍" } },
                  { from: "1", id: "wamid.2", type: "order", order: { catalog_id: "c", product_items: [{ product_retailer_id: "latte", quantity: 2, item_price: 3.2, currency: "EUR" }] } },
                  { from: "33612345678", id: "wamid.3", type: "location", location: { latitude: 48.85, longitude: 2.35, name: "Salon Lila" } },
                  { from: "33612345678", id: "wamid.4", type: "contacts", contacts: [{ name: { formatted_name: "Bob" }, phones: [{ phone: "+33 6 99 99 99 99", type: "CELL" }] }] },
                  {
                    from: "33612345678",
                    id: "wamid.5",
                    type: "contacts",
                    contacts: [{ name: { formatted_name: "Me" }, phones: [{ phone: "+33 1 00 00 00 00", type: "HOME" }, { phone: "+33 6 12 34 56 78", wa_id: "33612345678", type: "CELL" }] }],
                  },
                ],
                statuses: [{ id: "wamid.9", status: "read", recipient_id: "1" }],
              },
            },
            { field: "account_update", value: {} },
          ],
        },
      ],
    });
    expect(events.map((e) => e.kind)).toEqual(["ignored", "order", "input", "input", "input", "status", "ignored"]);
    expect(events.slice(2, 5).map((e) => (e.kind === "input" ? e.input : undefined))).toEqual([
      { kind: "location", latitude: 48.85, longitude: 2.35 },
      { kind: "contact", phone: "+33 6 99 99 99 99", own: false },
      { kind: "contact", phone: "+33 6 12 34 56 78", own: true },
    ]);
    expect(events[1]).toMatchObject({ items: [{ productRetailerId: "latte", quantity: 2, itemPrice: 320, currency: "EUR" }] });
  });
});

describe("the words the channels add, in the customer's language", () => {
  const invoice = { order: "7", title: "Order 7", amount: 360, currency: "EUR" };
  const payTitle = (locale: string | undefined) => {
    const [message] = renderMessenger({ invoice }, { checkoutUrl: "https://pay.example/s/7", ...(locale === undefined ? {} : { locale }) });
    return message !== undefined && "attachment" in message && message.attachment.payload.template_type === "button" ? message.attachment.payload.buttons[0]?.title : undefined;
  };
  const listButton = (locale: string) => {
    const [message] = renderWhatsApp({ text: "Pick", buttons: buttons(5) }, { locale });
    return message?.type === "interactive" && message.interactive.type === "list" ? message.interactive.action.button : undefined;
  };

  it("words the pay and list buttons in en, fr and zh-CN, English for another language or none", () => {
    expect([payTitle(undefined), payTitle("de-DE")]).toEqual(["Pay €3.60", "Pay 3,60\u00a0€"]);
    expect(payTitle("zh-CN")).toBe("支付 €3.60");
    expect([listButton("en"), listButton("fr-FR"), listButton("zh-CN"), listButton("de")]).toEqual(["Choose", "Choisir", "选择", "Choose"]);
  });
});
