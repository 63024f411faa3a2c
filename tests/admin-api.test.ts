/**
 * The admin HTTP API through a real server on loopback: keys (none, unknown,
 * revoked, another bot's, read on a write route), the read routes and their
 * filters, the stock change and its record, the OpenAPI document, and a log
 * that never carries a key.
 */
import { describe, expect, it } from "vitest";
import salon from "../bots/salon/index.ts";
import cafe from "../bots/cafe/index.ts";
import { newApiKey, openSqliteStore } from "../store/index.ts";
import { useHarness } from "./helpers.ts";
import { startTestServer } from "./test-server.ts";

const API = "/admin/api/v1";
const T = (iso: string) => new Date(iso);
const latte = { productId: "latte", name: "Latte", options: { size: "m" }, optionLabels: ["M"], quantity: 2, unitPrice: 350, lineTotal: 700 };

interface Keys {
  cafeRead: string;
  cafeWrite: string;
  salonRead: string;
  revoked: string;
}

/** Keys and a few orders, bookings and refunds in the server's file, written before it starts. */
async function seed(db: string): Promise<Keys> {
  const store = openSqliteStore({ file: db });
  const at = T("2027-03-01T08:00:00Z");
  const make = async (botId: string, scope: "read" | "write") => {
    const { key, hash } = newApiKey(botId);
    const row = await store.createApiKey({ botId, scope, hash, at });
    return { key, id: row.id };
  };
  const keys = { cafeRead: (await make("cafe", "read")).key, cafeWrite: (await make("cafe", "write")).key, salonRead: (await make("salon", "read")).key };
  const revoked = await make("cafe", "write");
  await store.revokeApiKey(revoked.id, at);
  await store.transaction(async (tx) => {
    const order = (channel: string, status: "awaiting_payment" | "paid", iso: string, userId = "u1") =>
      tx.createOrder({ botId: "cafe", channel, userId, items: [latte], total: 700, currency: "EUR", status, cause: "placed by the customer", at: T(iso) });
    await order("telegram", "paid", "2027-03-01T09:00:00Z");
    await order("whatsapp", "paid", "2027-03-02T09:00:00Z");
    const third = await order("telegram", "awaiting_payment", "2027-03-03T09:00:00Z");
    await tx.transitionOrder(third.id, "awaiting_payment", "paid", "paid by the test provider", T("2027-03-03T09:05:00Z"));
    await order("telegram", "awaiting_payment", "2027-03-04T09:00:00Z");
    await tx.recordRefund({ botId: "cafe", channel: "telegram", userId: "u1", orderId: "1", provider: "telegram", paymentReference: "tg1", amount: 700, currency: "EUR", reason: "order cancelled in time", at });
    // Salon: Paris is UTC+1 in March; 9 March 23:30 Paris is 22:30Z, 10 March 00:30 Paris is 23:30Z on the 9th.
    const hold = (resourceId: string, start: string, end: string) =>
      tx.holdSlot({ botId: "salon", channel: "telegram", userId: "u2", serviceId: "haircut", resourceId, start: T(start), end: T(end), price: 2500, deposit: 500, currency: "EUR", freeCancelUntil: null, cause: "held", at });
    await hold("ana", "2027-03-09T09:00:00Z", "2027-03-09T09:30:00Z");
    await hold("ben", "2027-03-09T10:00:00Z", "2027-03-09T10:30:00Z");
    await hold("ana", "2027-03-09T23:30:00Z", "2027-03-10T00:00:00Z");
  });
  await store.close();
  return { ...keys, revoked: revoked.key };
}

