/**
 * Telegram long polling, when no webhook is configured: getUpdates feeds the
 * webhook's handler, the offset moves past what was handled, and closing
 * stops the polling. The Bot API is a local fake.
 */
import { describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness, waitFor } from "./helpers.ts";
import { startTelegram } from "./telegram-harness.ts";

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
