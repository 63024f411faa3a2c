import type { FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import { openSqliteStore, type Store } from "../store/index.ts";
import { useHarness } from "../tests/helpers.ts";
import { buildApp } from "./app.ts";
import { HttpError } from "../adapters/errors.ts";

describe("HTTP app", () => {
  const harness = useHarness();

  async function listen(store: Store, register?: (app: FastifyInstance) => void) {
    const app = buildApp({ store, bots: () => ["cafe"], bodyLimit: 2048, logger: false });
    register?.(app);
    harness.defer(() => app.close());
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    return { app, url };
  }

  it("GET /healthz answers ok with the bots once the store answers, and 503 when it does not", async () => {
    const store = openSqliteStore({ file: harness.db });
    const { url } = await listen(store);
    const ok = await fetch(`${url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok", bots: ["cafe"], db: "ok" });

    await store.close();
    const down = await fetch(`${url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "error", bots: ["cafe"], db: "error" });
  });

  it("keeps the raw body for signature checks and parses the JSON", async () => {
    const store = openSqliteStore({ file: harness.db });
    harness.defer(() => store.close());
    const { url } = await listen(store, (app) => {
      app.post("/echo", async (request) => ({ raw: request.rawBody?.toString("utf8"), parsed: request.body }));
    });
    const body = '{ "a" : 1 }';
    const res = await fetch(`${url}/echo`, { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body });
    expect(await res.json()).toEqual({ raw: body, parsed: { a: 1 } });
  });

  it("answers 4xx as {error:{code,message}} and hides 5xx causes and stacks", async () => {
    const store = openSqliteStore({ file: harness.db });
    harness.defer(() => store.close());
    const { url } = await listen(store, (app) => {
      app.get("/teapot", async () => {
        throw new HttpError(409, "conflict", "already brewing");
      });
      app.post("/echo", async (request) => request.body);
      app.get("/boom", async () => {
        throw new Error("secret database password in here");
      });
    });
    const teapot = await fetch(`${url}/teapot`);
    expect(teapot.status).toBe(409);
    expect(await teapot.json()).toEqual({ error: { code: "conflict", message: "already brewing" } });

    const boom = await fetch(`${url}/boom`);
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toContain("secret");
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: expect.stringMatching(/^internal error/) } });

    const big = await fetch(`${url}/healthz`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ x: "y".repeat(4096) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: { code: "body_too_large", message: expect.any(String) } });

    const media = await fetch(`${url}/echo`, { method: "POST", headers: { "content-type": "text/xml" }, body: "<a/>" });
    expect(media.status).toBe(415);
    expect(await media.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    // Fastify parses text/plain on its own unless told otherwise: a JSON text sent as text/plain is refused too.
    const plain = await fetch(`${url}/echo`, { method: "POST", headers: { "content-type": "text/plain; charset=utf-8" }, body: '{"a":1}' });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toEqual({
      error: { code: "unsupported_media_type", message: "the body must be JSON sent with content-type application/json; got 'text/plain; charset=utf-8'" },
    });

    const missing = await fetch(`${url}/nope?x=1`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "no route GET /nope" } });
  });
});
