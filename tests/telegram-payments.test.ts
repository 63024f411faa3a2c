/**
 * Telegram Payments beyond a plain card invoice: Telegram Stars (XTR) for
 * the cafe's gift card and their refunds (refundStarPayment), goods that
 * ship (shipping_query, the chosen option priced on top), refunds recorded
 * for card payments from the salon's cancel policy, the webhook registered
 * at start, and an old my_chat_member arriving late. Real update shapes
 * posted to a real server; the Bot API is a local fake.
 */
import { describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import salon from "../bots/salon/index.ts";
import { TelegramSender } from "../adapters/telegram/index.ts";
import { telegramRefunder } from "../adapters/telegram/refunds.ts";
import { ERASED_REASON } from "../store/index.ts";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness } from "./helpers.ts";
import { captureLog } from "./log-capture.ts";
import { SECRET, startTelegram, TOKENS, type Chat, type ShippingAddress, type Telegram } from "./telegram-harness.ts";

const PARIS: ShippingAddress = { country_code: "FR", state: "", city: "Paris", street_line1: "12 rue des Martyrs", street_line2: "", post_code: "75009" };
const BRUSSELS: ShippingAddress = { country_code: "BE", state: "", city: "Bruxelles", street_line1: "3 rue Haute", street_line2: "", post_code: "1000" };
const BOSTON: ShippingAddress = { country_code: "US", state: "MA", city: "Boston", street_line1: "1 Main St", street_line2: "", post_code: "02108" };

/** Types a product's name at the menu and orders one of it on its own. */
async function orderOne(chat: Chat, product: string): Promise<void> {
  await chat.send("/start");
  await chat.send(product);
  await chat.send("1");
  await chat.press("No");
  await chat.press("Place order");
}

/** Runs the refund runner once, as its poller would. */
async function runRefunds(telegram: Telegram): Promise<void> {
  await telegram.server.runtime.refunds.runDue();
}

