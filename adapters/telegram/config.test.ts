import { settingsOf } from "../registry.ts";
import { telegramChannel } from "./channel.ts";
import { describe, expect, it } from "vitest";
import cafe from "../../bots/cafe/index.ts";
import { useHarness } from "../../tests/helpers.ts";
import { ConfigError, resolveConfig } from "../../server/config.ts";
import { startServer } from "../../server/serve.ts";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("Telegram config", () => {
  const harness = useHarness();

  it("is absent when nothing about Telegram is set", () => {
    expect(settingsOf(resolveConfig({ env: {} }), telegramChannel)).toBeUndefined();
  });

  it("reads tokens, the secret, the API root and the provider token from the environment over the file", () => {
    const config = resolveConfig({
      env: { KIOSK_TELEGRAM_CAFE_TOKEN: TOKEN, KIOSK_TELEGRAM_SECRET: "s3cret-webhook-0001", KIOSK_TELEGRAM_API_ROOT: "http://127.0.0.1:9/", KIOSK_TELEGRAM_PROVIDER_TOKEN: "284685063:TEST:x" },
      file: { telegram: { secret: "from-file-secret-0001", tokens: { "my-shop": TOKEN } } },
    });
    expect(settingsOf(config, telegramChannel)).toEqual({
      tokens: { CAFE: { token: TOKEN, from: "KIOSK_TELEGRAM_CAFE_TOKEN" }, MY_SHOP: { token: TOKEN, from: "kiosk.config.ts: 'telegram.tokens.my-shop'" } },
      secret: "s3cret-webhook-0001",
      apiRoot: "http://127.0.0.1:9",
      providerToken: "284685063:TEST:x",
      mode: "webhook",
      pacing: { perBot: { perSecond: 30, burst: 30 }, perChat: { perSecond: 1, burst: 3 } },
      merchantChats: {},
    });
  });

  it("reads each bot's merchant chat from KIOSK_MERCHANT_<BOT> (over the file) and names what to fix", () => {
    const config = resolveConfig({
      env: { KIOSK_TELEGRAM_CAFE_TOKEN: TOKEN, KIOSK_MERCHANT_CAFE: "telegram:-1001234567890" },
      file: { telegram: { tokens: { salon: TOKEN }, merchantChats: { cafe: 42, salon: 77 } } },
    });
    expect(settingsOf(config, telegramChannel)?.merchantChats).toEqual({
      CAFE: { chatId: "-1001234567890", from: "KIOSK_MERCHANT_CAFE" },
      SALON: { chatId: "77", from: "kiosk.config.ts: 'telegram.merchantChats.salon'" },
    });
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_TELEGRAM_CAFE_TOKEN: TOKEN, KIOSK_MERCHANT_CAFE: "whatsapp:+33612345678", KIOSK_MERCHANT_SALON: "telegram:@staff", KIOSK_MERCHANT_QUIZ: "telegram:-99999999999999999" } }))).toEqual([
      expect.stringMatching(/^KIOSK_MERCHANT_CAFE: merchant chats are on Telegram only so far; set telegram:<chat id>/),
      expect.stringMatching(/^KIOSK_MERCHANT_SALON must be telegram:<chat id>, an integer \(negative for a group\)/),
      expect.stringMatching(/^KIOSK_MERCHANT_QUIZ must be telegram:<chat id>/),
    ]);
    // Sent with the bot's own token: a merchant chat for a bot not on Telegram is refused, naming the token to set.
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_MERCHANT_CAFE: "telegram:-100123" } }))).toEqual([
      "KIOSK_MERCHANT_CAFE: the merchant chat is sent to by the bot on Telegram; set KIOSK_TELEGRAM_CAFE_TOKEN (or 'telegram.tokens') for it too",
    ]);
  });

  it("reads pacing from the file and the environment (which wins), 0 turning a rate off, and names what to fix", () => {
    const config = resolveConfig({
      env: { KIOSK_TELEGRAM_CAFE_TOKEN: TOKEN, KIOSK_TELEGRAM_RATE_PER_BOT: "0", KIOSK_TELEGRAM_RATE_PER_CHAT: "5", KIOSK_TELEGRAM_BURST_PER_CHAT: "2" },
      file: { telegram: { ratePerBot: 20, burstPerBot: 10, ratePerChat: 0.5 } },
    });
    expect(settingsOf(config, telegramChannel)?.pacing).toEqual({ perBot: { perSecond: 0, burst: 10 }, perChat: { perSecond: 5, burst: 2 } });
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_TELEGRAM_RATE_PER_CHAT: "-1", KIOSK_TELEGRAM_BURST_PER_BOT: "0" }, file: { telegram: { ratePerBot: "fast" } } }))).toEqual([
      expect.stringMatching(/^kiosk.config.ts: 'telegram.ratePerBot' must be messages a second, a number ≥ 0 \(0 turns the limit off/),
      expect.stringMatching(/^KIOSK_TELEGRAM_BURST_PER_BOT must be how many messages may go at once, a number ≥ 1/),
      expect.stringMatching(/^KIOSK_TELEGRAM_RATE_PER_CHAT must be messages a second, a number ≥ 0/),
    ]);
  });

  it("names what to set for each bad value, without echoing a token", () => {
    const problems = problemsOf(() => resolveConfig({ env: { KIOSK_TELEGRAM_CAFE_TOKEN: "12345:leaked-secret", KIOSK_TELEGRAM_API_ROOT: "ftp://x" }, file: { telegram: { colour: 1 } } }));
    expect(problems).toEqual([
      "kiosk.config.ts: unknown key 'telegram.colour'; keys are: tokens, secret, apiRoot, providerToken, mode, ratePerBot, burstPerBot, ratePerChat, burstPerChat, merchantChats",
      "KIOSK_TELEGRAM_CAFE_TOKEN must be a bot token from BotFather, like 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw (got 19 characters that are not one)",
      'KIOSK_TELEGRAM_API_ROOT must be an http(s) URL such as https://api.telegram.org, got "ftp://x"',
    ]);
    expect(problems.join("\n")).not.toContain("leaked-secret");
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_TELEGRAM_CAFE_TOKEN: TOKEN, KIOSK_TELEGRAM_MODE: "webhook" } }))).toEqual([
      expect.stringMatching(/^KIOSK_TELEGRAM_SECRET .* must be set in webhook mode.*KIOSK_TELEGRAM_MODE=polling$/),
    ]);
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_TELEGRAM_MODE: "push" } }))).toEqual([expect.stringMatching(/^KIOSK_TELEGRAM_MODE must be "webhook" .* or "polling"/)]);
    // Without a secret (no webhook configured), a token runs in polling mode.
    expect(settingsOf(resolveConfig({ env: { KIOSK_TELEGRAM_CAFE_TOKEN: TOKEN } }), telegramChannel)?.mode).toBe("polling");
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_TELEGRAM_SECRET: "has spaces but is long" } }))).toEqual([expect.stringContaining("KIOSK_TELEGRAM_SECRET must be 16–256 characters")]);
    // One character (or fifteen) refuses to start, naming the variable and the length, not the value.
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_TELEGRAM_SECRET: "s" } }))).toEqual([
      "KIOSK_TELEGRAM_SECRET is 1 character; a secret must be at least 16 characters (generate one with: openssl rand -hex 32)",
    ]);
    expect(problemsOf(() => resolveConfig({ env: {}, file: { telegram: { secret: "s3cret_15_chars" } } }))).toEqual([
      "kiosk.config.ts: 'telegram.secret' is 15 characters; a secret must be at least 16 characters (generate one with: openssl rand -hex 32)",
    ]);
  });

  it("refuses to start with a token for a bot that is not loaded, naming the variables loaded bots take", async () => {
    const config = { ...resolveConfig({ env: { KIOSK_TELEGRAM_CAFFE_TOKEN: TOKEN, KIOSK_TELEGRAM_SECRET: "s3cret-webhook-0001" } }), port: 0, db: harness.db };
    await expect(startServer({ config, bots: [cafe], logger: false })).rejects.toThrow(
      "KIOSK_TELEGRAM_CAFFE_TOKEN names no loaded bot; loaded bots take KIOSK_TELEGRAM_CAFE_TOKEN",
    );
  });
});