describe("the admin API", () => {
  const harness = useHarness();

  async function start() {
    const keys = await seed(harness.db);
    const lines: string[] = [];
    const server = await startTestServer(harness, {}, [cafe, salon], { logger: { level: "info", stream: { write: (line: string) => void lines.push(line) } } });
    const as = (key: string | undefined) => (method: string, path: string, body?: unknown) => server.request(method, `${API}${path}`, body, key === undefined ? {} : { authorization: `Bearer ${key}` });
    return { server, keys, lines, as };
  }

  it("answers 401 without a key or with an unknown or revoked one, 403 for another bot's key or a read key on a write route, and changes nothing", async () => {
    const { keys, as } = await start();
    const none = await as(undefined)("GET", "/bots/cafe/orders");
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: { code: "unauthorized" } });
    for (const key of [keys.revoked, `${keys.cafeRead}x`, "kiosk_cafe_guess"]) {
      const answer = await as(key)("GET", "/bots/cafe/orders");
      expect(answer.status, key).toBe(401);
      expect((answer.body as { error: { message: string } }).error.message).toMatch(/unknown or revoked/);
    }
    const other = await as(keys.salonRead)("GET", "/bots/cafe/orders");
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ error: { code: "forbidden", message: "this key is for bot 'salon', not 'cafe'" } });

    const readOnWrite = await as(keys.cafeRead)("PATCH", "/bots/cafe/catalog/products/croissant", { stock: 0 });
    expect(readOnWrite.status).toBe(403);
    expect((readOnWrite.body as { error: { message: string } }).error.message).toMatch(/needs a key of scope write/);
    const revokedWrite = await as(keys.revoked)("PATCH", "/bots/cafe/catalog/products/croissant", { stock: 0 });
    expect(revokedWrite.status).toBe(401);
    const catalog = await as(keys.cafeRead)("GET", "/bots/cafe/catalog");
    expect((catalog.body as { products: Array<{ id: string; stock: number | null }> }).products.find((p) => p.id === "croissant")?.stock).toBe(12);
    expect((await as(keys.cafeRead)("GET", "/bots/cafe/changes")).body).toEqual({ changes: [] });
  });

  it("carries WWW-Authenticate: Bearer on a 401", async () => {
    const { server } = await start();
    const response = await fetch(`${server.url}${API}/bots/cafe/catalog`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
  });

  it("lists orders newest first, filtered by status, channel and time, and one order with its history", async () => {
    const { keys, as } = await start();
    const get = as(keys.cafeRead);
    const ids = async (query: string) => ((await get("GET", `/bots/cafe/orders${query}`)).body as { orders: Array<{ id: string }> }).orders.map((o) => o.id);
    expect(await ids("")).toEqual(["4", "3", "2", "1"]);
    expect(await ids("?status=paid")).toEqual(["3", "2", "1"]);
    expect(await ids("?status=paid&channel=telegram")).toEqual(["3", "1"]);
    expect(await ids("?channel=whatsapp")).toEqual(["2"]);
    expect(await ids("?from=2027-03-02T00:00:00Z&to=2027-03-04T00:00:00Z")).toEqual(["3", "2"]);
    expect(await ids("?limit=1")).toEqual(["4"]);
    const bad = await get("GET", "/bots/cafe/orders?status=shipped&limit=500");
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { code: string; message: string } }).error).toMatchObject({ code: "invalid_request", message: expect.stringMatching(/query\.status.*query\.limit/) });

    const one = await get("GET", "/bots/cafe/orders/3");
    expect(one.body).toMatchObject({
      id: "3",
      status: "paid",
      total: 700,
      currency: "EUR",
      items: [{ productId: "latte", quantity: 2, unitPrice: 350, lineTotal: 700 }],
      createdAt: "2027-03-03T09:00:00.000Z",
      history: [
        { from: "draft", to: "awaiting_payment", cause: "placed by the customer", at: "2027-03-03T09:00:00.000Z" },
        { from: "awaiting_payment", to: "paid", cause: "paid by the test provider", at: "2027-03-03T09:05:00.000Z" },
      ],
    });
    expect((await get("GET", "/bots/cafe/orders/99")).status).toBe(404);
    // The salon's key cannot read the cafe's order, and the salon's path has none of the cafe's.
    expect((await as(keys.salonRead)("GET", "/bots/salon/orders/3")).status).toBe(404);
  });

  it("lists bookings of a day in the calendar's zone and of one resource, refunds, and flow versions", async () => {
    const { keys, as } = await start();
    const salonGet = as(keys.salonRead);
    const starts = async (query: string) => ((await salonGet("GET", `/bots/salon/bookings${query}`)).body as { bookings: Array<{ start: string; resource: string }> }).bookings.map((b) => `${b.resource}@${b.start}`);
    expect(await starts("?day=2027-03-09")).toEqual(["ana@2027-03-09T09:00:00.000Z", "ben@2027-03-09T10:00:00.000Z"]);
    expect(await starts("?day=2027-03-10")).toEqual(["ana@2027-03-09T23:30:00.000Z"]);
    expect(await starts("?day=2027-03-09&resource=ben")).toEqual(["ben@2027-03-09T10:00:00.000Z"]);
    expect((await salonGet("GET", "/bots/salon/bookings?day=2027-02-30")).status).toBe(400);
    expect((await salonGet("GET", "/bots/salon/bookings")).body).toMatchObject({ timeZone: "Europe/Paris" });

    // The server's refund job may have worked on it already: its status is whatever the job made it.
    const refunds = (await as(keys.cafeRead)("GET", "/bots/cafe/refunds")).body as { refunds: Array<{ order: string; amount: number; currency: string; status: string }> };
    expect(refunds.refunds).toMatchObject([{ order: "1", amount: 700, currency: "EUR" }]);
    const status = refunds.refunds[0]?.status ?? "";
    expect((await as(keys.cafeRead)("GET", `/bots/cafe/refunds?status=${status}`)).body).toMatchObject({ refunds: { length: 1 } });
    expect((await as(keys.cafeRead)("GET", `/bots/cafe/refunds?status=${status === "failed" ? "refunded" : "failed"}`)).body).toEqual({ refunds: [] });
    expect((await as(keys.salonRead)("GET", "/bots/salon/refunds")).body).toEqual({ refunds: [] });

    const flows = (await as(keys.cafeRead)("GET", "/bots/cafe/flows")).body as { flows: Array<{ id: string; current: string; versions: unknown[] }> };
    expect(flows.flows.length).toBeGreaterThan(0);
    expect(flows.flows.every((f) => typeof f.current === "string" && f.current.length > 0)).toBe(true);
  });

  it("sets a product's stock with a write key, records which key did it, and leaves orders placed before as they were", async () => {
    const { keys, as } = await start();
    const write = as(keys.cafeWrite);
    const changed = await write("PATCH", "/bots/cafe/catalog/products/croissant", { stock: 5 });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ product: "croissant", stock: { before: 12, after: 5 }, changedBy: { key: 2 } });
    const catalog = (await write("GET", "/bots/cafe/catalog")).body as { products: Array<{ id: string; stock: number | null; available: boolean; price: number; currency: string }> };
    expect(catalog.products.find((p) => p.id === "croissant")).toMatchObject({ stock: 5, available: true, price: 180, currency: "EUR" });
    expect((await write("PATCH", "/bots/cafe/catalog/products/croissant", { stock: 0 })).status).toBe(200);
    expect((await write("GET", "/bots/cafe/catalog")).body).toMatchObject({ products: expect.arrayContaining([expect.objectContaining({ id: "croissant", stock: 0, available: false })]) });
    expect((await write("GET", "/bots/cafe/changes")).body).toMatchObject({
      changes: [
        { key: 2, subject: "stock", target: "croissant", before: 5, after: 0 },
        { key: 2, subject: "stock", target: "croissant", before: 12, after: 5 },
      ],
    });
    // An order placed before keeps its lines and total.
    expect((await write("GET", "/bots/cafe/orders/1")).body).toMatchObject({ total: 700, items: [{ unitPrice: 350, quantity: 2 }] });

    const refused = await write("PATCH", "/bots/cafe/catalog/products/croissant", { stock: -1, price: 100 });
    expect(refused.status).toBe(400);
    expect((refused.body as { error: { message: string } }).error.message).toMatch(/^the body is \{"stock"/);
    expect((await write("PATCH", "/bots/cafe/catalog/products/bagel", { stock: 1 })).status).toBe(404);
    expect((await write("GET", "/bots/cafe/changes")).body).toMatchObject({ changes: { length: 2 } });
  });

  it("serves an OpenAPI 3.1 document without a key that lists every route, from the schemas that validate them", async () => {
    const { server } = await start();
    const answer = await server.request("GET", `${API}/openapi.json`);
    expect(answer.status).toBe(200);
    const doc = JSON.parse(answer.text) as { openapi: string; paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }> }>>; components: { securitySchemes: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort()).toEqual([
      "GET /bots/{bot}/bookings",
      "GET /bots/{bot}/catalog",
      "GET /bots/{bot}/changes",
      "GET /bots/{bot}/flows",
      "GET /bots/{bot}/orders",
      "GET /bots/{bot}/orders/{id}",
      "GET /bots/{bot}/refunds",
      "GET /openapi.json",
      "PATCH /bots/{bot}/catalog/products/{id}",
      "POST /bots/{bot}/bookings/{id}/cancel",
      "POST /bots/{bot}/bookings/{id}/no-show",
      "POST /bots/{bot}/orders/{id}/cancel",
      "POST /bots/{bot}/orders/{id}/status",
    ]);
    const params = doc.paths["/bots/{bot}/orders"]?.get?.parameters ?? [];
    expect(params.find((p) => p.name === "limit")).toMatchObject({ in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } });
    expect(params.find((p) => p.name === "status")?.schema.enum).toContain("awaiting_payment");
    expect(params.find((p) => p.name === "bot")).toMatchObject({ in: "path", required: true });
  });

  it("never writes a key to the log, whether it was good, revoked or in a URL", async () => {
    const { server, keys, as, lines } = await start();
    await as(keys.cafeRead)("GET", "/bots/cafe/orders?status=paid");
    await as(keys.revoked)("GET", "/bots/cafe/orders");
    await server.request("GET", `${API}/bots/cafe/orders?key=${keys.cafeWrite}`);
    server.app.log.warn(`a script sent ${keys.salonRead} as text`);
    await server.close();
    const log = lines.join("");
    expect(log).toContain("/admin/api/v1/bots/cafe/orders");
    for (const key of Object.values(keys)) expect(log).not.toContain(key.slice(-43));
    expect(log).toContain("kiosk_<redacted>");
  });

  it("moves an order paid in chat through fulfilment and cancels another with its refund: the customer is told, a read key may not, a stale action is 409", async () => {
    const { keys, as, server } = await start();
    const say = (customer: string, body: unknown) => server.request("POST", `/api/emulator/bots/cafe/customers/${customer}/events`, body);
    for (const customer of ["zoe", "yan"]) {
      for (const body of [{ text: "/start" }, { text: "2 croissants" }, { text: "no" }, { press: "Place order" }, { pay: "succeed" }]) expect((await say(customer, body)).status, JSON.stringify(body)).toBe(200);
    }
    const orders = ((await as(keys.cafeRead)("GET", "/bots/cafe/orders?channel=emulator")).body as { orders: Array<{ id: string; status: string }> }).orders;
    const [yans, zoes] = orders;
    expect(orders.map((o) => o.status)).toEqual(["paid", "paid"]);
    if (!yans || !zoes) throw new Error("two orders expected");

    const readOnly = await as(keys.cafeRead)("POST", `/bots/cafe/orders/${zoes.id}/status`, { to: "ready" });
    expect(readOnly.status).toBe(403);
    const ready = await server.request("POST", `${API}/bots/cafe/orders/${zoes.id}/status`, { to: "ready" }, { authorization: `Bearer ${keys.cafeWrite}`, "idempotency-key": "ready-1" });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ outcome: "done", order: { id: zoes.id, status: "ready" } });
    const again = await server.request("POST", `${API}/bots/cafe/orders/${zoes.id}/status`, { to: "ready" }, { authorization: `Bearer ${keys.cafeWrite}`, "idempotency-key": "ready-1" });
    expect(again.body).toMatchObject({ outcome: "duplicate", order: { status: "ready" } });
    const messages = (await server.request("GET", "/api/emulator/bots/cafe/customers/zoe/messages")).body as { messages: Array<{ text?: string }> };
    expect(messages.messages.map((m) => m.text).filter((t) => t?.includes("ready"))).toEqual([`Your order #${zoes.id} is ready at the counter.`]);
    const history = (await as(keys.cafeRead)("GET", `/bots/cafe/orders/${zoes.id}`)).body as { history: Array<{ to: string; cause: string }> };
    expect(history.history.at(-1)).toMatchObject({ to: "ready", cause: expect.stringMatching(/^ready by api key \d+$/) });

    const backwards = await as(keys.cafeWrite)("POST", `/bots/cafe/orders/${zoes.id}/status`, { to: "preparing" });
    expect(backwards.status).toBe(409);
    expect(backwards.body).toMatchObject({ error: { code: "conflict" } });
    const unknown = await as(keys.cafeWrite)("POST", `/bots/cafe/orders/${zoes.id}/status`, { to: "shipped" });
    expect(unknown.status).toBe(400);

    const cancelled = await as(keys.cafeWrite)("POST", `/bots/cafe/orders/${yans.id}/cancel`, { reason: "oven broke" });
    expect(cancelled.body).toMatchObject({ outcome: "done", order: { status: "refunded" } });
    const refunds = (await as(keys.cafeRead)("GET", "/bots/cafe/refunds")).body as { refunds: Array<{ order: string; amount: number; reason: string }> };
    expect(refunds.refunds.filter((r) => r.order === yans.id).map((r) => [r.amount, r.reason])).toEqual([[360, expect.stringMatching(/^cancelled by api key \d+: oven broke$/)]]);
    expect((await as(keys.cafeWrite)("POST", `/bots/cafe/orders/${yans.id}/cancel`, {})).status).toBe(409);
    expect((await as(keys.salonRead)("POST", `/bots/cafe/orders/${yans.id}/cancel`, {})).status).toBe(403);
  });
});
