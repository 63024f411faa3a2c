/**
 * WhatsApp end to end: signed Cloud API webhooks in their real shapes posted
 * to a real server (cafe bot, SQLite file), a fake Graph API recording what
 * Kiosk sends, hosted checkout on a fake checkout API.
 */
import { whatsappChannel } from "../adapters/whatsapp/channel.ts";
import { describe, expect, it } from "vitest";
import { hubSignature } from "../adapters/graph/index.ts";
import { toMinorUnits } from "../adapters/whatsapp/index.ts";
import type { TestServer } from "./test-server.ts";
import { whatsappWebhook } from "./fakes/graph-api.ts";
import { GraphCustomer, postSigned, settle, startGraphServer, type GraphSetup, type SignedPostOptions } from "./graph-harness.ts";
import { useHarness, type Harness } from "./helpers.ts";

const APP_SECRET = "fedcba9876543210fedcba9876543210";
const VERIFY_TOKEN = "kiosk-wa-verify-token";
const WA_TOKEN = "EAAGtestWhatsAppSystemUserToken00000001";
const PHONE_NUMBER_ID = "106540352242922";
const HOUR = 3_600_000;

type Interactive = {
  type: string;
  body: { text: string };
  action: { button?: string; buttons?: Array<{ reply: { id: string; title: string } }>; sections?: Array<{ rows: Array<{ id: string; title: string; description?: string }> }>; parameters?: { display_text: string; url: string } };
};

const setup = (harness: Harness): Promise<GraphSetup> =>
  startGraphServer(harness, {
    channel: whatsappChannel,
    env: {
      KIOSK_META_APP_SECRET: APP_SECRET,
      KIOSK_META_VERIFY_TOKEN: VERIFY_TOKEN,
      KIOSK_WHATSAPP_CAFE_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      KIOSK_WHATSAPP_CAFE_TOKEN: WA_TOKEN,
      KIOSK_WHATSAPP_CAFE_REMINDER_TEMPLATE: "booking_reminder:en_US",
    },
  });

let seq = 0;
const wamid = () => `wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA${++seq}`;
const webhook = (value: Record<string, unknown>) => whatsappWebhook(PHONE_NUMBER_ID, value);
const messages = (from: string, ...list: Array<Record<string, unknown>>) =>
  webhook({ contacts: [{ profile: { name: "Kerry Fisher" }, wa_id: from }], messages: list.map((m) => ({ from, id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), ...m })) });

const post = (server: TestServer, body: unknown, options?: SignedPostOptions) => postSigned(`${server.url}/whatsapp/cafe/webhook`, APP_SECRET, body, options);

class Customer extends GraphCustomer {
  get waId(): string {
    return this.userId;
  }

  texts(): string[] {
    return this.calls().map((c) => (c.body.text as { body: string } | undefined)?.body ?? (c.body.interactive as Interactive | undefined)?.body.text ?? String(c.body.type));
  }

  protected override post(message: Record<string, unknown>) {
    return post(this.s.server, messages(this.waId, message));
  }

  say(text: string): Promise<void> {
    return this.deliver({ type: "text", text: { body: text } });
  }

  /** Taps the newest reply button or list row titled `title`. */
  async press(title: string): Promise<void> {
    for (const call of this.calls().reverse()) {
      const interactive = call.body.interactive as Interactive | undefined;
      const button = interactive?.action.buttons?.find((b) => b.reply.title === title);
      if (button) return this.deliver({ type: "interactive", interactive: { type: "button_reply", button_reply: { id: button.reply.id, title } } });
      const row = interactive?.action.sections?.flatMap((s) => s.rows).find((r) => r.title === title);
      if (row) return this.deliver({ type: "interactive", interactive: { type: "list_reply", list_reply: { id: row.id, title, description: row.description } } });
    }
    throw new Error(`no button or row '${title}' for ${this.waId}; sent: ${JSON.stringify(this.texts())}`);
  }
}