describe("Telegram Stars, shipping and refunds", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  it("sells the cafe's gift card in Telegram Stars: one price line in XTR, no provider token, paid once", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 3100001);
    await orderOne(alice, "Gift card €10");

    const invoice = alice.lastInvoice();
    expect(invoice).toMatchObject({ currency: "XTR", payload: "order:1", prices: [{ label: expect.any(String), amount: 750 }] });
    expect(invoice).not.toHaveProperty("provider_token");
    expect(invoice).not.toHaveProperty("need_shipping_address");
    expect(alice.texts().some((t) => t.includes("⭐750"))).toBe(true);

    expect((await alice.preCheckout("order:1", 750, "XTR")).ok).toBe(true);
    // Stars counted as euro cents would be a different price: declined.
    expect((await alice.preCheckout("order:1", 750, "EUR")).ok).toBe(false);
    await alice.expectOk(alice.successfulPayment("order:1", 750, "stxStarsCharge1", undefined, "XTR"));
    await alice.expectOk(alice.successfulPayment("order:1", 750, "stxStarsCharge1", undefined, "XTR"));

    const [order] = await telegram.server.store.listOrders({ botId: "cafe" });
    expect(order).toMatchObject({ status: "paid", total: 750, currency: "XTR" });
    expect(alice.texts().filter((t) => t.startsWith("Paid, thank you!"))).toEqual([expect.stringContaining("⭐750")]);
    expect(await telegram.server.store.listRefunds({ botId: "cafe" })).toEqual([]);
  });

  it("refuses negative, zero, fractional and absurd amounts in pre-checkout queries and successful payments: declined or 400, logged, nothing recorded", async () => {
    const log = captureLog();
    const telegram = await startTelegram(harness, fake, [cafe], "webhook", {}, { logger: log.logger });
    const dan = telegram.chat("cafe", 3100009);
    await orderOne(dan, "croissant");
    expect(dan.lastInvoice()).toMatchObject({ currency: "EUR", payload: "order:1", prices: [{ label: expect.any(String), amount: 180 }] });
    const textsBefore = dan.texts();

    for (const amount of [-180, 0, 100_000_000]) expect((await dan.preCheckout("order:1", amount)).ok, String(amount)).toBe(false);
    for (const amount of [-180, 0, 1.8, 100_000_000, 1e21]) {
      const res = await telegram.post("cafe", dan.successfulPayment("order:1", amount, "tgOdd"));
      expect(res.status, `${amount}: ${res.text}`).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: "invalid_request", message: expect.stringMatching(/total_amount/) } });
    }
    await telegram.settle();
    expect(dan.texts()).toEqual(textsBefore);
    expect((await telegram.server.store.listOrders({ botId: "cafe" })).map((o) => o.status)).toEqual(["awaiting_payment"]);
    // No refund of −180 EUR (or of anything) is owed for money never taken.
    expect(await telegram.server.store.listRefunds({ botId: "cafe" })).toEqual([]);
    const warnings = log.warnings();
    expect(warnings.filter((w) => /pre_checkout_query of update \d+ with total_amount .*: declined/.test(w))).toHaveLength(3);
    expect(warnings.filter((w) => /refused successful_payment of update \d+: total_amount .*; nothing recorded/.test(w))).toHaveLength(3);

    // Nothing was recorded under the charge id: the real payment with it pays the order.
    expect((await dan.preCheckout("order:1", 180)).ok).toBe(true);
    await dan.expectOk(dan.successfulPayment("order:1", 180, "tgOdd"));
    expect((await telegram.server.store.listOrders({ botId: "cafe" })).map((o) => o.status)).toEqual(["paid"]);
  });

  it("counts a payment that arrives after its customer was erased, under the order's pseudonym, and sends the erased chat nothing", async () => {
    const telegram = await startTelegram(harness, fake);
    const gus = telegram.chat("cafe", 3100042);
    await orderOne(gus, "Croissant");
    expect((await gus.preCheckout("order:1", 180)).ok).toBe(true);
    const chat = { botId: "cafe", channel: "telegram", userId: String(gus.id) };
    expect(await telegram.server.store.eraseCustomer(chat, new Date())).toMatchObject({ orders: 1 });
    const textsBefore = gus.texts();

    await gus.expectOk(gus.successfulPayment("order:1", 180, "tgAfterErase"));
    const [order] = await telegram.server.store.listOrders({ botId: "cafe" });
    expect(order).toMatchObject({ id: "1", status: "paid", userId: expect.stringMatching(/^erased:/) });
    // The receipt is written for the pseudonym and recorded as not delivered; the chat gets nothing, and no conversation is made for it again.
    const receipts = await telegram.server.store.conversationOutbox({ ...chat, userId: order?.userId ?? "" });
    expect(receipts.length).toBeGreaterThan(0);
    expect(receipts.every((m) => m.sentAt === null && m.lastError?.includes(ERASED_REASON))).toBe(true);
    expect(gus.texts()).toEqual(textsBefore);
    expect(await telegram.server.store.transaction((tx) => tx.loadConversation(chat))).toBeUndefined();
    expect(await telegram.server.store.listRefunds({ botId: "cafe" })).toEqual([]);
  });

  it("cancels a paid gift card from my orders within 14 days and gives the Stars back with refundStarPayment", async () => {
    const telegram = await startTelegram(harness, fake);
    const hana = telegram.chat("cafe", 3100009);
    await orderOne(hana, "Gift card €10");
    await hana.expectOk(hana.successfulPayment("order:1", 750, "stxGift9", undefined, "XTR"));
    await hana.send("my orders");
    expect(hana.texts().at(-1)).toBe("Your orders:\n#1 — paid — ⭐750");
    await hana.press("Cancel #1 for a refund");
    expect(hana.texts().at(-1)).toBe("Cancel order #1? ⭐750 will be refunded.");
    await hana.press("Yes, cancel");
    expect(hana.texts()).toContain("Order #1 is cancelled. ⭐750 is on its way back to you.");
    expect((await telegram.server.store.listOrders({ botId: "cafe" }))[0]?.status).toBe("refunded");
    await runRefunds(telegram);
    expect(fake.accepted("refundStarPayment").map((c) => c.params)).toEqual([{ user_id: 3100009, telegram_payment_charge_id: "stxGift9" }]);
    // The confirmation pressed again (a double tap delivered twice) refunds nothing more.
    const updateId = telegram.nextUpdateId();
    await hana.expectOk({ update_id: updateId, callback_query: { id: `cq${updateId}`, from: hana.from, chat_instance: "-546885326738974", data: "order:cancel-yes:1" } });
    expect(hana.texts()).toContain("Order #1 can no longer be cancelled.");
    await runRefunds(telegram);
    expect(fake.accepted("refundStarPayment")).toHaveLength(1);
  });

  it("offers no refund for a gift card paid more than 14 days ago", async () => {
    const telegram = await startTelegram(harness, fake);
    const ivo = telegram.chat("cafe", 3100010);
    await orderOne(ivo, "Gift card €10");
    await ivo.expectOk(ivo.successfulPayment("order:1", 750, "stxGift10", undefined, "XTR"));
    telegram.server.clock.advance(15 * 86_400_000);
    await ivo.send("my orders");
    expect(ivo.calls("sendMessage").at(-1)?.params).not.toHaveProperty("reply_markup");
    expect(await telegram.server.store.listRefunds({ botId: "cafe" })).toEqual([]);
  });

  it("keeps Stars and euros in separate orders: a gift card does not join a cart of croissants", async () => {
    const telegram = await startTelegram(harness, fake);
    const bob = telegram.chat("cafe", 3100002);
    await bob.send("/start");
    await bob.send("croissant");
    await bob.send("2");
    await bob.press("Yes");
    await bob.send("Gift card €10");
    expect(bob.texts().at(-1)).toBe("Gift card €10 is paid in Telegram Stars, so it goes in an order of its own. Place or empty your cart first, then pick it again.");
    await bob.send("espresso");
    await bob.send("1");
    await bob.press("No");
    await bob.press("Place order");
    expect(bob.lastInvoice()).toMatchObject({ currency: "EUR", prices: [{ label: "2 × Croissant", amount: 360 }, { label: "1 × Espresso", amount: 250 }] });
  });

  it("refunds Stars that arrive after the order expired with refundStarPayment, once", async () => {
    const telegram = await startTelegram(harness, fake);
    const cleo = telegram.chat("cafe", 3100003);
    await orderOne(cleo, "Gift card €10");
    expect((await cleo.preCheckout("order:1", 750, "XTR")).ok).toBe(true);
    // Telegram took the Stars, but the update arrives after the 15-minute window closed the order.
    telegram.server.clock.advance(16 * 60_000);
    await telegram.server.runtime.tick();
    expect((await telegram.server.store.listOrders({ botId: "cafe" }))[0]?.status).toBe("expired");
    await cleo.expectOk(cleo.successfulPayment("order:1", 750, "stxLateCharge", undefined, "XTR"));
    expect(cleo.texts().at(-1)).toBe("Order #1 was no longer open when your payment arrived; it will be refunded.");

    const [owed] = await telegram.server.store.listRefunds({ botId: "cafe" });
    expect(owed).toMatchObject({ orderId: "1", provider: "telegram", paymentReference: "stxLateCharge", amount: 750, currency: "XTR", userId: "3100003" });
    await runRefunds(telegram);
    expect(fake.accepted("refundStarPayment").map((c) => c.params)).toEqual([{ user_id: 3100003, telegram_payment_charge_id: "stxLateCharge" }]);
    expect((await telegram.server.store.listRefunds({ botId: "cafe" }))[0]).toMatchObject({ status: "refunded" });
    // The same update delivered again changes nothing and asks for no second refund.
    await runRefunds(telegram);
    expect(fake.accepted("refundStarPayment")).toHaveLength(1);
  });

  it("counts a Stars refund Telegram already made as done, and retries one Telegram could not make", async () => {
    const refunder = telegramRefunder(new TelegramSender({ tokens: new Map([["cafe", TOKENS.cafe ?? ""]]), apiRoot: fake.url }));
    const refund = {
      id: 1,
      botId: "cafe",
      channel: "telegram",
      userId: "3100004",
      orderId: "9",
      provider: "telegram",
      paymentReference: "stxTwice",
      providerReference: null,
      amount: 750,
      currency: "XTR",
      reason: "test",
      status: "pending" as const,
      attempts: 0,
      lastError: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    expect(await refunder.refund(refund)).toMatchObject({ status: "refunded" });
    // A crash after Telegram refunded but before the store recorded it: asking again is answered CHARGE_ALREADY_REFUNDED.
    expect(await refunder.refund(refund)).toMatchObject({ status: "refunded", note: expect.stringContaining("CHARGE_ALREADY_REFUNDED") });
    fake.fail({ status: 500, times: 1, methods: ["refundStarPayment"] });
    await expect(refunder.refund({ ...refund, paymentReference: "stxOutage" })).rejects.toMatchObject({ code: "unavailable" });
  });

  it("sends coffee beans: shipping options by country, the chosen one priced on top, the address kept with the order", async () => {
    const telegram = await startTelegram(harness, fake);
    const dora = telegram.chat("cafe", 3100005);
    await orderOne(dora, "Coffee beans 250 g");
    const invoice = dora.lastInvoice();
    expect(invoice).toMatchObject({ currency: "EUR", prices: [{ label: "1 × Coffee beans 250 g", amount: 950 }], need_shipping_address: true, is_flexible: true, need_name: true });

    const toParis = await dora.shippingQuery("order:1", PARIS);
    expect(toParis).toMatchObject({
      ok: true,
      shipping_options: [
        { id: "post", title: "Post, 2–4 days", prices: [{ label: "Post, 2–4 days", amount: 490 }] },
        { id: "express", title: "Express, next day", prices: [{ label: "Express, next day", amount: 990 }] },
      ],
    });
    expect((await dora.shippingQuery("order:1", BRUSSELS)).shipping_options?.map((o) => o.id)).toEqual(["post"]);
    expect(await dora.shippingQuery("order:1", BOSTON)).toMatchObject({ ok: false, error_message: "Sorry, we do not ship there. Please choose another address." });

    const express = { shipping_option_id: "express", order_info: { name: "Dora Maar", shipping_address: PARIS } };
    expect((await dora.preCheckout("order:1", 950, "EUR", express)).ok).toBe(false);
    expect((await dora.preCheckout("order:1", 950 + 990, "EUR", { ...express, order_info: { shipping_address: BRUSSELS } })).ok).toBe(false);
    expect((await dora.preCheckout("order:1", 950 + 990, "EUR", express)).ok).toBe(true);
    await dora.expectOk(dora.successfulPayment("order:1", 950 + 990, "tgShip1", undefined, "EUR", express));

    const [order] = await telegram.server.store.listOrders({ botId: "cafe" });
    expect(order).toMatchObject({
      status: "paid",
      total: 1940,
      shipping: { optionId: "express", label: "Express, next day", amount: 990, name: "Dora Maar", address: { countryCode: "FR", city: "Paris", streetLine1: "12 rue des Martyrs", postCode: "75009" } },
    });
    expect(dora.texts().filter((t) => t.startsWith("Paid, thank you!"))).toEqual([expect.stringMatching(/1 × Coffee beans 250 g — €9\.50\nShipping, Express, next day — €9\.90\n.*€19\.40/)]);
  });

  it("refunds a payment whose shipping does not go to its address, and leaves the order awaiting payment", async () => {
    const telegram = await startTelegram(harness, fake);
    const eli = telegram.chat("cafe", 3100006);
    await orderOne(eli, "Coffee beans 250 g");
    const wrong = { shipping_option_id: "express", order_info: { shipping_address: BRUSSELS } };
    await eli.expectOk(eli.successfulPayment("order:1", 950 + 990, "tgShipWrong", undefined, "EUR", wrong));
    expect((await telegram.server.store.listOrders({ botId: "cafe" }))[0]).toMatchObject({ status: "awaiting_payment", total: 950 });
    const [owed] = await telegram.server.store.listRefunds({ botId: "cafe" });
    expect(owed).toMatchObject({ amount: 1940, providerReference: "ch_tgShipWrong" });
    await runRefunds(telegram);
    // No Bot API call refunds a card payment: it is left for the business, with the provider's charge id.
    expect(fake.accepted("refundStarPayment")).toEqual([]);
    expect((await telegram.server.store.listRefunds({ botId: "cafe" }))[0]).toMatchObject({ status: "manual", lastError: expect.stringContaining("ch_tgShipWrong") });
  });

  it("records the refund of a salon deposit paid by card when the booking is cancelled in time", async () => {
    const telegram = await startTelegram(harness, fake, [cafe, salon]);
    const fay = telegram.chat("salon", 3100007);
    await fay.send("/start");
    await fay.press("book");
    await fay.press("service:haircut");
    await fay.press("resource:any");
    // The last day offered: more than 24 hours away, inside free cancellation.
    const days = fake.messagesIn(fay.id).flatMap((m) => ((m.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined)?.inline_keyboard ?? []).flat());
    const lastDay = days.map((b) => b.callback_data ?? "").filter((d) => d.startsWith("day:")).at(-1);
    if (lastDay === undefined) throw new Error("no day buttons");
    await fay.press(lastDay);
    await fay.press(/^slot:/);
    await fay.send("yes");
    const [held] = await telegram.server.store.listBookings({ botId: "salon" });
    const payload = `order:${held?.orderId}`;
    const deposit = held?.deposit ?? 0;
    expect(deposit).toBeGreaterThan(0);
    await fay.expectOk(fay.successfulPayment(payload, deposit, "tgDeposit7"));
    await fay.send("my bookings");
    await fay.press(`booking:cancel:${held?.id}`);
    await fay.press(`booking:cancel-yes:${held?.id}`);

    const [order] = await telegram.server.store.listOrders({ botId: "salon" });
    expect(order?.status).toBe("refunded");
    await runRefunds(telegram);
    const [refund] = await telegram.server.store.listRefunds({ botId: "salon" });
    expect(refund).toMatchObject({ orderId: order?.id, amount: deposit, currency: "EUR", status: "manual", reason: `booking #${held?.id} cancelled in time` });
    expect(refund?.lastError).toContain("ch_tgDeposit7");
  });

  it("tells Telegram where to post updates at start (setWebhook with the secret and the update types it reads)", async () => {
    await startTelegram(harness, fake, [cafe], "webhook", { KIOSK_PUBLIC_URL: "https://shop.example/kiosk" });
    expect(fake.accepted("setWebhook").map((c) => c.params)).toEqual([
      {
        url: "https://shop.example/kiosk/telegram/cafe/webhook",
        secret_token: SECRET,
        allowed_updates: ["message", "edited_message", "callback_query", "pre_checkout_query", "shipping_query", "my_chat_member"],
      },
    ]);
  });

  it("lets an older my_chat_member that arrives late change nothing", async () => {
    const telegram = await startTelegram(harness, fake);
    const gus = telegram.chat("cafe", 3100008);
    const bot = { id: 1, is_bot: true, first_name: "Kiosk", username: "kiosk_bot" };
    const change = (status: "kicked" | "member", date: number) => ({
      update_id: telegram.nextUpdateId(),
      my_chat_member: { chat: gus.privateChat, from: gus.from, date, old_chat_member: { status: "member", user: bot }, new_chat_member: { status, user: bot } },
    });
    const now = Math.floor(Date.now() / 1000);
    await gus.expectOk(change("kicked", now - 60));
    await gus.expectOk(change("member", now - 10));
    // The block from a minute ago, delivered again after the newer start.
    await gus.expectOk(change("kicked", now - 60));
    expect(await telegram.server.store.unreachable({ botId: "cafe", channel: "telegram", userId: "3100008" })).toBeUndefined();
    await gus.send("/start");
    expect(gus.texts()).toContain("Welcome to Café Lumière! ☕");
  });
});
