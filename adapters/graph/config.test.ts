import { settingsOf } from "../registry.ts";
import { messengerChannel } from "../messenger/channel.ts";
import { messengerSettings } from "../messenger/config.ts";
import { whatsappChannel } from "../whatsapp/channel.ts";
import { whatsappSettings } from "../whatsapp/config.ts";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../server/config.ts";
import { resolveGraphSettings } from "./config.ts";

/** Meta's whole settings: the app's part with both channels' bots, read together. */
const resolveMetaConfig = (input: Parameters<typeof resolveGraphSettings>[0]) => resolveGraphSettings(input, [messengerSettings, whatsappSettings]);

const resolve = (env: Record<string, string>) => {
  const problems: string[] = [];
  const config = resolveMetaConfig({ env, problems });
  return { config, problems };
};
const base = { KIOSK_META_APP_SECRET: "0123456789abcdef0123456789abcdef", KIOSK_META_VERIFY_TOKEN: "verify-token-0001" };
const TOKEN = "EAAGtestWhatsAppSystemUserToken00000001";

describe("Messenger and WhatsApp settings", () => {
  it("is undefined when nothing is set, and reads every bot's settings", () => {
    expect(resolve({ KIOSK_TELEGRAM_SECRET: "x" }).config).toBeUndefined();
    const { config, problems } = resolve({
      ...base,
      KIOSK_GRAPH_API_BASE: "http://127.0.0.1:9999/",
      KIOSK_MESSENGER_CAFE_PAGE_TOKEN: TOKEN,
      KIOSK_WHATSAPP_SALON_PHONE_NUMBER_ID: "106540352242922",
      KIOSK_WHATSAPP_SALON_TOKEN: TOKEN,
      KIOSK_WHATSAPP_SALON_REMINDER_TEMPLATE: "appointment_reminder:fr",
      KIOSK_WHATSAPP_SALON_ORDER_TEMPLATE: "order_update",
      KIOSK_WHATSAPP_SALON_CATALOG_ID: "1584239335476712",
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      apiBase: "http://127.0.0.1:9999",
      apiVersion: "v21.0",
      messenger: { CAFE: { token: TOKEN, from: "KIOSK_MESSENGER_CAFE_PAGE_TOKEN" } },
      whatsapp: { SALON: { phoneNumberId: "106540352242922", token: TOKEN, reminderTemplate: { name: "appointment_reminder", language: "fr" }, orderTemplate: { name: "order_update", language: "en" }, catalogId: "1584239335476712" } },
    });
  });

  it("names what to set for each bad or missing value, never echoing a token", () => {
    const { problems } = resolve({
      KIOSK_WHATSAPP_CAFE_TOKEN: TOKEN,
      KIOSK_WHATSAPP_SALON_PHONE_NUMBER_ID: "+33 6 12 34 56 78",
      KIOSK_WHATSAPP_SALON_TOKEN: "tiny",
      KIOSK_WHATSAPP_CAFE_REMINDER_TEMPLATE: "Bad Name!",
      KIOSK_GRAPH_API_BASE: "graph.facebook.com",
    });
    expect(problems).toEqual([
      "KIOSK_GRAPH_API_BASE must be an http(s) URL such as https://graph.facebook.com, got 'graph.facebook.com'",
      "KIOSK_WHATSAPP_CAFE_REMINDER_TEMPLATE must name an approved template as name or name:language, e.g. booking_reminder:en_US; got 'Bad Name!'",
      "KIOSK_WHATSAPP_SALON_PHONE_NUMBER_ID must be the phone number ID (digits) from WhatsApp Manager → API Setup, not the phone number itself; got '+33 6 12 34 56 78'",
      "KIOSK_WHATSAPP_SALON_TOKEN must be a system user access token with whatsapp_business_messaging (got 4 characters that are not one)",
      "KIOSK_WHATSAPP_CAFE_TOKEN is set but KIOSK_WHATSAPP_CAFE_PHONE_NUMBER_ID (or phoneNumberId in kiosk.config.ts) is not: set it to the bot's phone number ID",
      "KIOSK_META_APP_SECRET (or 'meta.appSecret' in kiosk.config.ts) must be set when a Messenger or WhatsApp bot is: the App Secret (App settings → Basic) that signs webhooks in X-Hub-Signature-256",
      "KIOSK_META_VERIFY_TOKEN (or 'meta.verifyToken' in kiosk.config.ts) must be set when a Messenger or WhatsApp bot is: any secret string, the same you type as Verify Token in the app's Webhooks settings",
    ]);
    expect(problems.join("\n")).not.toContain(TOKEN);
  });

  it("takes the same settings from 'meta' in kiosk.config.ts, the variables winning, and names the file's key in problems", () => {
    const { config, problems } = resolve({ KIOSK_META_VERIFY_TOKEN: "from-env-verify-token" });
    expect([config?.verifyToken, problems]).toEqual(["from-env-verify-token", []]);
    const file = {
      meta: {
        appSecret: "0123456789abcdef0123456789abcdef",
        verifyToken: "from-file-verify-token",
        apiVersion: "v22.0",
        messenger: { cafe: { pageToken: TOKEN } },
        whatsapp: { "my-salon": { phoneNumberId: "106540352242922", token: TOKEN, reminderTemplate: "appointment_reminder:fr" } },
      },
    };
    const server = resolveConfig({ env: { KIOSK_META_VERIFY_TOKEN: "from-env-verify-token" }, file });
    // Each channel reads the app's part and its own bots; together they are the whole of `meta`.
    const merged = { ...settingsOf(server, messengerChannel), ...settingsOf(server, whatsappChannel) };
    expect(merged).toMatchObject({
      appSecret: "0123456789abcdef0123456789abcdef",
      verifyToken: "from-env-verify-token",
      apiVersion: "v22.0",
      messenger: { CAFE: { token: TOKEN, from: "kiosk.config.ts: 'meta.messenger.cafe.pageToken'" } },
      whatsapp: { MY_SALON: { phoneNumberId: "106540352242922", token: TOKEN, reminderTemplate: { name: "appointment_reminder", language: "fr" } } },
    });

    const bad: string[] = [];
    resolveMetaConfig({
      env: {},
      problems: bad,
      fileName: "kiosk.config.ts",
      file: { appSecret: "s", verifyToken: "v", colour: 1, messenger: { cafe: { pageToken: "tiny", page: 1 } }, whatsapp: { salon: { phoneNumberId: 1065, token: TOKEN } } },
    });
    expect(bad).toEqual([
      "kiosk.config.ts: unknown key 'meta.colour'; keys are: appSecret, verifyToken, apiBase, apiVersion, messenger, whatsapp",
      "kiosk.config.ts: 'meta.messenger.cafe': unknown key 'page'; keys are: pageToken",
      "kiosk.config.ts: 'meta.whatsapp.salon.phoneNumberId' must be a string, got number",
      "kiosk.config.ts: 'meta.appSecret' is 1 character; a secret must be at least 16 characters (generate one with: openssl rand -hex 32)",
      "kiosk.config.ts: 'meta.verifyToken' is 1 character; a secret must be at least 16 characters (generate one with: openssl rand -hex 32)",
      "kiosk.config.ts: 'meta.messenger.cafe.pageToken' must be the Page access token from the app's Messenger settings (got 4 characters that are not one)",
      "kiosk.config.ts: 'meta.whatsapp.salon.token' is set but KIOSK_WHATSAPP_SALON_PHONE_NUMBER_ID (or phoneNumberId in kiosk.config.ts) is not: set it to the bot's phone number ID",
    ]);
    expect(bad.join("\n")).not.toContain(TOKEN);
  });

  it("refuses an app secret or verify token under 16 characters, naming the variable, never the value", () => {
    const { problems } = resolve({ KIOSK_META_APP_SECRET: "s3cret", KIOSK_META_VERIFY_TOKEN: "verify", KIOSK_MESSENGER_CAFE_PAGE_TOKEN: TOKEN });
    expect(problems).toEqual([
      "KIOSK_META_APP_SECRET is 6 characters; a secret must be at least 16 characters (generate one with: openssl rand -hex 32)",
      "KIOSK_META_VERIFY_TOKEN is 6 characters; a secret must be at least 16 characters (generate one with: openssl rand -hex 32)",
    ]);
    expect(problems.join("\n")).not.toMatch(/s3cret|'verify'/);
  });
});
