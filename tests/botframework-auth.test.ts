/**
 * Bot Framework authentication on /api/messages: with an app id, the
 * channel's signed token is required and replies carry a token from the
 * login endpoint; without one, beside a real channel, the endpoint is off.
 */
import { globalAgent } from "node:https";
import { describe, expect, it } from "vitest";
import { startBanner } from "../cli/serve.ts";
import { useFakeConnector, type FakeConnector } from "./fakes/botframework-connector.ts";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness } from "./helpers.ts";
import { startTelegram } from "./telegram-harness.ts";
import { BOT_ACCOUNT, BotFramework, startBotFramework } from "./botframework-harness.ts";

describe("Bot Framework: /api/messages", () => {
  const harness = useHarness();
  let fake: FakeConnector;
  useFakeConnector((started) => (fake = started));

  it("with an app id, refuses (401) a request without a token, with a malformed one, or one not issued by the Bot Framework, and stores nothing", async () => {
    const bf = await startBotFramework(harness, fake, {
      channels: { botframework: { appId: "8c3c7a2e-5c1f-4b8e-9a57-3f1d2c4b5a69", appPassword: "not-a-real-secret", appType: "MultiTenant" } },
    });
    const alice = bf.customer("alice");
    const unsigned = (claims: Record<string, unknown>) =>
      [{ alg: "none", typ: "JWT" }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString("base64url")).join(".") + ".";
    const foreign = unsigned({ iss: "https://issuer.example", aud: "8c3c7a2e-5c1f-4b8e-9a57-3f1d2c4b5a69", serviceurl: fake.url, exp: Math.floor(Date.now() / 1000) + 600 });
    const attempts: Array<Record<string, string>> = [{}, { authorization: "Bearer" }, { authorization: "Bearer not-a-jwt" }, { authorization: "Basic YWxpY2U6c2VjcmV0" }, { authorization: `Bearer ${foreign}` }];
    for (const headers of attempts) {
      const res = await bf.post(alice.activity({ text: "/start" }), { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: "unauthorized" } });
    }
    // On /api/messages/:bot too.
    expect((await bf.post(alice.activity({ text: "/start" }), { path: "/api/messages/cafe" })).status).toBe(401);
    expect(await bf.server.store.botFrameworkReference("cafe", alice.kioskId)).toBeUndefined();
    expect(await bf.server.store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: "botframework", userId: alice.kioskId }))).toBeUndefined();
    expect(fake.calls).toHaveLength(0);
  });

  it("with an app id, accepts a token signed by the channel's published key for this app and service URL, and refuses one for another app, URL or key", async () => {
    const appId = "8c3c7a2e-5c1f-4b8e-9a57-3f1d2c4b5a69";
    const bf = await startBotFramework(harness, fake, {
      channels: { botframework: { appId, appPassword: "not-a-real-secret", appType: "MultiTenant", openIdMetadataUrl: fake.openIdMetadataUrl } },
    });
    const alice = bf.customer("alice");
    // Activities that need no reply: a real send would fetch a token from Microsoft's login endpoint.
    const joinOnlyBot = alice.activity({ type: "conversationUpdate", membersAdded: [BOT_ACCOUNT] });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const good = fake.channelToken({ aud: appId, serviceurl: fake.url });
    const accepted = await bf.post(joinOnlyBot, { headers: bearer(good) });
    expect(accepted.status, accepted.text).toBe(200);
    expect((await bf.post(alice.activity({ type: "typing" }), { headers: bearer(good) })).status).toBe(200);
    for (const token of [
      fake.channelToken({ aud: "00000000-0000-0000-0000-000000000001", serviceurl: fake.url }),
      fake.channelToken({ aud: appId, serviceurl: "https://elsewhere.example/" }),
      fake.channelToken({ aud: appId, serviceurl: fake.url }, { otherKey: true }),
      fake.channelToken({ aud: appId, serviceurl: fake.url, exp: Math.floor(Date.now() / 1000) - 3600 }),
    ]) {
      const res = await bf.post(joinOnlyBot, { headers: bearer(token) });
      expect(res.status, res.text).toBe(401);
    }
    expect(fake.calls).toHaveLength(0);
  });

  it("with an app id, sends replies with a Bearer token from the login endpoint (client credentials of the app), requested once and reused", async () => {
    await fake.startLogin();
    // As NODE_EXTRA_CA_CERTS would: MSAL's requests go through the global agent.
    const trusted = globalAgent.options.ca;
    globalAgent.options.ca = fake.loginCertificate;
    try {
      // An app id of its own: botbuilder caches tokens per app id and scope for the whole process.
      const appId = "3e5d0c2a-9b7f-4e61-8d2c-5a4b3c2d1e0f";
      const bf = await startBotFramework(harness, fake, {
        channels: { botframework: { appId, appPassword: "fake-client-secret", appType: "MultiTenant", openIdMetadataUrl: fake.openIdMetadataUrl, loginUrl: fake.loginUrl } },
      });
      const alice = bf.customer("alice");
      const authorization = { authorization: `Bearer ${fake.channelToken({ aud: appId, serviceurl: fake.url })}` };
      const start = await bf.post(alice.activity({ text: "/start", textFormat: "plain" }), { headers: authorization });
      expect(start.status, start.text).toBe(200);
      await bf.settle();
      expect(alice.texts()[0]).toBe("Welcome to Café Lumière! ☕");
      expect(fake.tokenRequests).toEqual([{ grantType: "client_credentials", clientId: appId, clientSecret: "fake-client-secret", scope: "https://api.botframework.com/.default" }]);
      const token = fake.accessToken;
      expect(token).toMatch(/^fake-access-token-/);
      const first = alice.calls().length;
      expect(first).toBeGreaterThan(0);

      const menu = await bf.post(alice.activity({ text: "menu", textFormat: "plain" }), { headers: authorization });
      expect(menu.status, menu.text).toBe(200);
      await bf.settle();
      expect(alice.calls().length).toBeGreaterThan(first);
      // Every send, in both turns, carried the one token; the second turn asked for none.
      expect(new Set(alice.calls().map((c) => c.authorization))).toEqual(new Set([`Bearer ${token}`]));
      expect(fake.tokenRequests).toHaveLength(1);
    } finally {
      globalAgent.options.ca = trusted;
    }
  });
});

