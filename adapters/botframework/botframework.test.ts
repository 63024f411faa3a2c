import { describe, expect, it } from "vitest";
import type { Envelope } from "../../core/message.ts";
import { MalformedActivityError, readActivity } from "./activities.ts";
import { renderActivity } from "./render.ts";

const base = {
  type: "message",
  id: "a1",
  channelId: "msteams",
  serviceUrl: "https://smba.trafficmanager.net/emea/",
  from: { id: "29:user", name: "Alice", role: "user" },
  recipient: { id: "28:bot", name: "Kiosk" },
  conversation: { id: "a:1Xyz;messageid=1", conversationType: "personal", tenantId: "t1" },
  locale: "fr-FR",
};

const envelope = (message: Envelope["message"]): Envelope => ({ id: 7, botId: "cafe", channel: "botframework", userId: "msteams:a:1", message });

describe("readActivity", () => {
  it("reads text, the customer (channel + conversation), the locale and a reference without the activity id", () => {
    const read = readActivity({ ...base, text: "  latte  " });
    expect(read).toEqual({
      kind: "message",
      id: "a1",
      channelId: "msteams",
      customerId: "msteams:a:1Xyz;messageid=1",
      locale: "fr-FR",
      input: { kind: "text", text: "latte" },
      reference: {
        channelId: "msteams",
        serviceUrl: "https://smba.trafficmanager.net/emea/",
        conversation: { id: "a:1Xyz;messageid=1", isGroup: false, conversationType: "personal", name: "", tenantId: "t1" },
        bot: { id: "28:bot", name: "Kiosk" },
        user: { id: "29:user", name: "Alice" },
        locale: "fr-FR",
      },
    });
  });

  it("reads a submit's value as a postback: a string, or an object's payload (Kiosk buttons, Adaptive Card data), before any text", () => {
    expect(readActivity({ ...base, value: "category:drinks" })).toMatchObject({ kind: "message", input: { kind: "postback", payload: "category:drinks" } });
    expect(readActivity({ ...base, text: "Drinks", value: { payload: "category:drinks", other: 1 } })).toMatchObject({ input: { kind: "postback", payload: "category:drinks" } });
    // A submit naming no choice is answered (the step asked again), not ignored.
    expect(readActivity({ ...base, value: { size: "M" } })).toMatchObject({ kind: "message", input: { kind: "unsupported", what: "empty" } });
    expect(readActivity({ ...base, text: "M", value: { size: "M" } })).toMatchObject({ input: { kind: "text", text: "M" } });
  });

  it("welcomes a joining customer, not the bot joining; ignores groups, bots, empty messages and other types", () => {
    const update = { ...base, type: "conversationUpdate", from: undefined };
    expect(readActivity({ ...update, membersAdded: [{ id: "29:user", name: "Alice" }] })).toMatchObject({ kind: "welcome", reference: { user: { id: "29:user" } } });
    expect(readActivity({ ...update, membersAdded: [{ id: "28:bot" }] })).toMatchObject({ kind: "ignored" });
    expect(readActivity({ ...update, membersRemoved: [{ id: "29:user" }] })).toMatchObject({ kind: "ignored" });
    expect(readActivity({ ...base, text: "hi", conversation: { id: "19:channel", isGroup: true } })).toMatchObject({ kind: "ignored" });
    expect(readActivity({ ...base, text: "hi", from: { id: "28:other", role: "bot" } })).toMatchObject({ kind: "ignored", reason: "a message from a bot" });
    expect(readActivity({ ...base, text: "   " })).toMatchObject({ kind: "ignored", reason: "a message without text" });
    expect(readActivity({ ...base, type: "installationUpdate" })).toMatchObject({ kind: "ignored", reason: "activity type 'installationUpdate' is not handled" });
  });

  it("throws MalformedActivityError naming the broken fields", () => {
    expect(() => readActivity({ type: "message" })).toThrow(MalformedActivityError);
    expect(() => readActivity({ ...base, conversation: {} })).toThrow(/conversation\.id/);
    expect(() => readActivity("hello")).toThrow(/not a Bot Framework activity/);
  });
});

describe("renderActivity", () => {
  it("renders text as plain text and buttons as messageBack suggested actions, imBack on Teams", () => {
    expect(renderActivity(envelope({ text: "Size? *large*", buttons: [{ label: "M", payload: "size:m" }] }), { channelId: "webchat" })).toEqual({
      type: "message",
      text: "Size? *large*",
      textFormat: "plain",
      suggestedActions: { to: [], actions: [{ type: "messageBack", title: "M", text: "M", displayText: "M", value: { payload: "size:m" } }] },
    });
    expect(renderActivity(envelope({ buttons: [{ label: "M", payload: "size:m" }] }), { channelId: "msteams" }).suggestedActions?.actions).toEqual([{ type: "imBack", title: "M", value: "M" }]);
  });

  it("renders one card as a list and several as a carousel of hero cards with their prices and buttons", () => {
    const one = renderActivity(envelope({ cards: [{ title: "Latte", price: { amount: 320, currency: "EUR" }, buttons: [{ label: "Add", payload: "product:latte" }] }] }));
    expect(one).toEqual({
      type: "message",
      attachmentLayout: "list",
      attachments: [
        { contentType: "application/vnd.microsoft.card.hero", content: { title: "Latte", text: "€3.20", buttons: [{ type: "messageBack", title: "Add", text: "Add", displayText: "Add", value: { payload: "product:latte" } }] } },
      ],
    });
    const two = renderActivity(envelope({ cards: [{ title: "A" }, { title: "B", subtitle: "Sold out" }] }));
    expect(two.attachmentLayout).toBe("carousel");
    expect(two.attachments?.map((a) => a.content as unknown)).toEqual([{ title: "A" }, { title: "B", subtitle: "Sold out" }]);
  });

  it("renders an invoice as a card: an open-URL button to checkout, or why it cannot be paid here", () => {
    const invoice = { order: "12", title: "Café order #12", amount: 360, currency: "EUR" };
    expect(renderActivity(envelope({ invoice }), { payment: { kind: "link", url: "https://pay.example/s/1" } }).attachments).toEqual([
      { contentType: "application/vnd.microsoft.card.hero", content: { title: "Café order #12", subtitle: "€3.60", buttons: [{ type: "openUrl", title: "Pay €3.60", value: "https://pay.example/s/1" }] } },
    ]);
    expect(renderActivity(envelope({ invoice })).attachments?.[0]?.content).toMatchObject({ text: "Payment is not available on this channel. Your order number is 12." });
    expect(renderActivity(envelope({ invoice }), { payment: { kind: "closed" } }).attachments?.[0]?.content).toMatchObject({ text: "Order #12 can no longer be paid." });
    // In the customer's language (their activity's locale), English for others.
    expect(renderActivity(envelope({ invoice }), { payment: { kind: "link", url: "https://pay.example/s/1" }, locale: "fr-FR" }).attachments?.[0]?.content).toMatchObject({
      subtitle: expect.stringMatching(/^3,60\s€$/),
      buttons: [{ title: expect.stringMatching(/^Payer 3,60\s€$/) }],
    });
    expect(renderActivity(envelope({ invoice }), { locale: "de-DE" }).attachments?.[0]?.content).toMatchObject({ text: expect.stringMatching(/^Payment is not available/) });
  });
});
