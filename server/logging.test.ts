/**
 * The log of a real server (pino, captured from its stream) through what
 * used to leak: Meta's verification handshake (the verify token in the
 * URL), a WhatsApp send refused by the Graph API (the customer's phone
 * number, which is their WhatsApp id), and grammY errors (a bot token in a
 * failed fetch's URL, a message's text in the call's payload).
 */
import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { hubSignature } from "../adapters/graph/index.ts";
import cafe from "../bots/cafe/index.ts";
import { FakeGraphApi, whatsappWebhook } from "../tests/fakes/graph-api.ts";
import { useHarness } from "../tests/helpers.ts";
import { resolveConfig } from "./config.ts";
import { redactQuery, scrubSecrets } from "./logging.ts";
import { startServer } from "./serve.ts";

const APP_SECRET = "fedcba9876543210fedcba9876543210";
const VERIFY_TOKEN = "kiosk-wa-verify-7b1e52c9d0a4";
const WA_TOKEN = "EAAGtestWhatsAppSystemUserToken00000001";
const PHONE_NUMBER_ID = "106540352242922";
/** The customer's WhatsApp id: their phone number. */
const PHONE = "33612345678";
const BOT_TOKEN = "7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";
const TEXT = "Deliver to 12 rue des Lilas please";

describe("the server's log", () => {
  const harness = useHarness();

  it("carries neither the verify token, nor the customer's phone number, nor a bot token or message text, and still says what happened", async () => {
    const graph = await FakeGraphApi.start();
    harness.defer(() => graph.close());
    const lines: string[] = [];
    const stream = { write: (line: string) => void lines.push(line) };
    const env = {
      KIOSK_GRAPH_API_BASE: graph.url,
      KIOSK_META_APP_SECRET: APP_SECRET,
      KIOSK_META_VERIFY_TOKEN: VERIFY_TOKEN,
      KIOSK_WHATSAPP_CAFE_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      KIOSK_WHATSAPP_CAFE_TOKEN: WA_TOKEN,
    };
    const config = { ...resolveConfig({ env }), port: 0, host: "127.0.0.1", db: harness.db };
    const server = await startServer({ config, bots: [cafe], logger: { level: "info", stream } });
    harness.defer(() => server.close());

    // Meta's verification handshake, as Meta sends it.
    const handshake = await fetch(`${server.url}/whatsapp/cafe/webhook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`);
    expect(handshake.status).toBe(200);

    // A customer writes; Meta refuses the reply (an expired access token, Graph error 190).
    graph.fail({ times: 1, status: 401, code: 190, message: "Error validating access token: Session has expired" });
    const body = JSON.stringify(
      whatsappWebhook(PHONE_NUMBER_ID, {
        contacts: [{ profile: { name: "Ana Lima" }, wa_id: PHONE }],
        messages: [{ from: PHONE, id: "wamid.HBgLMzM2MTIzNDU2NzgVAgASGBQzQUI0NkE4NjM1QTU2NjVGOURGQgA=", timestamp: "1750857384", type: "text", text: { body: TEXT } }],
      }),
    );
    const posted = await fetch(`${server.url}/whatsapp/cafe/webhook`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": hubSignature(body, APP_SECRET) }, body });
    expect(posted.status).toBe(200);
    for (const deadline = Date.now() + 8000; !lines.some((l) => l.includes("outbox message")); ) {
      if (Date.now() > deadline) throw new Error(`no send failure was logged:\n${lines.join("")}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    // grammY's errors as grammY makes them: a failed fetch naming the Bot API URL, a refused call with its payload.
    const fetchFailed = new Error(`request to https://api.telegram.org/bot${BOT_TOKEN}/sendMessage failed, reason: connect ECONNREFUSED`);
    server.app.log.warn({ err: new HttpError("Network request for 'sendMessage' failed!", fetchFailed) }, "telegram: answerCallbackQuery for bot cafe failed");
    server.app.log.warn({ err: new GrammyError("Call to 'editMessageText' failed!", { ok: false, error_code: 400, description: "Bad Request: message is not modified" }, "editMessageText", { chat_id: 42, text: TEXT }) }, "telegram: bot cafe: the buttons were not taken off");
    server.app.log.info(`telegram: bot cafe webhook set via https://api.telegram.org/bot${BOT_TOKEN}/setWebhook`);
    await server.close();

    const log = lines.join("");
    for (const secret of [VERIFY_TOKEN, PHONE, BOT_TOKEN, WA_TOKEN, TEXT, "Ana Lima", "MzM2MTIzNDU2Nzg"]) expect(log, `the log holds '${secret}'`).not.toContain(secret);
    const entries = lines.map((l) => JSON.parse(l) as { msg?: string; req?: { url: string }; res?: { statusCode: number }; err?: { message: string; type: string } });
    // What happened is still there: the handshake's route and answer, the refused send with its cause, the errors' kinds.
    expect(entries.find((e) => e.req?.url.startsWith("/whatsapp/cafe/webhook?"))?.req?.url).toBe("/whatsapp/cafe/webhook?hub.mode=…&hub.challenge=…&hub.verify_token=…");
    expect(entries.some((e) => e.res?.statusCode === 200)).toBe(true);
    const failed = entries.find((e) => e.msg?.startsWith("outbox message"));
    expect(failed?.msg).toMatch(/^outbox message \d+ to whatsapp\/…5678$/);
    expect(failed?.err?.message).toMatch(/^whatsapp \w+ to …5678 \(bot cafe, outbox \d+\): 401 \(#190\) Error validating access token: Session has expired/);
    expect(entries.find((e) => e.err?.type === "HttpError")?.err?.message).toContain("Network request for 'sendMessage' failed!");
    expect(log).toContain("bot7012345678:<token>/sendMessage");
    expect(entries.find((e) => e.err?.type === "GrammyError")?.err).toMatchObject({ message: "Call to 'editMessageText' failed! (400: Bad Request: message is not modified)", method: "editMessageText" });
  });
});

describe("log redaction", () => {
  it("keeps a URL's path and query names, not its values", () => {
    expect(redactQuery("/whatsapp/cafe/webhook")).toBe("/whatsapp/cafe/webhook");
    expect(redactQuery("/messenger/cafe/webhook?hub.verify_token=s3cret&hub.mode=subscribe")).toBe("/messenger/cafe/webhook?hub.verify_token=…&hub.mode=…");
  });

  it("takes tokens out of any text", () => {
    expect(scrubSecrets(`GET https://api.telegram.org/bot${BOT_TOKEN}/getMe`)).toBe("GET https://api.telegram.org/bot7012345678:<token>/getMe");
    expect(scrubSecrets("authorization: Bearer EAAGtestWhatsAppSystemUserToken00000001")).toBe("authorization: Bearer <redacted>");
  });
});
