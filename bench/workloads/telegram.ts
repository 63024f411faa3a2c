import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { FakeBotApi } from "../../tests/fakes/telegram-bot-api.ts";
import { eachConversation, EXPECTED_TOTAL_MINOR, InFlight, SCRIPT } from "../drive.ts";
import { percentile, startServeProcess, type ServeProcess } from "../serve-process.ts";

const CHATS = 500;
const CONVERSATIONS = 1_500;
const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SECRET = "kiosk-bench-secret";
/**
 * Pacing off, per bot and per chat: the fake Bot API has no limits, and the
 * benchmark measures the engine, not Telegram's 30/s per bot and 1/s per chat
 * (at those, 500 chats would take minutes whatever the engine does).
 */
const PACING = { KIOSK_TELEGRAM_RATE_PER_BOT: "0", KIOSK_TELEGRAM_RATE_PER_CHAT: "0" };

/** `kiosk serve` in its own process with the cafe on Telegram, its Bot API pointed at the fake. */
function serve(dbFile: string, apiRoot: string): Promise<ServeProcess> {
  return startServeProcess(dbFile, {
    KIOSK_TELEGRAM_CAFE_TOKEN: TOKEN,
    KIOSK_TELEGRAM_SECRET: SECRET,
    KIOSK_TELEGRAM_API_ROOT: apiRoot,
    KIOSK_TELEGRAM_PROVIDER_TOKEN: "284685063:TEST:bench",
    ...PACING,
  });
}

/**
 * Telegram webhook updates end to end: `kiosk serve` in its own process, the
 * fake Bot API and 500 chats in this one. Each chat posts the cafe order
 * script as real text updates to /telegram/cafe/webhook, one at a time; an
 * update's latency runs from its POST to the first Bot API call its turn
 * makes (HTTP in, state committed, outbound call at the fake). 1,500
 * conversations, 9,000 updates. Sends are not paced (`PACING`).
 */
export async function runTelegramBench(dbFile: string): Promise<{
  updates: number;
  updatesPerSecond: number;
  /** The server process's CPU time over the measured window, per update. */
  serverCpuMsPerUpdate: number;
  serverPeakRssMb: number;
  p50Ms: number;
  p99Ms: number;
  concurrency: number;
  maxInFlight: number;
  ordersCorrect: number;
  conversations: number;
  pacing: string;
}> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const fake = await FakeBotApi.start();
  const server = await serve(dbFile, fake.url);
  // Calls seen per chat, and who waits for the next one.
  const seen = new Map<string, number>();
  const waiters = new Map<string, { count: number; resolve: () => void }>();
  fake.onCall((call) => {
    const chat = String(call.params.chat_id ?? "");
    const count = (seen.get(chat) ?? 0) + 1;
    seen.set(chat, count);
    const waiter = waiters.get(chat);
    if (waiter && count >= waiter.count) {
      waiters.delete(chat);
      waiter.resolve();
    }
  });
  const callsFor = (chat: string, count: number) =>
    (seen.get(chat) ?? 0) >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(chat, { count, resolve }));

  let updateId = 0;
  const post = async (chatId: number, text: string) => {
    const response = await fetch(`${server.url}/telegram/cafe/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify({
        update_id: ++updateId,
        message: {
          message_id: updateId,
          from: { id: chatId, is_bot: false, first_name: "Bench", language_code: "en" },
          chat: { id: chatId, first_name: "Bench", type: "private" },
          date: Math.floor(Date.now() / 1000),
          text,
        },
      }),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`webhook for chat ${chatId}: HTTP ${response.status}`);
  };

  try {
    // How many Bot API calls each turn of the script makes: one chat, alone, slowly.
    const perTurn: number[] = [];
    for (const text of SCRIPT) {
      const before = seen.get("1") ?? 0;
      await post(1, text);
      await callsFor("1", before + 1);
      await new Promise((resolve) => setTimeout(resolve, 150));
      perTurn.push((seen.get("1") ?? 0) - before);
    }

    const latencies: number[] = [];
    const inFlight = new InFlight();
    const cpu0 = server.cpuMs();
    const started = performance.now();
    await eachConversation(CONVERSATIONS, CHATS, async (c) => {
      const chatId = 10_000 + c;
      const chat = String(chatId);
      let expected = 0;
      for (const [turn, text] of SCRIPT.entries()) {
        inFlight.enter();
        const t0 = performance.now();
        const first = callsFor(chat, expected + 1).then(() => performance.now() - t0);
        await post(chatId, text);
        latencies.push(await first);
        inFlight.leave();
        expected += perTurn[turn] ?? 1;
        await callsFor(chat, expected);
      }
    });
    const elapsedMs = performance.now() - started;
    const cpuMs = server.cpuMs() - cpu0;
    const serverPeakRssMb = server.peakRssMb();
    await server.stop();
    const { openSqliteStore } = await import("../../store/index.ts");
    const store = openSqliteStore({ file: dbFile });
    const orders = await store.listOrders({ botId: "cafe" });
    await store.close();
    const sorted = latencies.sort((a, b) => a - b);
    return {
      updates: latencies.length,
      updatesPerSecond: latencies.length / (elapsedMs / 1000),
      serverCpuMsPerUpdate: cpuMs / latencies.length,
      serverPeakRssMb,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      // The warm-up chat's order is not counted.
      ordersCorrect: orders.filter((o) => o.userId !== "1" && o.status === "awaiting_payment" && o.total === EXPECTED_TOTAL_MINOR).length,
      concurrency: CHATS,
      maxInFlight: inFlight.max,
      conversations: CONVERSATIONS,
      pacing: Object.entries(PACING)
        .map(([name, value]) => `${name}=${value}`)
        .join(" "),
    };
  } finally {
    await server.stop();
    await fake.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  }
}
