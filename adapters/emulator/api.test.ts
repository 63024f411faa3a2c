import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTranscript, runTranscript, formatTranscriptResult } from "./index.ts";
import cafe from "../../bots/cafe/index.ts";
import { useHarness } from "../../tests/helpers.ts";
import { resolveConfig, type ServerConfig } from "../../server/config.ts";
import { startServer } from "../../server/serve.ts";
import { startTestServer, type TestServer } from "../../tests/test-server.ts";

type Msg = { seq: number; to: string; text?: string; buttons?: Array<{ label: string; payload: string }>; invoice?: { order: string; amount: number; currency: string } };

const ALICE = "/api/emulator/bots/cafe/customers/alice";

async function event(server: TestServer, body: unknown, customer = "alice"): Promise<Msg[]> {
  const res = await server.request("POST", `/api/emulator/bots/cafe/customers/${customer}/events`, body);
  expect(res.status, res.text).toBe(200);
  return (res.body as { messages: Msg[] }).messages;
}

const texts = (messages: readonly Msg[]) => messages.flatMap((m) => (m.text === undefined ? [] : [m.text]));

/** Two croissants up to the invoice, typing and pressing buttons as a person would. */
async function placeOrder(server: TestServer, customer = "alice"): Promise<Msg[]> {
  await event(server, { text: "/start" }, customer);
  await event(server, { press: "Pastries" }, customer);
  await event(server, { text: "croissant" }, customer);
  await event(server, { text: "2" }, customer);
  await event(server, { press: "No" }, customer);
  return event(server, { press: "Place order" }, customer);
}

async function stateOf(server: TestServer, customer = "alice") {
  const res = await server.request("GET", `/api/emulator/bots/cafe/customers/${customer}/state`);
  expect(res.status, res.text).toBe(200);
  return res.body as {
    flow: string | null;
    step: string | null;
    locale: string | null;
    cart: unknown[];
    version: number;
    orders: Array<{
      id: string;
      status: string;
      total: number;
      currency: string;
      history: Array<{ from: string; to: string; cause: string; at: string }>;
      refunds: Array<{ amount: number; currency: string; status: string; reason: string; note: string | null }>;
    }>;
    timeline: Array<{ kind: string; status?: string; name?: string }>;
  };
}

