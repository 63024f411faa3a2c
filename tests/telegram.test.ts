/**
 * Telegram end to end: real update shapes (from the Bot API docs) posted to
 * the webhook of a real server over HTTP, a fake Bot API server recording
 * what Kiosk calls, and the SQLite store checked after.
 */
import { describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import salon from "../bots/salon/index.ts";
import { defineBot, flow } from "../flows/index.ts";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness } from "./helpers.ts";
import { Chat, startTelegram, type Keyboard } from "./telegram-harness.ts";

/** /start → two croissants → the invoice, as a customer taps and types in Telegram. */
async function orderCroissants(alice: Chat): Promise<void> {
  await alice.send("/start");
  await alice.press("Pastries");
  await alice.send("croissant");
  await alice.send("2");
  await alice.press("No");
  await alice.press("Place order");
}

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

  it("delivers every message once and in order per chat through a 429 storm", async () => {
    const telegram = await startTelegram(harness, fake);
    const chats = [telegram.chat("cafe", 4000001), telegram.chat("cafe", 4000002), telegram.chat("cafe", 4000003)];
    fake.rateLimit({ forMs: 1200, retryAfter: 1, methods: ["sendMessage"] });
    // Each chat: three turns posted back to back while Telegram rate-limits.
    for (const chat of chats) {
      for (const text of ["/start", "help", "menu"]) {
        const res = await telegram.post("cafe", chat.messageUpdate({ text }));
        expect(res.status).toBe(200);
      }
    }
    await telegram.settle();
    expect(fake.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    for (const chat of chats) {
      const rows = await telegram.server.store.conversationOutbox({ botId: "cafe", channel: "telegram", userId: String(chat.id) });
      expect(rows.every((r) => r.sentAt !== null)).toBe(true);
      // What the chat shows is what the outbox holds, in the same order, each once.
      const expected = rows.flatMap((r) => [r.message.text ?? "", ...(r.message.cards ?? []).map((c) => c.title)]);
      const shown = chat.texts().map((t) => t.replace(/<\/?b>/g, "").split("\n")[0] ?? "");
      expect(shown.map((t) => t.slice(0, 20))).toEqual(expected.map((t) => t.split("\n")[0]?.slice(0, 20) ?? ""));
    }
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

  it("retries a send Telegram failed with 500, and records one it refused with 403 without retrying", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    fake.fail({ times: 1, methods: ["sendMessage"] });
    await alice.send("/start");
    expect(fake.calls.filter((c) => c.status === 500)).toHaveLength(1);
    const rows = await telegram.server.store.conversationOutbox({ botId: "cafe", channel: "telegram", userId: "1111111" });
    expect(rows.every((r) => r.sentAt !== null)).toBe(true);
    expect(alice.texts().length).toBeGreaterThanOrEqual(rows.length);

    fake.fail({ times: 1, status: 403, methods: ["sendMessage"] });
    await alice.send("help");
    const after = await telegram.server.store.conversationOutbox({ botId: "cafe", channel: "telegram", userId: "1111111" });
    const refused = after.filter((r) => r.sentAt === null);
    // The first is refused; the customer is then unreachable, so the rest are not tried (see the tests below).
    expect(refused[0]).toEqual(expect.objectContaining({ nextAttemptAt: null, lastError: expect.stringContaining("403 Forbidden: bot was blocked by the user") }));
    expect(refused.every((r) => r.nextAttemptAt === null)).toBe(true);
    const attempts = fake.calls.length;
    telegram.server.clock.advance(60 * 60_000);
    await telegram.server.runtime.tick();
    expect(fake.calls.length).toBe(attempts);
  });

  it("answers the webhook before slow sends finish", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    fake.slow(1000);
    const res = await telegram.post("cafe", alice.messageUpdate({ text: "/start" }));
    expect(res.status).toBe(200);
    // The reply is committed but Telegram has not answered its send yet: the webhook did not wait for it.
    expect(fake.accepted("sendMessage")).toEqual([]);
    expect(await telegram.server.store.conversationOutbox({ botId: "cafe", channel: "telegram", userId: "1111111" })).not.toEqual([]);
    await telegram.settle();
    expect(alice.texts().length).toBeGreaterThan(0);
  });

  it("stops messaging a customer who blocked the bot, timers included, and starts again when they unblock it", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    const address = { botId: "cafe", channel: "telegram", userId: "1111111" };
    await orderCroissants(alice);
    await alice.membership("kicked");
    expect(await telegram.server.store.unreachable(address)).toEqual({ reason: "customer blocked the bot", since: expect.any(Date) });
    const before = (await telegram.server.store.conversationOutbox(address)).length;
    const calls = fake.calls.length;

    // The order's payment window closes while they are away: the order expires, its message is not sent.
    telegram.server.clock.advance(16 * 60_000);
    await telegram.server.runtime.tick();
    await telegram.settle();
    expect((await telegram.server.store.listOrders({ botId: "cafe" }))[0]?.status).toBe("expired");
    const held = (await telegram.server.store.conversationOutbox(address)).slice(before);
    expect(held.length).toBeGreaterThan(0);
    expect(held).toEqual(held.map(() => expect.objectContaining({ sentAt: null, nextAttemptAt: null, lastError: expect.stringContaining("customer blocked the bot") })));
    // Within the hour `settle` looks ahead, so the messages after unblocking are seen to go out.
    telegram.server.clock.advance(30 * 60_000);
    await telegram.server.runtime.tick();
    expect(fake.calls.length).toBe(calls);

    await alice.membership("member");
    expect(await telegram.server.store.unreachable(address)).toBeUndefined();
    const shown = alice.texts().length;
    await alice.send("/start");
    expect(alice.texts().length).toBeGreaterThan(shown);
  });

  it("marks a customer unreachable when Telegram answers 403, and sends them nothing more", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    const address = { botId: "cafe", channel: "telegram", userId: "1111111" };
    fake.fail({ times: 1, status: 403, methods: ["sendMessage"] });
    await alice.send("/start");
    expect(await telegram.server.store.unreachable(address)).toMatchObject({ reason: "Forbidden: bot was blocked by the user" });
    const attempts = fake.calls.length;
    await alice.send("help");
    expect(fake.calls.length).toBe(attempts);
    const rows = await telegram.server.store.conversationOutbox(address);
    expect(rows.at(-1)).toMatchObject({ sentAt: null, nextAttemptAt: null, lastError: expect.stringContaining("Forbidden: bot was blocked by the user") });
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

/** Waits until `check` holds, polling every 10 ms. */
async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("Telegram long polling (no webhook configured)", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  it("feeds getUpdates to the same handler as the webhook, moving the offset past what it handled, and stops on close", async () => {
    const telegram = await startTelegram(harness, fake, [cafe], "polling");
    const alice = telegram.chat("cafe", 1111111);
    // No webhook route without a webhook.
    expect((await telegram.post("cafe", alice.messageUpdate({ text: "/start" }))).status).toBe(404);

    fake.queueUpdates(alice.messageUpdate({ text: "/start" }, 600));
    await waitFor("the reply to /start", () => alice.texts().length > 0);
    await telegram.settle();
    const afterStart = alice.texts();
    expect(afterStart[0]).toContain("Welcome to Café Lumière");
    // Any webhook is removed before polling; then each call asks for the updates after the last one handled.
    expect(fake.calls[0]?.method).toBe("deleteWebhook");
    await waitFor("the update to be confirmed", () => fake.pendingUpdates.length === 0);
    expect(fake.accepted("getUpdates").at(-1)?.params).toMatchObject({ offset: 601, timeout: 30 });

    // Two updates in one answer are handled in order; the offset moves past both.
    fake.queueUpdates(alice.messageUpdate({ text: "help" }, 601), alice.messageUpdate({ text: "menu" }, 602));
    await waitFor("both updates to be confirmed", () => fake.pendingUpdates.length === 0 && fake.accepted("getUpdates").at(-1)?.params.offset === 603);
    await telegram.settle();
    const address = { botId: "cafe", channel: "telegram", userId: "1111111" };
    const rows = await telegram.server.store.conversationOutbox(address);
    expect(rows.every((r) => r.sentAt !== null)).toBe(true);
    expect(alice.texts().length).toBeGreaterThan(afterStart.length + 1);
    expect(alice.texts().slice(afterStart.length).some((t) => t.includes("Welcome to Café Lumière"))).toBe(false);

    // Closing aborts the open getUpdates call (the fake holds it 30 s, like Telegram) and polls no more.
    await waitFor("a getUpdates call to be open", () => fake.accepted("getUpdates").at(-1)?.params.offset === 603);
    const started = Date.now();
    await telegram.server.close();
    expect(Date.now() - started).toBeLessThan(2000);
    const polls = fake.accepted("getUpdates").length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.accepted("getUpdates")).toHaveLength(polls);
  });
});

