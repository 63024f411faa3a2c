/**
 * The merchant chat on Telegram (KIOSK_MERCHANT_<BOT>=telegram:<chat id>):
 * a real server with the fake Bot API; a Telegram customer pays, the
 * merchant chat gets the order's card with its buttons, and presses from
 * that chat (only) run the shop's actions, once, and are answered.
 */
import { describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import salon from "../bots/salon/index.ts";
import { useFakeBotApi, type FakeBotApi, type FakeMessage } from "./fakes/telegram-bot-api.ts";
import { useHarness, waitFor } from "./helpers.ts";
import { Chat, startTelegram, type Telegram } from "./telegram-harness.ts";

const MERCHANT_CHAT = -1001500;
const STAFF = { id: 4200, is_bot: false, first_name: "Sam", username: "sam_staff", language_code: "en" };

/** Orders one croissant and pays for it with a card, as Telegram reports it. */
async function payCroissant(customer: Chat): Promise<void> {
  await customer.send("/start");
  await customer.send("croissant");
  await customer.send("1");
  await customer.press("No");
  await customer.press("Place order");
  expect((await customer.preCheckout("order:1", 180)).ok).toBe(true);
  await customer.expectOk(customer.successfulPayment("order:1", 180, "tgMerchant1"));
}

/** Waits (bounded) until the merchant chat holds `count` messages from the bot. */
async function merchantMessages(fake: FakeBotApi, count: number): Promise<FakeMessage[]> {
  await waitFor(`${count} messages in the merchant chat`, () => fake.messagesIn(MERCHANT_CHAT).length >= count);
  return fake.messagesIn(MERCHANT_CHAT);
}

let queryId = 0;

/**
 * Presses a button of `message` as Telegram reports it: from `from`, on the
 * message as seen in `chat`. Returns the answerCallbackQuery sent back.
 */
async function press(telegram: Telegram, fake: FakeBotApi, message: FakeMessage, data: string, options: { chat?: Record<string, unknown>; id?: string; bot?: string } = {}): Promise<Record<string, unknown>> {
  const id = options.id ?? `mq${++queryId}`;
  const chat = options.chat ?? { id: MERCHANT_CHAT, title: "Café staff", type: "supergroup" };
  const res = await telegram.post(options.bot ?? "cafe", { update_id: telegram.nextUpdateId(), callback_query: { id, from: STAFF, message: { ...message, chat }, chat_instance: "-77", data } });
  expect(res.status, res.text).toBe(200);
  await telegram.settle();
  const answers = fake.accepted("answerCallbackQuery").filter((c) => c.params.callback_query_id === id);
  const answer = answers.at(-1);
  if (!answer) throw new Error(`callback query ${id} was not answered`);
  return answer.params;
}

/** Waits (bounded) until the merchant chat's first poll kept its place; returns it. */
async function placeKept(telegram: Telegram): Promise<string> {
  const cursor = `telegram_merchant_cursor:cafe:${MERCHANT_CHAT}`;
  const deadline = Date.now() + 5000;
  for (;;) {
    const kept = await telegram.server.store.setting(cursor);
    if (kept !== undefined) return kept;
    if (Date.now() > deadline) throw new Error("the merchant chat never kept its place");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function orderStatus(telegram: Telegram): Promise<string | undefined> {
  return (await telegram.server.store.listOrders({ botId: "cafe" }))[0]?.status;
}

describe("the merchant chat on Telegram", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  const start = () => startTelegram(harness, fake, [cafe], "webhook", { KIOSK_MERCHANT_CAFE: `telegram:${MERCHANT_CHAT}` });

  it("gets a card for the paid order; Ready from the merchant chat tells the customer, once", async () => {
    const telegram = await start();
    const alice = telegram.chat("cafe", 3200001);
    await payCroissant(alice);

    const [card] = await merchantMessages(fake, 1);
    expect(card?.text).toBe("New order #1 — 1 × Croissant — €1.80 (telegram)");
    expect(Chat.keys(card)).toEqual([
      { text: "Preparing", callback_data: "shop:order:1:preparing" },
      { text: "Ready", callback_data: "shop:order:1:ready" },
      { text: "Cancel and refund", callback_data: "shop:order:1:cancel" },
    ]);
    // Nothing about the shop went to the customer's chat.
    expect(alice.texts().some((t) => t.startsWith("New order"))).toBe(false);
    if (!card) throw new Error("no card");

    expect(await press(telegram, fake, card, "shop:order:1:ready", { id: "ready-1" })).toMatchObject({ text: "Done" });
    expect(await orderStatus(telegram)).toBe("ready");
    expect(alice.texts().at(-1)).toBe("Your order #1 is ready at the counter.");
    const told = alice.texts().length;

    // The same callback delivered twice, and a second member's tap: answered, applied once.
    expect(await press(telegram, fake, card, "shop:order:1:ready", { id: "ready-1" })).toMatchObject({ text: "Already done" });
    expect(await press(telegram, fake, card, "shop:order:1:ready")).toMatchObject({ text: "Already done" });
    expect(alice.texts()).toHaveLength(told);
    const events = await telegram.server.store.listEvents({ botId: "cafe" });
    expect(events.filter((e) => e.type === "order.status")).toEqual([expect.objectContaining({ data: expect.objectContaining({ by: `telegram:${STAFF.id}` }) })]);

    // The change is told in the merchant chat too.
    const after = await merchantMessages(fake, 2);
    expect(after[1]?.text).toBe(`Order #1 is ready (telegram:${STAFF.id}).`);
  });

  it("does nothing for a shop button pressed outside the merchant chat", async () => {
    const telegram = await start();
    const bob = telegram.chat("cafe", 3200002);
    await payCroissant(bob);
    const [card] = await merchantMessages(fake, 1);
    if (!card) throw new Error("no card");
    const before = bob.texts();

    // The customer's own private chat, and another group.
    expect(await press(telegram, fake, card, "shop:order:1:ready", { chat: { ...bob.privateChat } })).toMatchObject({ text: "Not allowed here" });
    expect(await press(telegram, fake, card, "shop:order:1:cancel", { chat: { id: -1009999, title: "Elsewhere", type: "group" } })).toMatchObject({ text: "Not allowed here" });
    expect(await orderStatus(telegram)).toBe("paid");
    expect(bob.texts()).toEqual(before);
    expect((await telegram.server.store.listEvents({ botId: "cafe" })).map((e) => e.type)).toEqual(["order.paid"]);
    expect(await telegram.server.store.listRefunds({ botId: "cafe" })).toEqual([]);
  });

  it("answers a stale press with why, and applies nothing", async () => {
    const telegram = await start();
    const cleo = telegram.chat("cafe", 3200003);
    await payCroissant(cleo);
    const [card] = await merchantMessages(fake, 1);
    if (!card) throw new Error("no card");

    expect(await press(telegram, fake, card, "shop:order:1:cancel")).toMatchObject({ text: "Done" });
    expect(await orderStatus(telegram)).toBe("refunded");
    expect(cleo.texts().at(-1)).toBe("Sorry, we had to cancel your order #1. €1.80 is on its way back to you.");
    const told = cleo.texts().length;

    expect(await press(telegram, fake, card, "shop:order:1:ready")).toMatchObject({ text: "Can't: order #1 is refunded" });
    expect(await orderStatus(telegram)).toBe("refunded");
    expect(cleo.texts()).toHaveLength(told);
    expect((await telegram.server.store.listEvents({ botId: "cafe" })).map((e) => e.type)).toEqual(["order.paid", "order.cancelled", "order.refunded"]);
    const texts = (await merchantMessages(fake, 3)).map((m) => m.text);
    expect(texts).toContain(`Order #1 was cancelled (telegram:${STAFF.id}).`);
    expect(texts).toContain("Refund owed for order #1: €1.80.");
  });

  it("tries a message again after a 5xx, skips one Telegram refuses for good, and sends nothing twice after a restart", async () => {
    const telegram = await start();
    await placeKept(telegram);
    const record = (server: Telegram, by: string) =>
      server.server.store.transaction((tx) => tx.recordEvent({ botId: "cafe", type: "order.status", data: { order: { id: "1", status: "preparing" }, by }, at: new Date() }));
    fake.fail({ times: 1, status: 500, methods: ["sendMessage"] });
    await record(telegram, "retried");
    await merchantMessages(fake, 1);
    // Refused for good (400: the bot was removed from the group, say): logged, skipped; the next event goes.
    fake.fail({ times: 1, status: 400, methods: ["sendMessage"] });
    await record(telegram, "lost");
    await record(telegram, "kept");
    await merchantMessages(fake, 2);
    expect(fake.calls.filter((c) => c.method === "sendMessage").map((c) => [c.status, c.params.text])).toEqual([
      [500, "Order #1 is preparing (retried)."],
      [200, "Order #1 is preparing (retried)."],
      [400, "Order #1 is preparing (lost)."],
      [200, "Order #1 is preparing (kept)."],
    ]);

    await telegram.server.close();
    const again = await start();
    await record(again, "later");
    await merchantMessages(fake, 3);
    expect(fake.messagesIn(MERCHANT_CHAT).map((m) => m.text)).toEqual(["Order #1 is preparing (retried).", "Order #1 is preparing (kept).", "Order #1 is preparing (later)."]);
  });

  it("starts a newly configured merchant chat at the newest event, not with history", async () => {
    const first = await startTelegram(harness, fake, [cafe]);
    await payCroissant(first.chat("cafe", 3200004));
    await first.server.close();
    const telegram = await start();
    // Once the new chat's place is kept (its first poll), nothing arrives for the order paid before it was set up; a later event does.
    expect(await placeKept(telegram)).toBe("evt_1");
    await telegram.server.store.transaction((tx) => tx.recordEvent({ botId: "cafe", type: "order.status", data: { order: { id: "1", status: "preparing" }, by: "test" }, at: new Date() }));
    const [only] = await merchantMessages(fake, 1);
    expect(only?.text).toBe("Order #1 is preparing (test).");
    expect(fake.messagesIn(MERCHANT_CHAT)).toHaveLength(1);
  });
});

describe("the merchant chat on Telegram: bookings", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  it("gets a card for a confirmed booking; No-show before its time is refused with why, Cancel refunds the deposit and tells the customer", async () => {
    const telegram = await startTelegram(harness, fake, [salon], "webhook", { KIOSK_MERCHANT_SALON: `telegram:${MERCHANT_CHAT}` });
    const fay = telegram.chat("salon", 3200010);
    await fay.send("/start");
    await fay.press("book");
    await fay.press("service:haircut");
    await fay.press("resource:any");
    const days = fake.messagesIn(fay.id).flatMap((m) => Chat.keys(m));
    const lastDay = days.map((b) => b.callback_data).filter((d) => d.startsWith("day:")).at(-1);
    if (lastDay === undefined) throw new Error("no day buttons");
    await fay.press(lastDay);
    await fay.press(/^slot:/);
    await fay.send("yes");
    const [held] = await telegram.server.store.listBookings({ botId: "salon" });
    if (!held) throw new Error("no booking held");
    await fay.expectOk(fay.successfulPayment(`order:${held.orderId}`, held.deposit, "tgDeposit10"));

    await waitFor("the booking's card", () => fake.messagesIn(MERCHANT_CHAT).some((m) => String(m.text).startsWith("New booking")));
    const [card, ...rest] = fake.messagesIn(MERCHANT_CHAT);
    // A deposit's order is not a card of its own: the booking is.
    expect(rest).toEqual([]);
    expect(card?.text).toMatch(/^New booking #1 — Haircut — .+ \(telegram\)$/);
    expect(Chat.keys(card)).toEqual([
      { text: "Cancel", callback_data: "shop:booking:1:cancel" },
      { text: "No-show", callback_data: "shop:booking:1:no_show" },
    ]);
    if (!card) throw new Error("no card");
    const salonPress = (data: string) => press(telegram, fake, card, data, { bot: "salon" });

    // Its time has not begun: not a no-show yet.
    expect(await salonPress("shop:booking:1:no_show")).toMatchObject({ text: "Can't: booking #1 is confirmed" });
    expect((await telegram.server.store.listBookings({ botId: "salon" }))[0]?.status).toBe("confirmed");

    expect(await salonPress("shop:booking:1:cancel")).toMatchObject({ text: "Done" });
    const [booking] = await telegram.server.store.listBookings({ botId: "salon" });
    expect(booking).toMatchObject({ status: "cancelled", depositRefunded: held.deposit });
    expect(fay.texts().at(-1)).toMatch(/^Sorry, we had to cancel booking #1 \(Haircut.+\)\. Your deposit of €[\d.]+ is refunded\./);
    expect(await salonPress("shop:booking:1:cancel")).toMatchObject({ text: "Already done" });
    const lines = (await merchantMessages(fake, 2)).map((m) => m.text);
    expect(lines[1]).toMatch(new RegExp(`^Booking #1 was cancelled \\(telegram:${STAFF.id}\\); €[\\d.]+ refund owed\\.$`));
  });
});

describe("the merchant chat on Telegram, polling getUpdates", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  it("answers shop presses that come by getUpdates as the webhook does, never as a customer's turn", async () => {
    const telegram = await startTelegram(harness, fake, [cafe], "polling", { KIOSK_MERCHANT_CAFE: `telegram:${MERCHANT_CHAT}` });
    const message = { message_id: 77, date: Math.floor(Date.now() / 1000), text: "New order #9" };
    const update = (id: string, chat: Record<string, unknown>) => ({ update_id: telegram.nextUpdateId(), callback_query: { id, from: STAFF, message: { ...message, chat }, chat_instance: "-77", data: "shop:order:9:ready" } });
    fake.queueUpdates(update("poll-1", { id: MERCHANT_CHAT, title: "Café staff", type: "supergroup" }), update("poll-2", { id: STAFF.id, type: "private" }));
    const answer = (id: string) => fake.accepted("answerCallbackQuery").find((c) => c.params.callback_query_id === id)?.params;
    await waitFor("both presses answered", () => answer("poll-1") !== undefined && answer("poll-2") !== undefined);
    expect(answer("poll-1")).toMatchObject({ text: "Can't: no order #9" });
    expect(answer("poll-2")).toMatchObject({ text: "Not allowed here" });
    // No conversation was started for whoever pressed.
    expect(await telegram.server.store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: "telegram", userId: String(STAFF.id) }))).toBeUndefined();
  });
});
