import { checkoutChannel } from "../adapters/checkout/channel.ts";
import { settingsOf } from "../adapters/registry.ts";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useHarness } from "../tests/helpers.ts";
import { ConfigError, DEFAULT_CONFIG, isLoopback, loadConfig, resolveConfig } from "./config.ts";

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("server config", () => {
  const harness = useHarness();

  it("has the documented defaults", () => {
    expect(resolveConfig({ env: {} })).toEqual({
      port: 3978,
      host: "127.0.0.1",
      db: "data/kiosk.db",
      bots: "bots",
      logLevel: "info",
      bodyLimit: 1024 * 1024,
      emulatorHosts: [],
      slowPaymentMs: 2000,
      retentionDays: 30,
      shutdownGraceMs: 10_000,
      webhooks: {},
      // No channel configured (Bot Framework still runs, on its fallback: the local Bot Framework Emulator).
      channels: {},
    });
  });

  it("reads how many days sent messages are kept, from the file, KIOSK_RETENTION_DAYS or not at all when it is no whole number of days", () => {
    expect(resolveConfig({ env: {}, file: { retentionDays: 90 } }).retentionDays).toBe(90);
    expect(resolveConfig({ env: { KIOSK_RETENTION_DAYS: "7" }, file: { retentionDays: 90 } }).retentionDays).toBe(7);
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_RETENTION_DAYS: "0" } }))).toEqual(["KIOSK_RETENTION_DAYS must be a whole number of days from 1 to 3650, e.g. 30, got '0'"]);
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_RETENTION_DAYS: "30d" } }))).toEqual(["KIOSK_RETENTION_DAYS must be a whole number of days from 1 to 3650, e.g. 30, got '30d'"]);
    expect(problemsOf(() => resolveConfig({ env: {}, file: { retentionDays: 1.5 } }))).toEqual(["kiosk.config.ts: 'retentionDays' must be a whole number of days from 1 to 3650, e.g. 30, got 1.5"]);
  });

  it("reads the KIOSK_* variables", () => {
    const config = resolveConfig({
      env: { KIOSK_PORT: "8080", KIOSK_HOST: "0.0.0.0", KIOSK_DB: "/tmp/x.db", KIOSK_BOTS: "mybots", KIOSK_LOG_LEVEL: "WARN", KIOSK_BODY_LIMIT: "2048", KIOSK_EMULATOR: "false" },
    });
    expect(config).toMatchObject({ port: 8080, host: "0.0.0.0", db: "/tmp/x.db", bots: "mybots", logLevel: "warn", bodyLimit: 2048, emulator: false });
  });

  it("takes the file, then the environment, then flags", () => {
    const file = { port: 4000, db: "file.db", bots: "file-bots" };
    const config = resolveConfig({ env: { KIOSK_PORT: "5000", KIOSK_DB: "env.db" }, file, flags: { port: "6000" } });
    expect(config).toMatchObject({ port: 6000, db: "env.db", bots: "file-bots" });
  });

  it("names the variable, the value and what to set it to", () => {
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_PORT: "abc" } }))).toEqual(["KIOSK_PORT must be an integer 0–65535, got 'abc'"]);
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_PORT: "70000" } }))).toEqual(["KIOSK_PORT must be an integer 0–65535, got '70000'"]);
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_LOG_LEVEL: "loud" } }))[0]).toBe("KIOSK_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'");
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_BODY_LIMIT: "1MB" } }))[0]).toMatch(/^KIOSK_BODY_LIMIT must be a number of bytes/);
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_EMULATOR: "maybe" } }))).toEqual(["KIOSK_EMULATOR must be true or false, got 'maybe'"]);
    expect(problemsOf(() => resolveConfig({ env: {}, flags: { port: "x" } }))).toEqual(["--port must be an integer 0–65535, got 'x'"]);
  });

  it("names the file and key, and lists every problem at once", () => {
    const problems = problemsOf(() => resolveConfig({ env: { KIOSK_PORT: "-1" }, file: { port: "80", colour: "blue" }, fileName: "kiosk.config.ts" }));
    expect(problems).toEqual([
      "kiosk.config.ts: 'port' must be an integer 0–65535, got '80'",
      "kiosk.config.ts: unknown key 'colour'; keys are: port, host, db, bots, logLevel, bodyLimit, emulator, emulatorToken, emulatorHosts, emulatorClock, slowPaymentMs, publicUrl, retentionDays, shutdownGraceMs, checkoutApiKey, checkoutWebhookSecret, checkoutApiBase, telegram, meta, webhooks",
      "KIOSK_PORT must be an integer 0–65535, got '-1'",
    ]);
    expect(() => resolveConfig({ env: { KIOSK_PORT: "-1" }, file: { port: "80" } })).toThrow(/2 problems/);
  });

  it("reads the shutdown's grace period from KIOSK_SHUTDOWN_GRACE_MS or shutdownGraceMs, and refuses one out of range", () => {
    expect(resolveConfig({ env: { KIOSK_SHUTDOWN_GRACE_MS: "2500" } }).shutdownGraceMs).toBe(2500);
    expect(resolveConfig({ env: {}, file: { shutdownGraceMs: 0 } }).shutdownGraceMs).toBe(0);
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_SHUTDOWN_GRACE_MS: "10s" } }))).toEqual([
      "KIOSK_SHUTDOWN_GRACE_MS must be an integer number of ms from 0 to 600000, e.g. 10000, got '10s'",
    ]);
    expect(problemsOf(() => resolveConfig({ env: {}, file: { shutdownGraceMs: 600_001 }, fileName: "kiosk.config.ts" }))).toEqual([
      "kiosk.config.ts: 'shutdownGraceMs' must be an integer number of ms from 0 to 600000, e.g. 10000, got 600001",
    ]);
  });

  it("loads kiosk.config.ts from the working folder", async () => {
    writeFileSync(join(harness.dir, "kiosk.config.ts"), "export default { port: 4321, emulator: false };\n");
    const config = await loadConfig({ dir: harness.dir, env: { KIOSK_PORT: "" } });
    expect(config).toEqual({ ...DEFAULT_CONFIG, port: 4321, emulator: false });
    expect(await loadConfig({ dir: join(harness.dir, "nothing-here"), env: {} })).toEqual(DEFAULT_CONFIG);
  });

  it("reads hosted checkout's settings, and names what is missing when only some are set", () => {
    const env = {
      KIOSK_CHECKOUT_API_KEY: "sk_test_51KioskConfigTest",
      KIOSK_CHECKOUT_WEBHOOK_SECRET: "whsec_kioskConfigTest01",
      KIOSK_CHECKOUT_API_BASE: "http://127.0.0.1:4242/",
      KIOSK_PUBLIC_URL: "https://shop.example/kiosk/",
    };
    expect(settingsOf(resolveConfig({ env }), checkoutChannel)).toMatchObject({
      apiKey: "sk_test_51KioskConfigTest",
      webhookSecret: "whsec_kioskConfigTest01",
      apiBase: "http://127.0.0.1:4242",
      publicUrl: "https://shop.example/kiosk",
    });
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_CHECKOUT_API_KEY: "sk_test_51KioskConfigTest" } }))).toEqual([
      "hosted checkout is configured but KIOSK_CHECKOUT_WEBHOOK_SECRET is not set: set it (or 'checkoutWebhookSecret' in kiosk.config.ts) to the signing secret (whsec_…) of the webhook endpoint <public URL>/checkout/webhook",
      "hosted checkout is configured but KIOSK_PUBLIC_URL is not set: set it (or 'publicUrl' in kiosk.config.ts) to the URL customers reach this server at, for checkout's success and cancel pages",
    ]);
    expect(problemsOf(() => resolveConfig({ env: { ...env, KIOSK_CHECKOUT_API_BASE: "http://127.0.0.1:4242/v1" } }))).toEqual([
      "KIOSK_CHECKOUT_API_BASE must be an http(s) URL with no path, e.g. https://api.stripe.com, got 'http://127.0.0.1:4242/v1'",
    ]);
    expect(problemsOf(() => resolveConfig({ env: { ...env, KIOSK_PUBLIC_URL: "shop.example" } }))[0]).toMatch(/^KIOSK_PUBLIC_URL must be the http\(s\) URL customers reach/);
    // Secrets too short or keys of the wrong form refuse to start, naming the variable; the value is never shown.
    expect(problemsOf(() => resolveConfig({ env: { ...env, KIOSK_CHECKOUT_WEBHOOK_SECRET: "whsec_1", KIOSK_CHECKOUT_API_KEY: "pk_test_51KioskPublishable" } }))).toEqual([
      "KIOSK_CHECKOUT_API_KEY must be the secret API key: sk_ or rk_, then test_ or live_, then at least 8 letters or digits (e.g. sk_test_…), got 26 characters",
      "KIOSK_CHECKOUT_WEBHOOK_SECRET must be the webhook signing secret (whsec_…), at least 16 characters, got 7 characters",
    ]);
    // Without any checkout setting, none is needed.
    expect(settingsOf(resolveConfig({ env: { KIOSK_PUBLIC_URL: "https://shop.example" } }), checkoutChannel)).toBeUndefined();
  });

  it("tells loopback hosts from exposed ones", () => {
    expect(["127.0.0.1", "localhost", "::1"].map(isLoopback)).toEqual([true, true, true]);
    expect(["0.0.0.0", "::", "192.168.1.4"].map(isLoopback)).toEqual([false, false, false]);
  });
});
