/**
 * The emulator beside a real channel: a real `kiosk serve` server with
 * Telegram configured against the fake Bot API. The emulator is off unless
 * enabled; when on it answers only with its token and only for its Host
 * names, and lives in its own sandbox (own SQLite file, clock, stock,
 * calendar, timers and outbox): nothing done in it changes a Telegram
 * customer's order, stock, slot or timers.
 */
import { existsSync } from "node:fs";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import salon from "../bots/salon/index.ts";
import { startBanner } from "../cli/serve.ts";
import { OffsetClock } from "../jobs/index.ts";
import { resolveConfig, type ServerConfig } from "../server/config.ts";
import { sandboxDbPath } from "../adapters/emulator/sandbox.ts";
import { startServer, type RunningServer } from "../server/serve.ts";
import { TEST_CLOCK_START } from "./test-server.ts";
import type { ConversationAddress } from "../store/index.ts";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness, type Harness } from "./helpers.ts";
import { SECRET, Telegram, TOKENS } from "./telegram-harness.ts";

const TOKEN = "emulator-sandbox-test-token-0123456789abcdef";
const WRONG = "emulator-sandbox-test-token-0123456789abcdeX";

type Msg = { text?: string; buttons?: Array<{ label: string; payload: string }>; invoice?: { order: string; amount: number } };

/** A server with the cafe and the salon on Telegram (webhook, against the fake); its real time starts on a Monday at 06:00 in Paris. */
async function startWithTelegram(harness: Harness, fake: FakeBotApi, overrides: Partial<ServerConfig> = {}, db = harness.db): Promise<Telegram> {
  const env = {
    KIOSK_TELEGRAM_SECRET: SECRET,
    KIOSK_TELEGRAM_API_ROOT: fake.url,
    KIOSK_TELEGRAM_PROVIDER_TOKEN: "284685063:TEST:NjQ2ZjYxNjQ2ZjY0NjE2ZA",
    KIOSK_TELEGRAM_RATE_PER_CHAT: "0",
    KIOSK_TELEGRAM_CAFE_TOKEN: TOKENS.cafe ?? "",
    KIOSK_TELEGRAM_SALON_TOKEN: TOKENS.salon ?? "",
  };
  const config = { ...resolveConfig({ env }), port: 0, host: "127.0.0.1", db, slowPaymentMs: 100, ...overrides };
  const realTime = new OffsetClock(undefined, { startAt: TEST_CLOCK_START });
  const server = await startServer({ config, bots: [cafe, salon], logger: false, realTime });
  harness.defer(() => server.close());
  return new Telegram({ ...server, clock: realTime }, fake);
}

const ON = { emulator: true, emulatorToken: TOKEN, emulatorClock: TEST_CLOCK_START } as const;

/** Calls the emulator API over HTTP with the token (or the headers given), with any Host header. */
async function call(
  server: RunningServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
): Promise<{ status: number; json: unknown; text: string }> {
  const url = new URL(path, server.url);
  const raw = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...(raw === undefined ? {} : { "content-type": "application/json" }), ...headers } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => {
        let json: unknown;
        try {
          json = text === "" ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json, text });
      });
    });
    req.on("error", reject);
    req.end(raw);
  });
}

/** One emulator customer's action; resolves to the messages it sent them. */
async function act(server: RunningServer, bot: string, customer: string, body: unknown): Promise<Msg[]> {
  const res = await call(server, "POST", `/api/emulator/bots/${bot}/customers/${customer}/events`, body);
  expect(res.status, res.text).toBe(200);
  return (res.json as { messages: Msg[] }).messages;
}

