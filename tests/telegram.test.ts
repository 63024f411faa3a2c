/**
 * Telegram end to end: real update shapes (from the Bot API docs) posted to
 * the webhook of a real server over HTTP, a fake Bot API server recording
 * what Kiosk calls, and the SQLite store checked after. Delivery (retries,
 * rate limits, blocked customers) is in telegram-delivery.test.ts, long
 * polling in telegram-polling.test.ts, photos and pages in
 * telegram-rendering.test.ts.
 */
import { describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import salon from "../bots/salon/index.ts";
import { defineBot, flow } from "../flows/index.ts";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { orderCroissants, useHarness } from "./helpers.ts";
import { startTelegram, type Keyboard } from "./telegram-harness.ts";

describe("Telegram webhook", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  it("takes a cafe order and its payment: buttons, invoice with a line per order line, pre-checkout, receipt", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    await orderCroissants(alice);

    const invoice = alice.lastInvoice();
    expect(invoice).toMatchObject({ currency: "EUR", provider_token: "284685063:TEST:NjQ2ZjYxNjQ2ZjY0NjE2ZA", payload: "order:1" });
    const prices = invoice.prices as Array<{ label: string; amount: number }>;
    expect(prices).toEqual([{ label: "2 × Croissant", amount: expect.any(Number) }]);
    const total = prices.reduce((sum, p) => sum + p.amount, 0);
    const [order] = await telegram.server.store.listOrders({ botId: "cafe" });
    expect(order).toMatchObject({ id: "1", channel: "telegram", userId: "1111111", status: "awaiting_payment", total });
    // Every button press was answered.
    expect(fake.accepted("answerCallbackQuery")).toHaveLength(3);

    expect(await alice.preCheckout("order:1", total)).toEqual({ pre_checkout_query_id: expect.any(String), ok: true });
    await alice.expectOk(alice.successfulPayment("order:1", total, "tg_charge_1"));

    const receipts = alice.texts().filter((t) => t.startsWith("Paid, thank you!"));
    expect(receipts).toEqual([expect.stringMatching(/^Paid, thank you! Receipt for order #1:\n2 × Croissant/)]);
    expect((await telegram.server.store.listOrders({ botId: "cafe" }))[0]?.status).toBe("paid");
    expect(await telegram.server.store.orderHistory("1")).toContainEqual(expect.objectContaining({ to: "paid", cause: "payment telegram/tg_charge_1" }));
  });

  it("books at the salon and takes the deposit through Telegram Payments", async () => {
    const telegram = await startTelegram(harness, fake, [cafe, salon]);
    const bea = telegram.chat("salon", 2222222, "fr");
    await bea.send("/start");
    await bea.press("book");
    await bea.press("service:haircut");
    await bea.press("resource:any");
    await bea.press(/^day:/);
    await bea.press(/^slot:/);
    await bea.send("oui");
    const invoice = bea.lastInvoice();
    const [booking] = await telegram.server.store.listBookings({ botId: "salon" });
    expect(booking).toMatchObject({ status: "held", channel: "telegram", userId: "2222222" });
    const prices = invoice.prices as Array<{ label: string; amount: number }>;
    expect(prices).toHaveLength(1);
    expect(prices[0]?.amount).toBe(booking?.deposit);
    expect(invoice.payload).toBe(`order:${booking?.orderId}`);

    expect((await bea.preCheckout(String(invoice.payload), booking?.deposit ?? 0)).ok).toBe(true);
    await bea.expectOk(bea.successfulPayment(String(invoice.payload), booking?.deposit ?? 0, "tg_deposit_1"));
    const [after] = await telegram.server.store.listBookings({ botId: "salon" });
    expect(after).toMatchObject({ status: "confirmed", depositPaid: booking?.deposit });
    // The French customer is answered in French.
    expect(bea.texts().filter((t) => t.startsWith(`C'est réservé ! N°${booking?.id} :`))).toHaveLength(1);
  });

  it("refuses a wrong or missing secret token with 401 and stores nothing", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    const update = alice.messageUpdate({ text: "/start" });
    const attempts: Array<Record<string, string>> = [{ "x-telegram-bot-api-secret-token": "kiosk-webhook-secret_02" }, { "x-telegram-bot-api-secret-token": "" }, {}];
    for (const headers of attempts) {
      const res = await telegram.post("cafe", update, headers);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toEqual({ error: { code: "unauthorized", message: expect.stringContaining("X-Telegram-Bot-Api-Secret-Token") } });
    }
    expect(await telegram.server.store.conversationOutbox({ botId: "cafe", channel: "telegram", userId: "1111111" })).toEqual([]);
    expect(fake.calls).toEqual([]);
    // The same update with the right secret is still new: nothing was recorded as seen.
    await alice.expectOk(update);
    expect(alice.texts().length).toBeGreaterThan(0);
  });

  it("answers 404 for a bot not on Telegram and 400 for a body that is not an update", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    expect((await telegram.post("salon", alice.messageUpdate({ text: "hi" }))).status).toBe(404);
    expect((await telegram.post("cafe", { message: { text: "no update id" } })).status).toBe(400);
    expect((await telegram.post("cafe", { update_id: 5, message: { text: "no chat" } })).status).toBe(400);
    expect((await telegram.post("cafe", "{not json")).status).toBe(400);
    expect(fake.calls).toEqual([]);
  });

  it("handles a replayed update once", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    await alice.send("/start", 42);
    const first = alice.texts();
    const address = { botId: "cafe", channel: "telegram", userId: "1111111" };
    const firstRows = await telegram.server.store.conversationOutbox(address);
    expect(firstRows.length).toBeGreaterThan(0);
    await alice.send("/start", 42);
    await alice.send("/start", 42);
    expect(alice.texts()).toEqual(first);
    expect(await telegram.server.store.conversationOutbox(address)).toEqual(firstRows);
  });

  it("declines the pre-checkout of an expired order with a reason, and of a wrong amount", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    await orderCroissants(alice);
    const total = ((alice.lastInvoice().prices as Array<{ amount: number }>)[0]?.amount ?? 0);

    expect(await alice.preCheckout("order:1", total + 1)).toMatchObject({ ok: false, error_message: expect.stringContaining("does not match order #1") });
    expect(await alice.preCheckout("order:999", total)).toMatchObject({ ok: false, error_message: expect.stringContaining("can no longer be paid") });
    // Another customer's order is not theirs to pay.
    expect(await telegram.chat("cafe", 3333333).preCheckout("order:1", total)).toMatchObject({ ok: false });

    telegram.server.clock.advance(16 * 60_000);
    await telegram.server.runtime.tick();
    await telegram.settle();
    expect((await telegram.server.store.listOrders({ botId: "cafe" }))[0]?.status).toBe("expired");
    expect(await alice.preCheckout("order:1", total)).toEqual({
      pre_checkout_query_id: expect.any(String),
      ok: false,
      error_message: "Order #1 can no longer be paid: it has expired or was closed. Nothing was charged. Type menu to order again.",
    });
  });

  it("marks an order paid once and sends one receipt when successful_payment arrives twice", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    await orderCroissants(alice);
    const total = ((alice.lastInvoice().prices as Array<{ amount: number }>)[0]?.amount ?? 0);
    const before = alice.texts().length;
    // Redelivered (same update_id) and re-sent as a new update with the same charge.
    const payment = alice.successfulPayment("order:1", total, "tg_charge_twice", 777);
    await alice.expectOk(payment);
    await alice.expectOk(payment);
    await alice.expectOk(alice.successfulPayment("order:1", total, "tg_charge_twice", 778));
    const receipts = alice.texts().slice(before).filter((t) => t.startsWith("Paid, thank you!"));
    expect(receipts).toHaveLength(1);
    expect(await telegram.server.store.orderHistory("1")).toEqual(expect.arrayContaining([expect.objectContaining({ to: "paid" })]));
    expect((await telegram.server.store.orderHistory("1")).filter((t) => t.to === "paid")).toHaveLength(1);
  });

  it("acknowledges update types it does not handle, and edited messages, changing nothing", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    const unknown = [
      { update_id: 9001, message_reaction: { chat: alice.privateChat, message_id: 5, user: alice.from, date: 0, old_reaction: [], new_reaction: [{ type: "emoji", emoji: "👍" }] } },
      { update_id: 9002, edited_message: { message_id: 3, from: alice.from, chat: alice.privateChat, date: 0, edit_date: 1, text: "latte" } },
      { update_id: 9003, my_chat_member: { chat: alice.privateChat, from: alice.from, date: 0, old_chat_member: { status: "member", user: { id: 1, is_bot: true, first_name: "Kiosk" } }, new_chat_member: { status: "kicked", user: { id: 1, is_bot: true, first_name: "Kiosk" }, until_date: 0 } } },
      { update_id: 9004, message: { message_id: 7, from: alice.from, chat: { id: -100123, title: "Group", type: "supergroup" }, date: 0, text: "/start" } },
    ];
    for (const update of unknown) await alice.expectOk(update);
    expect(fake.calls).toEqual([]);
    expect(await telegram.server.store.conversationOutbox({ botId: "cafe", channel: "telegram", userId: "1111111" })).toEqual([]);
    expect(await telegram.server.store.listOrders({})).toEqual([]);
  });

  it("sends a payload longer than 64 bytes as a reference to its button, and reads the press back", async () => {
    const long = `plan:${"x".repeat(70)}`;
    const tricky = "~12:b0";
    const quiz = defineBot({
      id: "quiz",
      name: "Quiz <&> Co",
      flows: [
        flow("pick")
          .choice("plan", { prompt: "Pick a <plan> & go", slot: "plan", choices: [{ label: "Long", value: long }, { label: "Tricky", value: tricky }, "short"], routes: { [long]: "long", [tricky]: "tricky" } })
          .end("short", "Short it is.")
          .end("long", "The long one it is.")
          .end("tricky", "The tricky one it is.")
          .build(),
      ],
    });
    const telegram = await startTelegram(harness, fake, [quiz]);
    const zoe = telegram.chat("quiz", 5555555);
    await zoe.send("/start");
    const prompt = zoe.calls("sendMessage").at(-1)?.params;
    expect(prompt?.text).toBe("Pick a &lt;plan&gt; &amp; go");
    expect(prompt?.parse_mode).toBe("HTML");
    const keys = ((prompt?.reply_markup as { inline_keyboard: Keyboard }).inline_keyboard).flat();
    expect(keys.map((k) => k.callback_data)).toEqual([expect.stringMatching(/^~\d+:b0$/), expect.stringMatching(/^~\d+:b1$/), "short"]);
    expect(keys.every((k) => Buffer.byteLength(k.callback_data) <= 64)).toBe(true);
    await zoe.press("Long");
    expect(zoe.texts().at(-1)).toBe("The long one it is.");
    await zoe.send("/start");
    await zoe.press("Tricky");
    expect(zoe.texts().at(-1)).toBe("The tricky one it is.");
  });

  it("answers a group message addressed to it with one invitation to the private chat, and ignores the rest", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    const group = { id: -1001234567890, title: "Office lunch", type: "supergroup" };
    const inGroup = (text: string, entities: unknown[], updateId = telegram.nextUpdateId()) => ({
      update_id: updateId,
      message: { message_id: updateId, from: alice.from, chat: group, date: Math.floor(Date.now() / 1000), text, entities },
    });
    const command = (text: string) => [{ offset: 0, length: text.split(" ")[0]?.length ?? 0, type: "bot_command" }];
    // Not for this bot: a bare command (any bot's), another bot's command, another bot's mention, plain chatter.
    await alice.expectOk(inGroup("/start", command("/start")));
    await alice.expectOk(inGroup("/start@other_bot", command("/start@other_bot")));
    await alice.expectOk(inGroup("ask @other_bot", [{ offset: 4, length: 10, type: "mention" }]));
    await alice.expectOk(inGroup("lunch at 12?", []));
    expect(fake.accepted("sendMessage")).toEqual([]);

    await alice.expectOk(inGroup("/start@kiosk_bot", command("/start@kiosk_bot"), 8001));
    await alice.expectOk(inGroup("/start@kiosk_bot", command("/start@kiosk_bot"), 8001));
    await alice.expectOk(inGroup("☕ @Kiosk_bot a latte please", [{ offset: 2, length: 10, type: "mention" }]));
    const invitations = fake.accepted("sendMessage");
    expect(invitations).toHaveLength(2);
    expect(invitations[0]?.params).toMatchObject({
      chat_id: String(group.id),
      reply_parameters: { message_id: 8001 },
      reply_markup: { inline_keyboard: [[{ text: "Open Café Lumière", url: "https://t.me/kiosk_bot?start=group" }]] },
    });
    // getMe was asked once: the username is cached.
    expect(fake.accepted("getMe")).toHaveLength(1);
    // Nothing of the order flow ran, in the group or for the customer.
    expect(await telegram.server.store.conversationOutbox({ botId: "cafe", channel: "telegram", userId: String(group.id) })).toEqual([]);
    expect(await telegram.server.store.conversationOutbox({ botId: "cafe", channel: "telegram", userId: "1111111" })).toEqual([]);

    // Whoever asks in French is invited in French.
    const bruno = telegram.chat("cafe", 1111112, "fr");
    const updateId = telegram.nextUpdateId();
    await bruno.expectOk({ update_id: updateId, message: { message_id: updateId, from: bruno.from, chat: group, date: Math.floor(Date.now() / 1000), text: "/start@kiosk_bot", entities: command("/start@kiosk_bot") } });
    expect(fake.accepted("sendMessage").at(-1)?.params).toMatchObject({
      text: expect.stringMatching(/^Les commandes et réservations avec Café Lumière se font en message privé/),
      reply_markup: { inline_keyboard: [[{ text: "Ouvrir Café Lumière", url: "https://t.me/kiosk_bot?start=group" }]] },
    });

    // The deep link's /start group starts the private chat.
    await alice.send("/start group");
    expect(alice.texts().length).toBeGreaterThan(0);
  });
});
