import { settingsOf } from "../registry.ts";
import { botframeworkChannel } from "./channel.ts";
import { describe, expect, it } from "vitest";
import { ConfigError, resolveConfig } from "../../server/config.ts";

const APP_ID = "8c3c7a2e-5c1f-4b8e-9a57-3f1d2c4b5a69";
const PASSWORD = "client-secret-of-40-characters-000000000";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

function problems(env: Record<string, string>): readonly string[] {
  try {
    resolveConfig({ env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("Bot Framework configuration (KIOSK_MS_*)", () => {
  it("is absent when nothing is set, and reads an app registration", () => {
    expect(settingsOf(resolveConfig({ env: {} }), botframeworkChannel)).toBeUndefined();
    expect(settingsOf(resolveConfig({ env: { KIOSK_MS_APP_ID: APP_ID, KIOSK_MS_APP_PASSWORD: "s3cret-client-secret-0001", KIOSK_MS_TENANT_ID: TENANT, KIOSK_MS_APP_TYPE: "singletenant", KIOSK_BOTFRAMEWORK_BOT: "salon" } }), botframeworkChannel)).toEqual({
      appId: APP_ID,
      appPassword: "s3cret-client-secret-0001",
      tenantId: TENANT,
      appType: "SingleTenant",
      bot: "salon",
    });
  });

  it("names what to set for each missing or bad value, never echoing the password", () => {
    expect(problems({ KIOSK_MS_APP_ID: APP_ID })).toEqual([expect.stringContaining("KIOSK_MS_APP_PASSWORD must be set when KIOSK_MS_APP_ID is")]);
    expect(problems({ KIOSK_MS_APP_PASSWORD: PASSWORD })).toEqual([expect.stringContaining("KIOSK_MS_APP_PASSWORD is set but KIOSK_MS_APP_ID is not")]);
    expect(problems({ KIOSK_MS_APP_ID: "my-bot", KIOSK_MS_APP_PASSWORD: PASSWORD })).toEqual([expect.stringContaining("KIOSK_MS_APP_ID must be the Microsoft App ID")]);
    expect(problems({ KIOSK_MS_APP_ID: APP_ID, KIOSK_MS_APP_PASSWORD: PASSWORD, KIOSK_MS_APP_TYPE: "SingleTenant" })).toEqual([expect.stringContaining("KIOSK_MS_TENANT_ID must be set when KIOSK_MS_APP_TYPE is SingleTenant")]);
    expect(problems({ KIOSK_MS_APP_ID: APP_ID, KIOSK_MS_APP_PASSWORD: PASSWORD, KIOSK_MS_APP_TYPE: "UserAssignedMSI" })).toEqual([expect.stringContaining("KIOSK_MS_APP_TYPE must be MultiTenant or SingleTenant")]);
    expect(problems({ KIOSK_BOTFRAMEWORK_OPENID_METADATA_URL: "login.example" })).toEqual([expect.stringContaining("KIOSK_BOTFRAMEWORK_OPENID_METADATA_URL must be an http(s) URL")]);
    expect(problems({ KIOSK_MS_APP_ID: APP_ID, KIOSK_MS_APP_PASSWORD: PASSWORD, KIOSK_BOTFRAMEWORK_LOGIN_URL: "http://login.example/botframework.com" })).toEqual([expect.stringContaining("KIOSK_BOTFRAMEWORK_LOGIN_URL must be the https URL of the token authority")]);
    expect(problems({ KIOSK_BOTFRAMEWORK_LOGIN_URL: "https://login.example/botframework.com" })).toEqual([expect.stringContaining("KIOSK_BOTFRAMEWORK_LOGIN_URL is set but KIOSK_MS_APP_ID is not")]);
    expect(settingsOf(resolveConfig({ env: { KIOSK_MS_APP_ID: APP_ID, KIOSK_MS_APP_PASSWORD: PASSWORD, KIOSK_BOTFRAMEWORK_LOGIN_URL: "https://login.example/botframework.com" } }), botframeworkChannel)?.loginUrl).toBe("https://login.example/botframework.com");
    expect(problems({ KIOSK_BOTFRAMEWORK_BOT: "no such bot!" })).toEqual([expect.stringContaining("KIOSK_BOTFRAMEWORK_BOT must be the id of a loaded bot")]);
    expect(problems({ KIOSK_MS_APP_PASSWORD: "s3cret-value" }).join(" ")).not.toContain("s3cret-value");
  });

  it("refuses a password under 16 characters, naming the variable and its length, not its value", () => {
    expect(problems({ KIOSK_MS_APP_ID: APP_ID, KIOSK_MS_APP_PASSWORD: "s3cret-value" })).toEqual([
      "KIOSK_MS_APP_PASSWORD is 12 characters; a secret must be at least 16 characters (generate one with: openssl rand -hex 32); Azure's client secrets are about 40",
    ]);
    expect(problems({ KIOSK_MS_APP_ID: APP_ID, KIOSK_MS_APP_PASSWORD: "0123456789abcdef" })).toEqual([]);
  });
});