async function until<T>(fn: () => Promise<T | undefined>, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("emulator HTTP API", () => {
  const harness = useHarness();

  it("lists the bots with their locales and flows", async () => {
    const server = await startTestServer(harness);
    const res = await server.request("GET", "/api/emulator/bots");
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ id: "cafe", name: "Café Lumière", locale: "en", locales: ["en", "fr", "zh-CN"], flows: [...cafe.flows.keys()], timeZone: "Europe/Paris" }]);
  });

  it("sells the gift card in Telegram Stars with the test provider, and shows its refund in the inspector once cancelled", async () => {
    const server = await startTestServer(harness);
    await event(server, { text: "/start" });
    await event(server, { press: "To take home" });
    await event(server, { text: "Gift card €10" });
    await event(server, { text: "1" });
    await event(server, { press: "No" });
    const placed = await event(server, { press: "Place order" });
    expect(placed.at(-1)?.invoice).toMatchObject({ amount: 750, currency: "XTR" });
    expect(texts(await event(server, { pay: "succeed" }))[0]).toMatch(/^Paid, thank you! .*\n1 × Gift card €10 — ⭐750/);
    const mine = await event(server, { text: "my orders" });
    expect(mine.at(-1)?.buttons?.map((b) => b.label)).toEqual(["Cancel #1 for a refund"]);
    await event(server, { press: "Cancel #1 for a refund" });
    expect(texts(await event(server, { press: "Yes, cancel" }))).toContain("Order #1 is cancelled. ⭐750 is on its way back to you.");
    await server.runtime.tick();
    const [order] = (await stateOf(server)).orders;
    expect(order).toMatchObject({ status: "refunded", currency: "XTR", refunds: [{ amount: 750, currency: "XTR", status: "refunded", reason: "customer cancelled in chat, within the refund window" }] });
    expect(order?.refunds[0]?.note).toMatch(/^test refund of test_/);
  });

  it("orders and pays at the cafe: invoice, receipt, and the inspector shows the order with its history", async () => {
    const server = await startTestServer(harness);
    const welcome = await event(server, { text: "/start" });
    expect(texts(welcome)).toEqual(["Welcome to Café Lumière! ☕", "What would you like? Pick a category, or just type what you want."]);
    expect(welcome.at(-1)?.buttons?.map((b) => b.label)).toEqual(["Drinks", "Pastries", "To take home"]);
    expect(welcome[0]).toMatchObject({ to: "alice" });

    const placed = await (async () => {
      await event(server, { press: "Pastries" });
      await event(server, { text: "croissant" });
      await event(server, { text: "2" });
      await event(server, { press: "No" });
      return event(server, { press: "Place order" });
    })();
    expect(placed.at(-1)?.invoice).toMatchObject({ order: "1", amount: 360, currency: "EUR" });

    const receipt = await event(server, { pay: "succeed" });
    expect(texts(receipt)[0]).toMatch(/^Paid, thank you! Receipt for order #1/);

    const state = await stateOf(server);
    expect(state.orders).toHaveLength(1);
    expect(state.orders[0]).toMatchObject({ id: "1", status: "paid", total: 360 });
    expect(state.orders[0]?.history.map((h) => [h.from, h.to])).toEqual([
      ["draft", "awaiting_payment"],
      ["awaiting_payment", "paid"],
    ]);
    expect(state.orders[0]?.history[1]?.cause).toMatch(/^payment test\//);
    expect(state.step).toBeNull();
    expect(state.timeline.filter((t) => t.kind === "message").every((t) => t.status === "sent")).toBe(true);

    // The polling route has every message, numbered, and `after` skips what was read.
    const all = (await server.request("GET", `${ALICE}/messages`)).body as { messages: Msg[]; last: number };
    expect(all.messages.map((m) => m.seq)).toEqual([...all.messages.map((m) => m.seq)].sort((a, b) => a - b));
    expect(all.messages.at(-1)?.text).toBe(receipt.at(-1)?.text);
    const newer = (await server.request("GET", `${ALICE}/messages?after=${all.messages.at(-2)?.seq ?? 0}`)).body as { messages: Msg[]; last: number };
    expect(newer.messages).toEqual([all.messages.at(-1)]);
    expect(newer.last).toBe(all.last);
  });

  it("a declined payment leaves the order open, and with nothing to pay, pay is a 409", async () => {
    const server = await startTestServer(harness);
    const none = await server.request("POST", `${ALICE}/events`, { pay: "succeed" });
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ error: { code: "conflict", message: expect.stringContaining("no open invoice") } });

    await placeOrder(server);
    const declined = await event(server, { pay: "decline" });
    expect(texts(declined).join("\n")).toMatch(/declined/i);
    expect((await stateOf(server)).orders.map((o) => o.status)).toEqual(["awaiting_payment"]);
  });

  it("a slow payment answers pending at once and the receipt arrives later", async () => {
    const server = await startTestServer(harness, { slowPaymentMs: 200 });
    await placeOrder(server);
    const { last } = (await server.request("GET", `${ALICE}/messages`)).body as { last: number };
    const res = await server.request("POST", `${ALICE}/events`, { pay: "slow" });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ messages: [], pending: true });
    expect((await stateOf(server)).orders[0]?.status).toBe("awaiting_payment");

    const later = await until(async () => {
      const body = (await server.request("GET", `${ALICE}/messages?after=${last}`)).body as { messages: Msg[] };
      return body.messages.length > 0 ? body.messages : undefined;
    });
    expect(texts(later)[0]).toMatch(/^Paid, thank you!/);
    expect((await stateOf(server)).orders[0]?.status).toBe("paid");
  });

  it("fast-forwarding the clock fires the 15-minute order expiry", async () => {
    const server = await startTestServer(harness);
    await placeOrder(server);
    const before = (await server.request("GET", "/api/emulator/clock")).body as { now: string; offsetMs: number };
    expect(before.offsetMs).toBe(0);
    expect((await stateOf(server)).timeline.some((t) => t.kind === "timer")).toBe(true);

    const early = await server.request("POST", "/api/emulator/clock", { advance: "PT10M" });
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ fired: 0, messages: [] });

    const res = await server.request("POST", "/api/emulator/clock", { advance: "PT6M" });
    expect(res.status).toBe(200);
    const body = res.body as { now: string; fired: number; messages: Msg[] };
    expect(body.fired).toBeGreaterThanOrEqual(1);
    expect(body.messages.map((m) => m.to)).toContain("alice");
    expect(texts(body.messages).join("\n")).toMatch(/expired/i);
    expect(Date.parse(body.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(16 * 60_000);
    expect((await stateOf(server)).orders[0]?.status).toBe("expired");

    const after = (await server.request("GET", "/api/emulator/clock")).body as { offsetMs: number };
    expect(after.offsetMs).toBe(16 * 60_000);
    expect((await server.request("POST", "/api/emulator/clock", { advance: "-PT1M" })).status).toBe(400);
    expect((await server.request("POST", "/api/emulator/clock", { advance: "soon" })).status).toBe(400);
    // The cap is the one parseIsoDuration applies for every clock (kiosk chat --jsonl too).
    const far = await server.request("POST", "/api/emulator/clock", { advance: "P367D" });
    expect(far.status).toBe(400);
    expect(far.body).toEqual({ error: { code: "invalid_request", message: "'P367D' is more than P366D; move the clock at most P366D at a time" } });
    expect(((await server.request("GET", "/api/emulator/clock")).body as { offsetMs: number }).offsetMs).toBe(16 * 60_000);
  });

  it("a double-tapped Place order places one order, and each answer holds only its own replies", async () => {
    const server = await startTestServer(harness);
    await event(server, { text: "/start" });
    await event(server, { text: "croissant" });
    await event(server, { text: "1" });
    await event(server, { press: "No" });
    const [first, second] = await Promise.all([event(server, { press: "Place order" }), event(server, { press: "Place order" })]);
    const invoices = [...(first ?? []), ...(second ?? [])].filter((m) => m.invoice);
    // One tap places the order; the other, handled after it, is reminded of the same invoice.
    const answers = [texts(first ?? []), texts(second ?? [])].map((t) => t.join("\n")).sort();
    expect(answers[0]).toBe("Order #1 is placed: €1.80. Please pay within 15 minutes to confirm it.");
    expect(answers[1]).toMatch(/^Order #1 is waiting for payment/);
    expect(new Set(invoices.map((m) => m.invoice?.order))).toEqual(new Set(["1"]));
    expect((await stateOf(server)).orders).toHaveLength(1);
    const seqs = [...(first ?? []), ...(second ?? [])].map((m) => m.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it("reset forgets the conversation but keeps the orders", async () => {
    const server = await startTestServer(harness);
    await placeOrder(server);
    expect((await stateOf(server)).step).not.toBeNull();

    const res = await server.request("DELETE", ALICE);
    expect(res.status).toBe(204);
    const state = await stateOf(server);
    expect(state).toMatchObject({ flow: null, step: null, version: 0 });
    expect(state.orders.map((o) => o.status)).toEqual(["awaiting_payment"]);

    // The next event starts afresh.
    expect(texts(await event(server, { text: "hello" }))[0]).toBe("Welcome to Café Lumière! ☕");
    expect((await server.request("DELETE", "/api/emulator/bots/cafe/customers/nobody")).status).toBe(404);
  });

  it("uses the channel-reported locale when the conversation starts", async () => {
    const server = await startTestServer(harness);
    const welcome = await event(server, { text: "/start", locale: "fr" }, "zoe");
    expect(texts(welcome)[0]).not.toBe("Welcome to Café Lumière! ☕");
    expect((await stateOf(server, "zoe")).locale).toBe("fr");
  });

  it("exports the conversation as a transcript that kiosk test's runner passes", async () => {
    const server = await startTestServer(harness);
    // Another customer's order first, so alice's order number differs from a fresh database's.
    await placeOrder(server, "bob");
    await placeOrder(server);
    await event(server, { pay: "decline" });
    await server.request("POST", "/api/emulator/clock", { advance: "PT16M" });
    await event(server, { text: "hi" });
    await event(server, { text: "menu" });

    const res = await server.request("GET", `${ALICE}/transcript`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("advance: PT16M");
    expect(res.text).toContain("pay: decline");
    const transcript = parseTranscript(res.text, "alice.transcript.yaml");
    expect(transcript.customer).toBe("alice");
    const result = await runTranscript(cafe, transcript);
    expect(result.passed, formatTranscriptResult(result)).toBe(true);
    expect(transcript.end?.orders).toEqual([{ customer: "alice", status: "expired", total: 360, currency: "EUR", items: 1 }]);

    // A transcript whose expectations are wrong fails: the check is real.
    const tampered = parseTranscript(res.text.replace("Welcome to Café Lumière! ☕", "Welcome!"), "alice.transcript.yaml");
    expect((await runTranscript(cafe, tampered)).passed).toBe(false);

    expect((await server.request("GET", "/api/emulator/bots/cafe/customers/nobody/transcript")).status).toBe(404);
  });

  it("draws the bot's flows and marks the customer's step", async () => {
    const server = await startTestServer(harness);
    const plain = await server.request("GET", "/api/emulator/bots/cafe/diagram");
    expect(plain.status).toBe(200);
    expect((plain.body as { mermaid: string }).mermaid).toMatch(/^flowchart TD/);
    expect((plain.body as { mermaid: string }).mermaid).not.toContain("class order__");

    await event(server, { text: "/start" });
    const marked = (await server.request("GET", "/api/emulator/bots/cafe/diagram?customer=alice")).body as { mermaid: string; current: unknown };
    expect(marked.current).toEqual({ flow: "order", step: "menu" });
    expect(marked.mermaid).toMatch(/class \S*menu current/);
  });

  it("takes a text of 4096 emoji, as Telegram counts characters (8192 UTF-16 units)", async () => {
    const server = await startTestServer(harness);
    await event(server, { text: "/start" });
    const res = await server.request("POST", `${ALICE}/events`, { text: "🥐".repeat(4096) });
    expect(res.status, res.text).toBe(200);
  });

  describe("bad input gets a clear 4xx and changes nothing", () => {
    it.each([
      ["malformed JSON", "POST", `${ALICE}/events`, '{"text": "hi"', 400, "invalid_json"],
      ["an unknown body shape", "POST", `${ALICE}/events`, { shout: "hi" }, 400, "invalid_request"],
      ["two actions at once", "POST", `${ALICE}/events`, { text: "hi", pay: "succeed" }, 400, "invalid_request"],
      ["text over 4096 characters", "POST", `${ALICE}/events`, { text: "x".repeat(4097) }, 400, "invalid_request"],
      ["text over 4096 emoji", "POST", `${ALICE}/events`, { text: "🥐".repeat(4097) }, 400, "invalid_request"],
      ["a bad locale", "POST", `${ALICE}/events`, { text: "hi", locale: "French!" }, 400, "invalid_request"],
      ["a locale longer than any language tag", "POST", `${ALICE}/events`, { text: "hi", locale: `fr${"-abcdefgh".repeat(100_000)}` }, 400, "invalid_request"],
      ["a bad customer id", "POST", "/api/emulator/bots/cafe/customers/a%20b/events", { text: "hi" }, 400, "invalid_request"],
      ["an unknown bot", "POST", "/api/emulator/bots/pizza/customers/alice/events", { text: "hi" }, 404, "not_found"],
      ["an unknown customer's state", "GET", "/api/emulator/bots/cafe/customers/nobody/state", undefined, 404, "not_found"],
      ["an unknown customer's messages", "GET", "/api/emulator/bots/cafe/customers/nobody/messages", undefined, 404, "not_found"],
      ["an unknown route", "GET", "/api/emulator/nothing", undefined, 404, "not_found"],
      ["a bad after", "GET", `${ALICE}/messages?after=-1`, undefined, 400, "invalid_request"],
      ["a clock body without advance", "POST", "/api/emulator/clock", { forward: "PT1H" }, 400, "invalid_request"],
      ["a body over the limit", "POST", `${ALICE}/events`, JSON.stringify({ text: "x".repeat(1_100_000) }), 413, "body_too_large"],
    ])("%s", async (_name, method, path, body, status, code) => {
      const server = await startTestServer(harness);
      await event(server, { text: "/start" });
      const before = await stateOf(server);
      const clock = (await server.request("GET", "/api/emulator/clock")).body as { offsetMs: number };

      const res = await server.request(method, path, body);
      expect(res.status, res.text).toBe(status);
      expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
      expect(res.text).not.toMatch(/\n\s+at /);

      expect(await stateOf(server)).toEqual(before);
      expect(((await server.request("GET", "/api/emulator/clock")).body as { offsetMs: number }).offsetMs).toBe(clock.offsetMs);
    });
  });

  it("serves the emulator page and its assets with their content types and a strict CSP, and no emulator routes when turned off", async () => {
    const server = await startTestServer(harness);
    const page = await fetch(`${server.url}/emulator`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/emulator/app.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const [file, type] of [["app.js", /^text\/javascript/], ["channels.js", /^text\/javascript/], ["diagram.js", /^text\/javascript/], ["style.css", /^text\/css/]] as const) {
      const asset = await fetch(`${server.url}/emulator/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get("content-type"), file).toMatch(type);
      expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    }
    expect((await server.request("GET", "/emulator/..%2Fapp.ts")).status).toBe(404);
    expect((await server.request("GET", "/emulator/emulator-page.ts")).status).toBe(404);

    const off = await startTestServer(harness, { emulator: false, db: `${harness.dir}/off.db` });
    expect((await off.request("GET", "/api/emulator/bots")).status).toBe(404);
    expect((await off.request("GET", "/emulator")).status).toBe(404);
    expect((await off.request("GET", "/healthz")).status).toBe(200);
  });

  it("refuses to start on a non-loopback address with the emulator on and no token, naming the variable; a token or the emulator off lets it start", async () => {
    const start = async (host: string, overrides: Partial<ServerConfig>, db: string) => {
      const config = { ...resolveConfig({ env: {} }), host, port: 0, db: `${harness.dir}/${db}`, ...overrides };
      const server = await startServer({ config, bots: [cafe], logger: false });
      await server.close();
      return server;
    };
    await expect(start("0.0.0.0", {}, "a.db")).rejects.toThrow(/the emulator would listen on 0\.0\.0\.0 with no token: set KIOSK_EMULATOR_TOKEN/);
    expect(existsSync(`${harness.dir}/a.db`)).toBe(false);
    expect((await start("0.0.0.0", { emulatorToken: "t".repeat(32) }, "b.db")).mode).toMatchObject({ kind: "emulator", emulator: true, tokenRequired: true });
    expect((await start("0.0.0.0", { emulator: false }, "c.db")).mode).toMatchObject({ kind: "emulator", emulator: false });
    expect((await start("127.0.0.1", {}, "d.db")).mode).toMatchObject({ kind: "emulator", emulator: true, tokenRequired: false });
  });
});