/**
 * A server with a real channel is in production mode: its runtime serves
 * real customers, stock and slots. Without KIOSK_MS_APP_ID nothing would
 * guard /api/messages but the activity's serviceUrl, which the sender
 * writes, so there the endpoint is off. (In emulator mode the same activity
 * is served: "takes a cafe order" in botframework.test.ts; with an app id it
 * is a real, authenticated channel: "pays a salon deposit" there, and
 * tests/checkout.test.ts.)
 */
describe("Bot Framework beside a real channel, without an app id", () => {
  const harness = useHarness();
  let telegramApi: FakeBotApi;
  useFakeBotApi((started) => (telegramApi = started));
  let fake: FakeConnector;
  useFakeConnector((started) => (fake = started));

  it("answers 404 naming KIOSK_MS_APP_ID to a loopback Web Chat activity on both paths, stores nothing, sends nothing, and the banner says it is off", async () => {
    const telegram = await startTelegram(harness, telegramApi);
    const { server } = telegram;
    expect(server.mode).toMatchObject({ kind: "production", channels: ["telegram"] });
    const bf = new BotFramework(server, fake);
    const mallory = bf.customer("mallory");
    // The whole cafe order, as an open endpoint would have taken it: the last croissants reserved for a stranger.
    for (const text of ["/start", "Pastries", "croissant", "2", "No", "Place order"]) {
      for (const path of ["/api/messages", "/api/messages/cafe"]) {
        const res = await bf.post(mallory.activity({ text, textFormat: "plain" }), { path });
        expect(res.status, `${path} ${text}: ${res.text}`).toBe(404);
        expect(JSON.parse(res.text)).toMatchObject({ error: { code: "not_found", message: expect.stringContaining("KIOSK_MS_APP_ID") } });
      }
    }
    expect(await server.store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: "botframework", userId: mallory.kioskId }))).toBeUndefined();
    expect(await server.store.botFrameworkReference("cafe", mallory.kioskId)).toBeUndefined();
    expect(await server.store.listOrders({ botId: "cafe" })).toEqual([]);
    expect(await server.store.conversationOutbox({ botId: "cafe", channel: "botframework", userId: mallory.kioskId })).toEqual([]);
    expect(await server.store.pendingOutbox(new Date(server.clock.now().getTime() + 86_400_000), 10)).toEqual([]);
    expect(fake.calls).toHaveLength(0);
    expect(startBanner(server, server.config)).toContain("mode: production: real channels telegram on real time; /api/messages off: no KIOSK_MS_APP_ID\n");
  });
});