describe("WhatsApp webhook", () => {
  const harness = useHarness();

  it("answers the verification request, and refuses wrong, missing or re-serialized signatures with 401", async () => {
    const s = await setup(harness);
    const ok = await fetch(`${s.server.url}/whatsapp/cafe/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=907451`);
    expect([ok.status, await ok.text()]).toEqual([200, "907451"]);
    expect((await fetch(`${s.server.url}/whatsapp/cafe/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=907451`)).status).toBe(403);

    const body = messages("16505551234", { type: "text", text: { body: "hi" } });
    const raw = JSON.stringify(body, null, 1);
    const refused = [
      await post(s.server, body, { raw, signature: hubSignature(raw, "not-the-app-secret") }),
      await post(s.server, body, { raw, signature: null }),
      await post(s.server, body, { raw: JSON.stringify(body), signature: hubSignature(raw, APP_SECRET) }),
    ];
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401]);
    await settle(s.server);
    expect(s.graph.calls).toHaveLength(0);
    expect((await post(s.server, body, { raw })).status).toBe(200);
    await settle(s.server);
    expect(s.graph.sent("16505551234")[0]?.body).toMatchObject({ messaging_product: "whatsapp", to: "16505551234", type: "text", text: { body: expect.stringMatching(/Welcome/) } });
  });

  it("takes a cafe order with buttons and lists, and its payment through the hosted checkout", async () => {
    const s = await setup(harness);
    const kerry = new Customer(s, "16505551234");
    await kerry.say("hi");
    // Two categories and their names: reply buttons.
    const menu = kerry.calls().at(-1)?.body.interactive as Interactive;
    expect(menu.type).toBe("button");
    expect(menu.action.buttons?.map((b) => b.reply.title)).toEqual(["Drinks", "Pastries"]);
    await kerry.press("Pastries");
    // Product cards become list rows with their prices.
    const pastries = kerry.calls().at(-1)?.body.interactive as Interactive;
    expect(pastries.type).toBe("list");
    expect(pastries.action.sections?.[0]?.rows).toContainEqual({ id: "product:croissant", title: "Croissant", description: "€1.80" });
    await kerry.press("Croissant");
    await kerry.say("2");
    await kerry.press("No");
    // The cart's four choices: a list.
    await kerry.press("Place order");
    const [order] = await s.server.store.listOrders({ botId: "cafe", channel: "whatsapp", userId: kerry.waId });
    if (!order) throw new Error(`no order; sent ${JSON.stringify(kerry.texts())}`);
    expect(order.total).toBe(360);
    const pay = kerry.calls().at(-1)?.body.interactive as Interactive;
    expect(pay.type).toBe("cta_url");
    expect(pay.body.text).toMatch(new RegExp(`^Order #${order.id} is placed: €3\\.60`));
    expect(pay.action.parameters?.display_text).toBe("Pay €3.60");
    const session = [...s.checkout.sessions.values()].find((x) => x.url === pay.action.parameters?.url);
    if (!session) throw new Error("the button does not open the order's checkout session");
    const delivered = await s.checkout.deliver(`${s.server.url}/checkout/webhook`, s.checkout.event("checkout.session.completed", s.checkout.paid(session.id)));
    expect(delivered.status).toBe(200);
    await settle(s.server);
    expect((await s.server.store.listOrders({ botId: "cafe", userId: kerry.waId })).map((o) => o.status)).toEqual(["paid"]);
    expect(kerry.texts().some((t) => t.startsWith(`Paid, thank you! Receipt for order #${order.id}:`))).toBe(true);
    expect(kerry.calls().every((c) => c.token === WA_TOKEN && c.node === PHONE_NUMBER_ID)).toBe(true);
  });

  it("words the list button and the pay button in the customer's language (the conversation's locale)", async () => {
    const s = await setup(harness);
    const amelie = new Customer(s, "33612345678");
    await amelie.say("bonjour");
    await amelie.say("/language");
    await amelie.press("Français");
    await amelie.press("Viennoiseries");
    const pastries = amelie.calls().at(-1)?.body.interactive as Interactive;
    expect(pastries.type).toBe("list");
    expect(pastries.action.button).toBe("Choisir");
    expect(pastries.action.sections?.[0]?.rows).toContainEqual({ id: "product:croissant", title: "Croissant", description: expect.stringMatching(/^1,80\s€$/) });
    await amelie.press("Croissant");
    await amelie.say("2");
    await amelie.press("Non");
    await amelie.press("Commander");
    const pay = amelie.calls().at(-1)?.body.interactive as Interactive;
    expect(pay.action.parameters?.display_text).toMatch(/^Payer 3,60\s€$/);
  });

  it("re-prices a catalog order with tampered prices from the catalog, and leaves out what the catalog does not sell", async () => {
    const s = await setup(harness);
    const lee = new Customer(s, "447700900123");
    await lee.deliver({
      type: "order",
      order: {
        catalog_id: "1584239335476712",
        text: "for the office",
        product_items: [
          { product_retailer_id: "croissant", quantity: 3, item_price: 0.01, currency: "EUR" },
          { product_retailer_id: "espresso", quantity: 1, item_price: 0, currency: "EUR" },
          { product_retailer_id: "gold-bar", quantity: 1, item_price: 1, currency: "EUR" },
        ],
      },
    });
    const review = lee.calls().at(-1)?.body.interactive as Interactive;
    expect(review.body.text).toBe("Your order:\n1. 3 × Croissant — €5.40\n2. 1 × Espresso — €2.50\nTotal: €7.90");
    await lee.press("Place order");
    const [order] = await s.server.store.listOrders({ botId: "cafe", channel: "whatsapp", userId: lee.waId });
    expect(order).toMatchObject({ total: 790, currency: "EUR", status: "awaiting_payment" });
    expect(order?.items.map((i) => [i.productId, i.quantity, i.unitPrice])).toEqual([
      ["croissant", 3, 180],
      ["espresso", 1, 250],
    ]);
  });

  it("records a failed status (131047) against the outbox message it is about", async () => {
    const s = await setup(harness);
    const max = new Customer(s, "5511988887777");
    await max.say("hi");
    const sent = max.calls()[0];
    if (!sent?.messageId) throw new Error("nothing sent");
    const status = (state: string, errors?: unknown[]) =>
      webhook({ statuses: [{ id: sent.messageId, status: state, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: max.waId, ...(errors ? { errors } : {}) }] });
    expect((await post(s.server, status("delivered"))).status).toBe(200);
    const failed = status("failed", [
      {
        code: 131047,
        title: "Re-engagement message",
        message: "Re-engagement message",
        error_data: { details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number." },
      },
    ]);
    expect((await post(s.server, failed)).status).toBe(200);
    const rows = await s.server.store.conversationOutbox({ botId: "cafe", channel: "whatsapp", userId: max.waId });
    const row = rows[0];
    expect(row?.lastError).toMatch(/^WhatsApp failed: #131047 Re-engagement message \(Message failed to send because more than 24 hours/);
    expect(await s.server.store.deliveryStatuses(row?.id ?? 0)).toEqual([{ platformId: sent.messageId, status: "failed", error: row?.lastError }]);
    // No turn ran for a status: nothing more was sent.
    expect(max.calls()).toHaveLength(rows.length);
  });

  it("outside 24 h sends a booking reminder as the configured template, and does not send what has no template", async () => {
    const s = await setup(harness);
    const ana = new Customer(s, "33612345678");
    await ana.say("hi");
    const before = ana.calls().length;
    s.server.clock.advance(25 * HOUR);
    const address = { botId: "cafe", channel: "whatsapp", userId: ana.waId };
    const [reminder, update, promo] = await s.server.store.transaction((tx) =>
      tx.enqueue(
        address,
        [
          { text: "Reminder: Haircut with Ana,\nFriday 26 March at 10:30.", buttons: [{ label: "Reschedule", payload: "booking:reschedule:3" }] },
          { text: "Order #4 expired unpaid.", kind: "order_update" },
          { text: "Fresh croissants all day!" },
        ],
        s.server.clock.now(),
      ),
    );
    await s.server.runtime.tick();
    await settle(s.server);
    const late = ana.calls().slice(before);
    expect(late.map((c) => c.body)).toEqual([
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: ana.waId,
        type: "template",
        template: { name: "booking_reminder", language: { code: "en_US" }, components: [{ type: "body", parameters: [{ type: "text", text: "Reminder: Haircut with Ana, · Friday 26 March at 10:30." }] }] },
      },
    ]);
    const rows = await s.server.store.conversationOutbox(address, { newest: true, limit: 3 });
    expect(rows.find((r) => r.id === reminder)?.sentAt).not.toBeNull();
    expect(rows.find((r) => r.id === update)).toMatchObject({ sentAt: null, nextAttemptAt: null, lastError: expect.stringMatching(/no approved template is configured for it \(KIOSK_WHATSAPP_CAFE_ORDER_TEMPLATE\)/) });
    expect(rows.find((r) => r.id === promo)).toMatchObject({ sentAt: null, lastError: expect.stringMatching(/neither a booking reminder nor an order update/) });
  });

  it("answers a voice note, sticker or document with a short reply and asks the step again (issue 13, part 5)", async () => {
    const s = await setup(harness);
    const kerry = new Customer(s, "16505551234");
    await kerry.say("hi");
    await kerry.press("Pastries");
    await kerry.say("croissant");
    expect(kerry.texts().at(-1)).toBe("How many Croissant? (1–10)");
    const media = [
      { type: "audio", audio: { mime_type: "audio/ogg; codecs=opus", sha256: "Ng2Qm9m1xLdxb5rVYUKXdnjwwNIv2z4+p7tO0TKNGAo=", id: "1049245046541734", voice: true } },
      { type: "sticker", sticker: { mime_type: "image/webp", sha256: "lTq3LGPRl1MzGvjJfvFVkIz/WJf6x5D1ZsnQz4prmJk=", id: "1236925004223419", animated: false } },
      { type: "document", document: { filename: "menu.pdf", mime_type: "application/pdf", sha256: "7hbuSxEYr2o5fGq7SyEFzVsoHjvGAX4VbtrL1OXUhCI=", id: "2318914385163316" } },
    ];
    for (const message of media) {
      const before = kerry.texts().length;
      await kerry.deliver(message);
      expect(kerry.texts().slice(before), message.type).toEqual(["Sorry, I can only read text and buttons here. Please type your answer or tap a button.", "How many Croissant? (1–10)"]);
    }
  });

  it("ignores messages for another phone number ID than the bot's", async () => {
    const s = await setup(harness);
    const other = messages("16505550000", { type: "text", text: { body: "hi" } });
    const change = other.entry[0]?.changes[0];
    if (!change) throw new Error("no change");
    change.value.metadata.phone_number_id = "999999999999999";
    expect((await post(s.server, other)).status).toBe(200);
    await settle(s.server);
    expect(s.graph.calls).toHaveLength(0);
    expect(await s.server.store.lastInbound({ botId: "cafe", channel: "whatsapp", userId: "16505550000" })).toBeUndefined();
  });

  it("converts decimal prices to minor units without floats", () => {
    expect([toMinorUnits(0.1, "EUR"), toMinorUnits("12.99", "USD"), toMinorUnits(12.5, "EUR"), toMinorUnits(150, "JPY"), toMinorUnits("1.005", "EUR"), toMinorUnits(-1, "EUR")]).toEqual([
      10,
      1299,
      1250,
      150,
      undefined,
      undefined,
    ]);
  });
});
