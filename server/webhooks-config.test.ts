import { describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import { ConfigError, resolveConfig } from "./config.ts";
import { webhookEndpoints } from "./webhooks-config.ts";

const SECRET = "s3cr3t-value-of-24-chars";

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("webhook settings", () => {
  it("reads KIOSK_WEBHOOK_<BOT>_URL and _SECRET (over kiosk.config.ts), for a loaded bot", () => {
    const config = resolveConfig({
      env: { KIOSK_WEBHOOK_CAFE_URL: "https://shop.example.com/kiosk-events", KIOSK_WEBHOOK_CAFE_SECRET: SECRET },
      file: { webhooks: { cafe: { url: "https://old.example.com/hook", secret: "another-secret-of-24-ch", timeoutMs: 2500 } } },
    });
    expect(webhookEndpoints(config.webhooks, [cafe])).toEqual([{ botId: "cafe", url: "https://shop.example.com/kiosk-events", secret: SECRET, timeoutMs: 2500 }]);
    // A loopback receiver may be plain http (tests, a receiver on this machine).
    for (const url of ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]:9000/"]) {
      expect(problemsOf(() => resolveConfig({ env: { KIOSK_WEBHOOK_CAFE_URL: url, KIOSK_WEBHOOK_CAFE_SECRET: SECRET } }))).toEqual([]);
    }
    expect(resolveConfig({ env: {} }).webhooks).toEqual({});
  });

  it("names the variable of each bad value and never shows a secret", () => {
    const problems = [
      ...problemsOf(() => resolveConfig({ env: { KIOSK_WEBHOOK_CAFE_URL: "https://shop.example.com/hook" } })),
      ...problemsOf(() => resolveConfig({ env: { KIOSK_WEBHOOK_CAFE_SECRET: SECRET } })),
      ...problemsOf(() => resolveConfig({ env: { KIOSK_WEBHOOK_CAFE_URL: "http://shop.example.com/hook", KIOSK_WEBHOOK_CAFE_SECRET: "short-secret" } })),
      ...problemsOf(() => resolveConfig({ env: { KIOSK_WEBHOOK_CAFE_URL: `https://user:${SECRET}@shop.example.com/`, KIOSK_WEBHOOK_CAFE_SECRET: SECRET } })),
      ...problemsOf(() => resolveConfig({ env: {}, file: { webhooks: { cafe: { url: "https://a.example/", secret: SECRET, timeoutMs: 5, colour: 1 } } } })),
    ];
    expect(problems).toEqual([
      "KIOSK_WEBHOOK_CAFE_URL is set but KIOSK_WEBHOOK_CAFE_SECRET is not: set a secret of at least 16 characters (generate one with: openssl rand -hex 32) for Kiosk to sign each event with",
      "KIOSK_WEBHOOK_CAFE_SECRET is set but KIOSK_WEBHOOK_CAFE_URL is not: set the URL your receiver listens at, or unset the secret",
      "KIOSK_WEBHOOK_CAFE_URL must be the https URL of your webhook receiver, e.g. https://shop.example.com/kiosk-events (http only to 127.0.0.1, ::1 or localhost); got a http URL to shop.example.com",
      "KIOSK_WEBHOOK_CAFE_SECRET is 12 characters; a secret must be at least 16 characters (generate one with: openssl rand -hex 32)",
      "KIOSK_WEBHOOK_CAFE_URL must not carry a user name or password (they would be written in logs); the signature authenticates Kiosk to your receiver",
      "kiosk.config.ts: 'webhooks.cafe.colour' is not a key; keys are: url, secret, timeoutMs",
      "kiosk.config.ts: 'webhooks.cafe.timeoutMs' must be a whole number of ms from 100 to 30000, got 5",
    ]);
    expect(problems.join("\n")).not.toContain(SECRET);
    expect(problems.join("\n")).not.toContain("short-secret");
  });

  it("refuses a webhook for a bot that is not loaded, naming its variable", () => {
    const config = resolveConfig({ env: { KIOSK_WEBHOOK_BAKERY_URL: "https://shop.example.com/hook", KIOSK_WEBHOOK_BAKERY_SECRET: SECRET } });
    expect(problemsOf(() => webhookEndpoints(config.webhooks, [cafe]))).toEqual(["KIOSK_WEBHOOK_BAKERY_URL names no loaded bot; the bots are: cafe (KIOSK_WEBHOOK_CAFE_URL)"]);
  });
});
