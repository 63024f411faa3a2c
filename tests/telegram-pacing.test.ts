/**
 * Telegram pacing end to end: a real server with per-chat pacing configured
 * through KIOSK_TELEGRAM_*, updates posted to its webhook, and the fake Bot
 * API's arrival times of the sends checked against the rate.
 */
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { TelegramSender } from "../adapters/telegram/index.ts";
import { defineBot, flow } from "../flows/index.ts";
import { resolveConfig } from "../server/config.ts";
import { startServer, type RunningServer } from "../server/serve.ts";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness } from "./helpers.ts";

const TOKEN = "555555555:AAQuizTestTokenOnlyForKioskTests0123";
const SECRET = "kiosk-webhook-secret_01";
const RATE = 5;
const BURST = 2;
/** Loopback and timer slack, in ms: the fake records a call when it has read it, in the server's process. */
const TOLERANCE_MS = 15;

/** /start answers with six messages in one turn. */
const news = defineBot({
  id: "news",
  name: "News",
  flows: [
    flow("news")
      .say("m1", "Message 1")
      .say("m2", "Message 2")
      .say("m3", "Message 3")
      .say("m4", "Message 4")
      .say("m5", "Message 5")
      .end("m6", "Message 6")
      .build(),
  ],
});

describe("Telegram pacing", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  /**
   * A server for the news bot with these KIOSK_TELEGRAM_* settings, warmed up
   * by one conversation (chat 1): a cold first send (code loading, the first
   * connection) arrives tens of ms late and would squeeze the next ones'
   * spacing at the fake.
   */
  async function start(env: Record<string, string>): Promise<RunningServer> {
    const base = { KIOSK_TELEGRAM_SECRET: SECRET, KIOSK_TELEGRAM_API_ROOT: fake.url, KIOSK_TELEGRAM_NEWS_TOKEN: TOKEN };
    const config = { ...resolveConfig({ env: { ...base, ...env } }), port: 0, host: "127.0.0.1", db: harness.db };
    const server = await startServer({ config, bots: [news], logger: false });
    harness.defer(() => server.close());
    await post(server, 1, 1, "/start");
    await settle(server);
    return server;
  }

  async function post(server: RunningServer, chatId: number, updateId: number, text: string): Promise<void> {
    const from = { id: chatId, is_bot: false, first_name: "Alice", language_code: "en" };
    const entities = text.startsWith("/") ? [{ offset: 0, length: text.length, type: "bot_command" }] : [];
    const response = await fetch(`${server.url}/telegram/news/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify({
        update_id: updateId,
        message: { message_id: updateId, from, chat: { id: chatId, first_name: "Alice", type: "private" }, date: Math.floor(Date.now() / 1000), text, entities },
      }),
    });
    expect(response.status, await response.text()).toBe(200);
  }

  /** Arrival times (ms) and texts of the sendMessage calls the fake accepted, per chat. */
  function record(): Map<string, Array<{ at: number; text: string }>> {
    const byChat = new Map<string, Array<{ at: number; text: string }>>();
    fake.onCall((call) => {
      if (call.method !== "sendMessage" || call.status !== 200) return;
      const chat = String(call.params.chat_id);
      const list = byChat.get(chat) ?? [];
      list.push({ at: performance.now(), text: String(call.params.text) });
      byChat.set(chat, list);
    });
    return byChat;
  }

  async function settle(server: RunningServer, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await server.store.pendingOutbox(new Date(Date.now() + 3_600_000), 1)).length > 0) {
      if (Date.now() > deadline) throw new Error(`the outbox still holds messages after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Every window [t_i, t_j] holds at most the burst plus the rate times its length (with a little slack). */
  function expectWithinRate(times: readonly number[]): void {
    for (let i = 0; i < times.length; i++) {
      for (let j = i + 1; j < times.length; j++) {
        const span = (times[j] ?? 0) - (times[i] ?? 0);
        const allowed = BURST + (RATE * (span + TOLERANCE_MS)) / 1000;
        expect(j - i + 1, `sends ${i + 1}..${j + 1} came within ${span.toFixed(1)} ms`).toBeLessThanOrEqual(allowed);
      }
    }
  }

  const expected = [1, 2, 3, 4, 5, 6].map((n) => `Message ${n}`);

  it("sends a chat's messages no faster than its rate after a burst, each once and in order", async () => {
    const server = await start({ KIOSK_TELEGRAM_RATE_PER_CHAT: String(RATE), KIOSK_TELEGRAM_BURST_PER_CHAT: String(BURST) });
    const byChat = record();
    await post(server, 7000001, 11, "/start");
    await settle(server);

    const sends = byChat.get("7000001") ?? [];
    expect(sends.map((s) => s.text)).toEqual(expected);
    const times = sends.map((s) => s.at);
    expectWithinRate(times);
    // Paced for real: after the burst of 2, four more at 5/s take 800 ms.
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(((sends.length - BURST) * 1000) / RATE - TOLERANCE_MS);
  });

  it("paces each chat on its own: two chats' messages go side by side", async () => {
    const server = await start({ KIOSK_TELEGRAM_RATE_PER_CHAT: String(RATE), KIOSK_TELEGRAM_BURST_PER_CHAT: String(BURST) });
    const byChat = record();
    const started = performance.now();
    await Promise.all([post(server, 7000002, 12, "/start"), post(server, 7000003, 13, "/start")]);
    await settle(server);

    for (const chat of ["7000002", "7000003"]) {
      const sends = byChat.get(chat) ?? [];
      expect(sends.map((s) => s.text)).toEqual(expected);
      expectWithinRate(sends.map((s) => s.at));
    }
    // One chat's wait does not hold the other: both finish in about one chat's 800 ms, not 1600.
    const last = Math.max(...[...byChat.values()].flat().map((s) => s.at));
    expect(last - started).toBeLessThan(1500);
  });

  it("does not pace with the rates off", async () => {
    const server = await start({ KIOSK_TELEGRAM_RATE_PER_CHAT: "0", KIOSK_TELEGRAM_RATE_PER_BOT: "0" });
    const byChat = record();
    await post(server, 7000004, 14, "/start");
    await settle(server);
    const sends = byChat.get("7000004") ?? [];
    expect(sends.map((s) => s.text)).toEqual(expected);
    expect((sends.at(-1)?.at ?? 0) - (sends[0]?.at ?? 0)).toBeLessThan(((sends.length - BURST) * 1000) / RATE - 200);
  });
});

describe("TelegramSender pacing", () => {
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  it("stops a send waiting for its chat's turn when its signal aborts, without calling Telegram", async () => {
    const sender = new TelegramSender({ tokens: new Map([["news", TOKEN]]), apiRoot: fake.url, pacing: { perChat: { perSecond: 0.01, burst: 1 } } });
    const envelope = (id: number) => ({ id, botId: "news", channel: "telegram", userId: "7000009", message: { text: `Message ${id}` } });
    await sender.send(envelope(1));
    const controller = new AbortController();
    const started = performance.now();
    const waiting = sender.send(envelope(2), controller.signal);
    setTimeout(() => controller.abort(new Error("shutting down")), 50);
    await expect(waiting).rejects.toThrow();
    // Rejected when aborted, not after the 100 s the chat's rate asks.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(fake.accepted("sendMessage").map((c) => c.params.text)).toEqual(["Message 1"]);
  });
});
