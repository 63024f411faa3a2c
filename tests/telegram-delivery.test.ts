/**
 * Telegram delivery end to end: the outbox behind the webhook through
 * Telegram's 429s, 500s and 403s, slow sends the webhook does not wait for,
 * and customers who block the bot. Real update shapes posted to a real
 * server; the Bot API is a local fake.
 */
import { describe, expect, it } from "vitest";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { orderCroissants, useHarness } from "./helpers.ts";
import { startTelegram } from "./telegram-harness.ts";

describe("Telegram webhook", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

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
});
