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
    });
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
      "kiosk.config.ts: unknown key 'colour'; keys are: port, host, db, bots, logLevel, bodyLimit, emulator, emulatorToken, emulatorHosts, emulatorClock, slowPaymentMs, checkoutApiKey, checkoutWebhookSecret, checkoutApiBase, publicUrl",
      "KIOSK_PORT must be an integer 0–65535, got '-1'",
    ]);
    expect(() => resolveConfig({ env: { KIOSK_PORT: "-1" }, file: { port: "80" } })).toThrow(/2 problems/);
  });

  it("loads kiosk.config.ts from the working folder", async () => {
    writeFileSync(join(harness.dir, "kiosk.config.ts"), "export default { port: 4321, emulator: false };\n");
    const config = await loadConfig({ dir: harness.dir, env: { KIOSK_PORT: "" } });
    expect(config).toEqual({ ...DEFAULT_CONFIG, port: 4321, emulator: false });
    expect(await loadConfig({ dir: join(harness.dir, "nothing-here"), env: {} })).toEqual(DEFAULT_CONFIG);
  });

  it("reads hosted checkout's settings, and names what is missing when only some are set", () => {
    const env = {
      KIOSK_CHECKOUT_API_KEY: "sk_test_1",
      KIOSK_CHECKOUT_WEBHOOK_SECRET: "whsec_1",
      KIOSK_CHECKOUT_API_BASE: "http://127.0.0.1:4242/",
      KIOSK_PUBLIC_URL: "https://shop.example/kiosk/",
    };
    expect(resolveConfig({ env })).toMatchObject({
      checkoutApiKey: "sk_test_1",
      checkoutWebhookSecret: "whsec_1",
      checkoutApiBase: "http://127.0.0.1:4242",
      publicUrl: "https://shop.example/kiosk",
    });
    expect(problemsOf(() => resolveConfig({ env: { KIOSK_CHECKOUT_API_KEY: "sk_test_1" } }))).toEqual([
      "hosted checkout is configured but KIOSK_CHECKOUT_WEBHOOK_SECRET is not set: set it (or 'checkoutWebhookSecret' in kiosk.config.ts) to the signing secret (whsec_…) of the webhook endpoint <public URL>/checkout/webhook",
      "hosted checkout is configured but KIOSK_PUBLIC_URL is not set: set it (or 'publicUrl' in kiosk.config.ts) to the URL customers reach this server at, for checkout's success and cancel pages",
    ]);
    expect(problemsOf(() => resolveConfig({ env: { ...env, KIOSK_CHECKOUT_API_BASE: "http://127.0.0.1:4242/v1" } }))).toEqual([
      "KIOSK_CHECKOUT_API_BASE must be an http(s) URL with no path, e.g. https://api.stripe.com, got 'http://127.0.0.1:4242/v1'",
    ]);
    expect(problemsOf(() => resolveConfig({ env: { ...env, KIOSK_PUBLIC_URL: "shop.example" } }))[0]).toMatch(/^KIOSK_PUBLIC_URL must be the http\(s\) URL customers reach/);
    // Without any checkout setting, none is needed.
    expect(resolveConfig({ env: { KIOSK_PUBLIC_URL: "https://shop.example" } }).checkoutApiKey).toBeUndefined();
  });

  it("tells loopback hosts from exposed ones", () => {
    expect(["127.0.0.1", "localhost", "::1"].map(isLoopback)).toEqual([true, true, true]);
    expect(["0.0.0.0", "::", "192.168.1.4"].map(isLoopback)).toEqual([false, false, false]);
  });
});