/** An emulator customer orders `quantity` croissants and pays with the test provider. */
async function emulatorBuysCroissants(server: RunningServer, customer: string, quantity: number): Promise<void> {
  await act(server, "cafe", customer, { text: "/start" });
  await act(server, "cafe", customer, { press: "Pastries" });
  await act(server, "cafe", customer, { text: "croissant" });
  await act(server, "cafe", customer, { text: String(quantity) });
  await act(server, "cafe", customer, { press: "No" });
  const placed = await act(server, "cafe", customer, { press: "Place order" });
  expect(placed.at(-1)?.invoice?.amount).toBe(180 * quantity);
  const paid = await act(server, "cafe", customer, { pay: "succeed" });
  expect(paid[0]?.text).toMatch(/^Paid, thank you!/);
}

const address = (botId: string, channel: string, userId: string): ConversationAddress => ({ botId, channel, userId });

describe("the emulator beside Telegram", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  it("is off by default: no emulator route, no sandbox file, and the banner says how to turn it on", async () => {
    const telegram = await startWithTelegram(harness, fake);
    const { server } = telegram;
    expect(server.mode).toEqual({ kind: "production", channels: ["telegram"], emulator: false, tokenRequired: false });
    for (const [method, path] of [
      ["GET", "/emulator"],
      ["GET", "/emulator/app.js"],
      ["GET", "/api/emulator/bots"],
      ["POST", "/api/emulator/clock"],
      ["POST", "/api/emulator/bots/cafe/customers/eve/events"],
    ] as const) {
      expect((await call(server, method, path, method === "POST" ? { text: "hi" } : undefined)).status, `${method} ${path}`).toBe(404);
    }
    expect(server.emulator).toBeUndefined();
    expect(existsSync(sandboxDbPath(harness.db))).toBe(false);
    // The real runtime reads real time, with no offset.
    expect(server.clock).toBe(telegram.server.clock);
    const banner = startBanner(server, { ...resolveConfig({ env: {} }), db: harness.db });
    expect(banner).toMatch(/^Kiosk is running at http:\/\/127\.0\.0\.1:\d+ \(emulator off\)\n/);
    expect(banner).toContain("mode: production: real channels telegram on real time");
    expect(banner).toContain("emulator: off (KIOSK_EMULATOR=true or --emulator turns it on, in its own sandbox, with KIOSK_EMULATOR_TOKEN)");
  });

  it("refuses to start with the emulator on and no token, naming the variable, on loopback and on 0.0.0.0; a short token is refused without being shown", async () => {
    await expect(startWithTelegram(harness, fake, { emulator: true })).rejects.toThrow(/KIOSK_EMULATOR_TOKEN is not set/);
    await expect(startWithTelegram(harness, fake, { emulator: true, host: "0.0.0.0" })).rejects.toThrow(/KIOSK_EMULATOR_TOKEN is not set/);
    expect(existsSync(harness.db)).toBe(false);
    expect(() => resolveConfig({ env: { KIOSK_EMULATOR_TOKEN: "short-secret" } })).toThrow("KIOSK_EMULATOR_TOKEN must be at least 32 characters with no spaces (e.g. the output of openssl rand -hex 32), got 12 characters");
    try {
      resolveConfig({ env: { KIOSK_EMULATOR_TOKEN: "short-secret" } });
    } catch (error) {
      expect(String(error)).not.toContain("short-secret");
    }
  });

  it("with it on: 401 without the token or with a wrong one, 421 for a foreign Host, and neither changes anything", async () => {
    const { server } = await startWithTelegram(harness, fake, { ...ON, emulatorHosts: ["kiosk.internal"] });
    const port = new URL(server.url).port;
    const emulator = server.emulator;
    if (!emulator) throw new Error("the emulator is on");
    const before = await call(server, "GET", "/api/emulator/clock");
    expect(before.status).toBe(200);
    const offset = (before.json as { offsetMs: number }).offsetMs;

    const events = "/api/emulator/bots/cafe/customers/eve/events";
    const attempts: Array<Record<string, string>> = [{}, { authorization: `Bearer ${WRONG}` }, { authorization: "Bearer short" }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }];
    for (const headers of attempts) {
      const refused = await call(server, "POST", events, { text: "/start" }, headers);
      expect(refused.status, JSON.stringify(headers)).toBe(401);
      expect(refused.json).toMatchObject({ error: { code: "unauthorized" } });
      expect((await call(server, "POST", "/api/emulator/clock", { advance: "P2D" }, headers)).status).toBe(401);
      expect((await call(server, "GET", "/api/emulator/bots", undefined, headers)).status).toBe(401);
    }
    expect(await emulator.store.transaction((tx) => tx.loadConversation(address("cafe", "emulator", "eve")))).toBeUndefined();
    expect(emulator.clock.offsetMs).toBe(offset);

    // DNS rebinding: a page on another name that resolves to this machine gets nothing, token or not.
    for (const host of ["evil.example", `evil.example:${port}`, "127.0.0.1:1", `kiosk.internal.evil.example:${port}`]) {
      const foreign = { host, authorization: `Bearer ${TOKEN}` };
      const misdirected = await call(server, "POST", events, { text: "/start" }, foreign);
      expect(misdirected.status, host).toBe(421);
      expect(misdirected.json).toMatchObject({ error: { code: "misdirected_request", message: expect.stringContaining("KIOSK_EMULATOR_HOSTS") } });
      expect((await call(server, "GET", "/emulator", undefined, foreign)).status, host).toBe(421);
    }
    expect(await emulator.store.transaction((tx) => tx.loadConversation(address("cafe", "emulator", "eve")))).toBeUndefined();

    // The loopback names with the server's port and the configured names answer; the page's files load without the token.
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "kiosk.internal", "kiosk.internal:8443"]) {
      expect((await call(server, "GET", "/api/emulator/bots", undefined, { host, authorization: `Bearer ${TOKEN}` })).status, host).toBe(200);
      expect((await call(server, "GET", "/emulator", undefined, { host })).status, host).toBe(200);
    }
    expect((await call(server, "POST", events, { text: "/start" })).status).toBe(200);
    // The rest of the server is not behind the emulator's guard.
    expect((await call(server, "GET", "/healthz", undefined, { host: "evil.example" })).status).toBe(200);
  });

  it("runs in a sandbox: its fast-forward, payments, stock and bookings leave the Telegram customers' orders, stock, slots and timers untouched", async () => {
    const telegram = await startWithTelegram(harness, fake, ON);
    const { server } = telegram;
    const emulator = server.emulator;
    if (!emulator) throw new Error("the emulator is on");
    expect(server.mode).toEqual({ kind: "production", channels: ["telegram"], emulator: true, tokenRequired: true });
    expect(server.emulatorDb).toBe(sandboxDbPath(harness.db));
    expect(emulator.store).not.toBe(server.store);
    expect(emulator.runtime).not.toBe(server.runtime);

    // A Telegram customer's order awaits payment: its stock is reserved and its 15-minute expiry timer is set, on real time.
    const alice = telegram.chat("cafe", 4100001);
    await alice.send("/start");
    await alice.send("croissant");
    await alice.send("2");
    await alice.press("No");
    await alice.press("Place order");
    const aliceAddress = address("cafe", "telegram", "4100001");
    const [order] = await server.store.listOrders(aliceAddress);
    expect(order).toMatchObject({ status: "awaiting_payment", total: 360 });
    const realStock = () => server.store.transaction((tx) => tx.stockLeft("cafe", "croissant"));
    expect(await realStock()).toBe(10);
    const aliceTimers = await server.store.conversationTimers(aliceAddress);
    expect(aliceTimers.length).toBeGreaterThanOrEqual(1);
    const aliceTexts = alice.texts().length;

    // Emulator customers buy every croissant of the sandbox: the real stock is not touched.
    await emulatorBuysCroissants(server, "eve", 10);
    await emulatorBuysCroissants(server, "fay", 2);
    expect(await emulator.store.transaction((tx) => tx.stockLeft("cafe", "croissant"))).toBe(0);
    expect(await realStock()).toBe(10);

    // An emulator customer books Ana's first slot and pays the deposit.
    await act(server, "salon", "ema", { text: "hi" });
    await act(server, "salon", "ema", { press: "Book an appointment" });
    await act(server, "salon", "ema", { press: "service:haircut" });
    const days = await act(server, "salon", "ema", { press: "resource:ana" });
    const day = days.at(-1)?.buttons?.[0]?.payload ?? "";
    expect(day).toMatch(/^day:/);
    const times = await act(server, "salon", "ema", { press: day });
    const slot = times.at(-1)?.buttons?.[0]?.payload ?? "";
    expect(slot).toMatch(/^slot:/);
    await act(server, "salon", "ema", { press: slot });
    await act(server, "salon", "ema", { press: "Yes" });
    expect((await act(server, "salon", "ema", { pay: "succeed" }))[0]?.text).toMatch(/^Booked! #1: Haircut with Ana/);
    const [emaBooking] = await emulator.store.listBookings({ botId: "salon" });
    expect(emaBooking).toMatchObject({ status: "confirmed", resourceId: "ana" });

    // The Telegram customer books the very same slot: the sandbox's booking does not block it.
    const bea = telegram.chat("salon", 4100002);
    await bea.send("/start");
    await bea.press("book");
    await bea.press("service:haircut");
    await bea.press("resource:ana");
    await bea.press(day);
    await bea.press(slot);
    await bea.send("yes");
    const [held] = await server.store.listBookings({ botId: "salon" });
    expect(held).toMatchObject({ status: "held", channel: "telegram", userId: "4100002", resourceId: "ana", start: emaBooking?.start });
    const invoice = bea.lastInvoice();
    expect((await bea.preCheckout(String(invoice.payload), held?.deposit ?? 0)).ok).toBe(true);
    await bea.expectOk(bea.successfulPayment(String(invoice.payload), held?.deposit ?? 0, "tg_sandbox_1"));
    const beaAddress = address("salon", "telegram", "4100002");
    expect((await server.store.listBookings(beaAddress))[0]).toMatchObject({ status: "confirmed" });
    const beaTimers = await server.store.conversationTimers(beaAddress);
    expect(beaTimers.map((t) => t.name).sort()).toEqual(["booking.complete", "booking.remind"]);
    expect(bea.texts().filter((t) => t.startsWith("Reminder:"))).toEqual([]);

    // The sandbox moves two days ahead: its own reminders fire and its booking is done.
    const realBefore = server.clock.now().getTime();
    const moved = await call(server, "POST", "/api/emulator/clock", { advance: "P2D" });
    expect(moved.status, moved.text).toBe(200);
    expect((moved.json as { fired: number }).fired).toBeGreaterThanOrEqual(1);
    expect((moved.json as { messages: Msg[] }).messages.some((m) => m.text?.startsWith("Reminder: Haircut with Ana"))).toBe(true);
    expect((await emulator.store.listBookings({ botId: "salon" }))[0]?.status).toBe("completed");

    // Real time did not move, and the real runtime's ticks fire nothing of the Telegram customers.
    expect(server.clock.now().getTime() - realBefore).toBeLessThan(60_000);
    await server.runtime.tick();
    await telegram.settle();
    expect((await server.store.listOrders(aliceAddress)).map((o) => o.status)).toEqual(["awaiting_payment"]);
    expect(await realStock()).toBe(10);
    expect((await server.store.conversationTimers(aliceAddress)).map((t) => t.key)).toEqual(aliceTimers.map((t) => t.key));
    expect(alice.texts()).toHaveLength(aliceTexts);
    expect((await server.store.listBookings(beaAddress))[0]).toMatchObject({ status: "confirmed" });
    expect((await server.store.conversationTimers(beaAddress)).map((t) => t.key)).toEqual(beaTimers.map((t) => t.key));
    expect(bea.texts().filter((t) => t.startsWith("Reminder:"))).toEqual([]);
    // Alice can still pay her order: the pre-checkout is accepted.
    expect((await alice.preCheckout(`order:${order?.id ?? ""}`, 360)).ok).toBe(true);

    // The inspector reads only the sandbox: the Telegram customers are not there, the sandbox's orders are its own.
    expect((await call(server, "GET", "/api/emulator/bots/cafe/customers/4100001/state")).status).toBe(404);
    const eve = await call(server, "GET", "/api/emulator/bots/cafe/customers/eve/state");
    expect((eve.json as { orders: Array<{ userId: string; channel: string }> }).orders.map((o) => [o.channel, o.userId])).toEqual([["emulator", "eve"]]);
    // Nothing of the emulator's is in the real store.
    expect(await server.store.listOrders({ botId: "cafe", channel: "emulator" })).toEqual([]);
    expect(await server.store.listBookings({ botId: "salon", channel: "emulator" })).toEqual([]);
  });

  it("keeps the sandbox clock's offset across a restart, and the real runtime on real time", async () => {
    const first = await startWithTelegram(harness, fake, ON);
    expect(first.server.emulator?.clock.now().getTime()).toBeGreaterThanOrEqual(TEST_CLOCK_START.getTime());
    expect((await call(first.server, "POST", "/api/emulator/clock", { advance: "P3D" })).status).toBe(200);
    const offset = first.server.emulator?.clock.offsetMs ?? 0;
    await first.server.close();

    // Started again with the same --clock: the saved clock wins, three days ahead.
    const second = await startWithTelegram(harness, fake, ON);
    expect(second.server.emulatorClockResumed).toBe(true);
    expect(second.server.emulator?.clock.offsetMs).toBe(offset);
    const now = await call(second.server, "GET", "/api/emulator/clock");
    // (This test's real time starts again at the same Monday 06:00, so the emulator's is three days and a few ms later.)
    expect(Math.abs(Date.parse((now.json as { now: string }).now) - (TEST_CLOCK_START.getTime() + 3 * 86_400_000))).toBeLessThan(60_000);
    const banner = startBanner(second.server, { ...resolveConfig({ env: {} }), ...ON, db: harness.db });
    expect(banner).toMatch(/^Kiosk is running: emulator at http:\/\/127\.0\.0\.1:\d+\/emulator\n/);
    expect(banner).toContain(`emulator: on, in its sandbox, apart from real customers: store ${sandboxDbPath(harness.db)}, clock`);
    expect(banner).toContain("(resumed); KIOSK_EMULATOR_TOKEN required");
  });
});

describe("the emulator without real channels", () => {
  const harness = useHarness();

  it("keeps its clock's offset across a restart (one store, the emulator clock drives every bot)", async () => {
    const config = { ...resolveConfig({ env: {} }), port: 0, host: "127.0.0.1", db: harness.db, emulatorClock: TEST_CLOCK_START };
    const first = await startServer({ config, bots: [cafe], logger: false });
    expect(first.mode).toEqual({ kind: "emulator", channels: [], emulator: true, tokenRequired: false });
    expect(first.emulatorClockResumed).toBe(false);
    expect(first.clock.now().getTime() - TEST_CLOCK_START.getTime()).toBeLessThan(60_000);
    expect((await call(first, "POST", "/api/emulator/clock", { advance: "PT16M" }, {})).status).toBe(200);
    const offset = first.emulator?.clock.offsetMs;
    await first.close();
    expect(existsSync(sandboxDbPath(harness.db))).toBe(false);

    const second = await startServer({ config, bots: [cafe], logger: false });
    harness.defer(() => second.close());
    expect(second.emulatorClockResumed).toBe(true);
    expect(second.emulator?.clock.offsetMs).toBe(offset);
    expect(second.clock).toBe(second.emulator?.clock);
  });
});
