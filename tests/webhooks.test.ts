// Issue 16, part 2: signed outbound webhooks. A loopback receiver verifies
// Stripe's scheme of signature and dedupes by event id; it gets each event
// once as a unique id despite answering 500 and then hanging past the timeout.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, vi } from "vitest";
import cafe from "../bots/cafe/index.ts";
import { webhooksCommand } from "../cli/webhooks.ts";
import { runShopAction } from "../flows/index.ts";
import { captureStdio, useHarness, type Harness } from "./helpers.ts";
import { captureLog } from "./log-capture.ts";
import { startTestServer, type TestServer } from "./test-server.ts";

const SECRET = "whsec_test_0123456789abcdef";
const TOLERANCE_S = 300;

/** What a receiver does, as in the README: recompute the HMAC of "t.body", check t, compare in constant time. */
function verify(secret: string, header: string | undefined, body: string, nowS = Math.floor(Date.now() / 1000)): boolean {
  const parts = new Map((header ?? "").split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(nowS - t) > TOLERANCE_S) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

type Behaviour = "fail" | "hang" | "ok";
interface Received {
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  readonly verified: boolean;
  readonly answered: Behaviour;
}

/** A webhook receiver on 127.0.0.1: answers each request as `next()` says, verifies and dedupes like a shop's system would. */
async function startReceiver(harness: Harness, next: () => Behaviour) {
  const received: Received[] = [];
  const processed: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const signature = req.headers["kiosk-signature"];
      const verified = verify(SECRET, typeof signature === "string" ? signature : undefined, body);
      const answered = next();
      received.push({ headers: req.headers, body, verified, answered });
      if (answered === "hang") return; // never answers: the sender's timeout cuts it
      if (answered === "fail" || !verified) {
        res.writeHead(answered === "fail" ? 500 : 400).end();
        return;
      }
      const id = (JSON.parse(body) as { id: string }).id;
      if (!processed.includes(id)) processed.push(id);
      res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  harness.defer(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/kiosk-events`, received, processed };
}

/** A server of the cafe with a webhook to `url` (200 ms per attempt) and its log captured at debug. */
async function serverWithWebhook(harness: Harness, url: string) {
  const log = captureLog("debug");
  const server = await startTestServer(
    harness,
    { webhooks: { CAFE: { url, secret: SECRET, timeoutMs: 200, from: { url: "KIOSK_WEBHOOK_CAFE_URL", secret: "KIOSK_WEBHOOK_CAFE_SECRET" } } } },
    [cafe],
    { logger: log.logger },
  );
  // The first run sets the cursor at the bot's latest event (none yet): what comes next is sent.
  await server.runtime.webhooks.runDue();
  return { server, log };
}

/** Ana orders two croissants and pays: the event order.paid. */
async function paidOrder(server: TestServer): Promise<string> {
  const emulator = server.emulator;
  if (!emulator) throw new Error("the test server has no emulator");
  for (const text of ["/start", "croissant", "2", "no"]) await emulator.act("cafe", "ana", { text });
  await emulator.act("cafe", "ana", { press: "Place order" });
  await emulator.act("cafe", "ana", { pay: "succeed" });
  const order = (await server.store.listOrders({ botId: "cafe" })).find((o) => o.status === "paid");
  if (!order) throw new Error("ana's order is not paid");
  return order.id;
}

const deliveries = async (server: TestServer) => (await server.store.listWebhookDeliveries({ botId: "cafe" })).map((d) => [d.event.id, d.event.type, d.status, d.attempts]);

describe("signed outbound webhooks", () => {
  const harness = useHarness();

  it("the receiver verifies each event and gets it once, despite a 500 and a timeout; the secret is in no log", async () => {
    const script: Behaviour[] = ["fail", "hang"];
    const receiver = await startReceiver(harness, () => script.shift() ?? "ok");
    const { server, log } = await serverWithWebhook(harness, receiver.url);
    const orderId = await paidOrder(server);

    await server.runtime.webhooks.runDue();
    expect(receiver.received.map((r) => r.answered)).toEqual(["fail"]);
    expect(await deliveries(server)).toEqual([["evt_1", "order.paid", "pending", 1]]);
    const [first] = await server.store.listWebhookDeliveries({});
    // The first retry comes 10 s (±20 %) after the failure: within 30 s.
    const wait = (first?.nextAttemptAt.getTime() ?? 0) - server.clock.now().getTime();
    expect(wait).toBeGreaterThan(7_000);
    expect(wait).toBeLessThanOrEqual(12_000);
    expect(first?.lastError).toMatch(/^HTTP 500 from 127\.0\.0\.1:\d+$/);

    // Not due yet: nothing is sent.
    server.clock.advance(5_000);
    await server.runtime.webhooks.runDue();
    expect(receiver.received).toHaveLength(1);

    server.clock.advance(8_000);
    await server.runtime.webhooks.runDue();
    expect(receiver.received.map((r) => r.answered)).toEqual(["fail", "hang"]);
    const [second] = await server.store.listWebhookDeliveries({});
    expect(second?.lastError).toMatch(/^no answer from 127\.0\.0\.1:\d+ within 200 ms$/);
    const backoff = (second?.nextAttemptAt.getTime() ?? 0) - server.clock.now().getTime();
    expect(backoff).toBeGreaterThan(15_000);
    expect(backoff).toBeLessThanOrEqual(24_000);

    expect(await runShopAction(server.runtime, server.store, "cafe", { type: "order.status", orderId, to: "preparing", by: "console" }, "k1")).toBe("done");
    server.clock.advance(25_000);
    await server.runtime.webhooks.runDue();
    // A tick of the server's poller may have sent some of these already; one more run finds nothing due.
    await server.runtime.webhooks.runDue();

    expect(await deliveries(server)).toEqual([
      ["evt_1", "order.paid", "delivered", 3],
      ["evt_2", "order.status", "delivered", 1],
    ]);
    expect(receiver.processed).toEqual(["evt_1", "evt_2"]);
    expect(receiver.received.map((r) => [(JSON.parse(r.body) as { id: string }).id, r.answered])).toEqual([
      ["evt_1", "fail"],
      ["evt_1", "hang"],
      ["evt_1", "ok"],
      ["evt_2", "ok"],
    ]);
    expect(receiver.received.every((r) => r.verified)).toBe(true);

    const last = receiver.received[3];
    if (!last) throw new Error("no second event");
    expect(last.headers["content-type"]).toBe("application/json");
    expect(last.headers["user-agent"]).toBe("Kiosk-Webhooks/1");
    expect(last.headers["kiosk-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(JSON.parse(last.body)).toMatchObject({
      id: "evt_2",
      type: "order.status",
      bot: "cafe",
      created: (await server.store.listEvents({ botId: "cafe", after: "evt_1" }))[0]?.created.toISOString(),
      data: { from: "paid", by: "console", order: { id: orderId, status: "preparing", total: 360, currency: "EUR" } },
    });
    expect(Object.keys(JSON.parse(last.body) as object)).toEqual(["id", "type", "created", "bot", "data"]);

    // Negative controls: another secret, a changed body, an old timestamp all fail verification.
    const header = last.headers["kiosk-signature"] as string;
    expect(verify(SECRET, header, last.body)).toBe(true);
    expect(verify("whsec_another_secret_0123456", header, last.body)).toBe(false);
    expect(verify(SECRET, header, last.body.replace('"by":"console"', '"by":"someone"'))).toBe(false);
    expect(verify(SECRET, header, last.body, Math.floor(Date.now() / 1000) + 3600)).toBe(false);

    expect(log.records.length).toBeGreaterThan(0);
    expect(JSON.stringify(log.records)).not.toContain(SECRET);
    expect(JSON.stringify(await server.store.listWebhookDeliveries({}))).not.toContain(SECRET);
  });

  it("gives up after 12 attempts, lists it as gave_up, and `kiosk webhooks retry` brings it back", async () => {
    let answer: Behaviour = "fail";
    const receiver = await startReceiver(harness, () => answer);
    const { server, log } = await serverWithWebhook(harness, receiver.url);
    await paidOrder(server);
    for (let attempt = 0; attempt < 12; attempt++) {
      await server.runtime.webhooks.runDue();
      server.clock.advance(2 * 60 * 60_000);
    }
    await server.runtime.webhooks.runDue();
    expect(receiver.received).toHaveLength(12);
    expect(await deliveries(server)).toEqual([["evt_1", "order.paid", "gave_up", 12]]);
    expect(log.records.some((r) => r.level >= 50 && r.msg === "webhook evt_1" && JSON.stringify(r).includes("kiosk webhooks retry evt_1"))).toBe(true);

    const failed = captureStdio();
    expect(await webhooksCommand(["--failed", "--bot", "cafe", "--db", harness.db])).toBe(0);
    expect(failed.out()).toMatch(/^evt_1\torder\.paid\tcafe\tgave_up\t12 attempts\tHTTP 500 from 127\.0\.0\.1:\d+\n$/);
    vi.restoreAllMocks();

    // The receiver is back before the retry: the server's poller may send it as soon as it is pending.
    answer = "ok";
    const retry = captureStdio();
    expect(await webhooksCommand(["retry", "evt_1", "--db", harness.db])).toBe(0);
    expect(retry.out()).toBe("evt_1: pending again; the server sends it on its next tick\n");
    vi.restoreAllMocks();
    const again = captureStdio();
    expect(await webhooksCommand(["retry", "evt_1", "--db", harness.db])).toBe(1);
    expect(again.err()).toContain("evt_1 has no given-up delivery");
    vi.restoreAllMocks();

    await server.runtime.webhooks.runDue();
    expect(await deliveries(server)).toEqual([["evt_1", "order.paid", "delivered", 1]]);
    expect(receiver.processed).toEqual(["evt_1"]);
    expect(JSON.stringify(log.records)).not.toContain(SECRET);
  });

  it("sends no event recorded before the webhook was configured", async () => {
    const receiver = await startReceiver(harness, () => "ok");
    const before = await startTestServer(harness, {}, [cafe]);
    await paidOrder(before);
    await before.close();
    const { server } = await serverWithWebhook(harness, receiver.url);
    await server.runtime.webhooks.runDue();
    expect(await server.store.listEvents({ botId: "cafe" })).toHaveLength(1);
    expect(receiver.received).toEqual([]);
    expect(await deliveries(server)).toEqual([]);
  });
});
