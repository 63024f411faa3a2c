import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildShopApp, type ShopApp } from "./server.ts";

const running: Array<{ shop: ShopApp; dir: string }> = [];

async function start(): Promise<{ shop: ShopApp; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), "kiosk-embed-"));
  const shop = await buildShopApp({ db: join(dir, "kiosk.db"), logLevel: "silent" });
  running.push({ shop, dir });
  const url = await shop.app.listen({ port: 0, host: "127.0.0.1" });
  return { shop, url };
}

afterEach(async () => {
  for (const { shop, dir } of running.splice(0)) {
    await shop.app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const textsOf = async (response: Response) => ((await response.json()) as { messages: Array<{ text?: string }> }).messages.map((m) => m.text);

describe("Kiosk imported by package name and mounted in a shop's Fastify app", () => {
  it("serves the shop's own routes beside Kiosk's health check", async () => {
    const { url } = await start();
    expect(await (await fetch(`${url}/hours`)).json()).toEqual({ opens: "07:00", closes: "18:00", timeZone: "Europe/Paris" });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok", bots: ["bakery"], db: "ok" });
  });

  it("runs the shop's bot through Kiosk's emulator API, and the conversation is in Kiosk's store", async () => {
    const { shop, url } = await start();
    const chat = `${url}/api/emulator/bots/bakery/customers/alice/events`;
    expect(await textsOf(await post(chat, { text: "/start" }))).toEqual(["Bonjour! Le Fournil puts a loaf aside for you.", "Which loaf?"]);
    expect(await textsOf(await post(chat, { press: "Campagne" }))).toEqual(["Under which name?"]);
    expect(await textsOf(await post(chat, { text: "Alice" }))).toEqual(["Done: Campagne for Alice, at the counter until 6 pm."]);
    const conversation = await shop.kiosk.store.transaction((tx) => tx.loadConversation({ botId: "bakery", channel: "emulator", userId: "alice" }));
    expect(conversation).toMatchObject({ flowId: "hold", stepId: null });
    expect(conversation?.data).toMatchObject({ slots: { loaf: "Campagne", name: "Alice" } });
  });

  it("answers Kiosk's routes with Kiosk's errors, and leaves the shop's 404s to the shop", async () => {
    const { url } = await start();
    const refused = await fetch(`${url}/api/emulator/bots/bakery/customers/alice/events`, { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    expect(refused.status).toBe(415);
    expect(await refused.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    const missing = await fetch(`${url}/menu`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: "Route GET:/menu not found", statusCode: 404 });
  });

  it("closes Kiosk with the app: the store is closed and a second close is harmless", async () => {
    const { shop } = await start();
    await shop.app.close();
    await expect(shop.kiosk.store.transaction((tx) => tx.loadConversation({ botId: "bakery", channel: "emulator", userId: "alice" }))).rejects.toThrow();
    await shop.kiosk.close();
  });
});