describe("Telegram rendering: photos, pages edited in place, buttons taken off once pressed", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  type Photo = Array<{ file_id: string }>;
  const keysOf = (params: Record<string, unknown> | undefined) => Chat.keys(params);

  it("shows a category as one photo message with page buttons; › edits it to the next product, whose button adds that product", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    const address = { botId: "cafe", channel: "telegram", userId: "1111111" };
    await alice.send("/start");
    await alice.press("Drinks");
    const [photo, ...more] = alice.calls("sendPhoto");
    expect(more).toEqual([]);
    // Uploaded from the bot's folder, with the card as an HTML caption.
    expect(photo?.files).toEqual(["espresso.jpg"]);
    expect(photo?.params).toMatchObject({ photo: "espresso.jpg", caption: "<b>Espresso</b>\n€2.50", parse_mode: "HTML" });
    expect(keysOf(photo?.params).map((k) => k.text)).toEqual(["Add", "‹", "1/3", "›", "Back"]);
    expect(keysOf(photo?.params).every((k) => Buffer.byteLength(k.callback_data) <= 64)).toBe(true);
    // The other products are not sent as messages of their own.
    expect(alice.texts().some((t) => t.includes("Latte"))).toBe(false);

    const rows = (await telegram.server.store.conversationOutbox(address)).length;
    const paged = await alice.press("›");
    expect(paged).toBe(photo?.messageId);
    const edit = alice.calls("editMessageMedia").at(-1);
    expect(edit?.params).toMatchObject({ message_id: paged, media: { type: "photo", media: "latte.jpg", caption: "<b>Latte</b>\n€3.20", parse_mode: "HTML" } });
    expect(edit?.files).toEqual(["latte.jpg"]);
    expect(keysOf(edit?.params).map((k) => k.text)).toEqual(["Add", "‹", "2/3", "›", "Back"]);
    // No turn ran: nothing new in the outbox; the press was answered.
    expect(await telegram.server.store.conversationOutbox(address)).toHaveLength(rows);
    expect(fake.accepted("answerCallbackQuery")).toHaveLength(2);

    // The Add button on page 2 is the latte's.
    await alice.press("Add");
    expect(alice.texts().at(-1)).toBe("How many Latte? (1–10)");
  });

  it("uploads a product photo once and sends its file_id after", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    await alice.send("/start");
    await alice.press("Drinks");
    await alice.send("menu");
    await alice.press("Drinks");
    const [first, second] = alice.calls("sendPhoto");
    expect(first?.files).toEqual(["espresso.jpg"]);
    const fileId = (fake.message(first?.messageId ?? 0)?.photo as Photo | undefined)?.at(-1)?.file_id;
    expect(fileId).toMatch(/^AgAC/);
    expect(second?.files).toEqual([]);
    expect(second?.params.photo).toBe(fileId);
    // The same for a page shown by an edit: uploaded the first time, its file_id the second.
    await alice.press("›");
    await alice.press("›");
    await alice.press("›");
    await alice.press("›");
    const edits = alice.calls("editMessageMedia").map((c) => ({ media: (c.params.media as { media: string }).media, files: c.files }));
    expect(edits.slice(0, 3)).toEqual([
      { media: "latte.jpg", files: ["latte.jpg"] },
      { media: "cappuccino.jpg", files: ["cappuccino.jpg"] },
      { media: fileId, files: [] },
    ]);
    expect(edits[3]?.files).toEqual([]);
  });

  it("sends the card as text when Telegram refuses its photo, and pages it as text", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    const address = { botId: "cafe", channel: "telegram", userId: "1111111" };
    await alice.send("/start");
    fake.fail({ times: 1, status: 400, methods: ["sendPhoto"] });
    await alice.press("Drinks");
    expect(fake.calls.filter((c) => c.method === "sendPhoto").map((c) => c.status)).toEqual([400]);
    const card = alice.calls("sendMessage").at(-1);
    expect(card?.params.text).toBe("<b>Espresso</b>\n€2.50");
    expect(keysOf(card?.params).map((k) => k.text)).toEqual(["Add", "‹", "1/3", "›", "Back"]);
    expect((await telegram.server.store.conversationOutbox(address)).every((r) => r.sentAt !== null)).toBe(true);

    await alice.press("‹");
    expect(alice.calls("editMessageText").at(-1)?.params).toMatchObject({ message_id: card?.messageId, text: "<b>Cappuccino</b>\n€3.00", parse_mode: "HTML" });
    expect(alice.calls("editMessageMedia")).toEqual([]);
  });

  it("takes the keyboard off a message once one of its buttons was pressed, writing what was chosen", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    await alice.send("/start");
    const pressed = await alice.press("Drinks");
    await waitFor("the edit of the pressed message", () => alice.calls("editMessageText").some((c) => c.params.message_id === pressed));
    const edit = alice.calls("editMessageText").find((c) => c.params.message_id === pressed);
    expect(edit?.params.text).toMatch(/\n\n✓ Drinks$/);
    expect(edit?.params.reply_markup).toBeUndefined();
    expect(Chat.keys(fake.message(pressed))).toEqual([]);
    // Turning a page is not a choice: the carousel keeps its buttons.
    await alice.press("›");
    const carousel = alice.calls("sendPhoto")[0]?.messageId;
    expect(Chat.keys(fake.message(carousel ?? 0)).length).toBeGreaterThan(0);
    expect(alice.calls("editMessageCaption")).toEqual([]);
  });
});
