import { describe, expect, it } from "vitest";
import { ConfigError, resolveConfig } from "./config.ts";
import { realChannels, serverMode } from "./emulator-mode.ts";

const TOKEN = "t".repeat(32);

/** Meta app settings with one Messenger page and one WhatsApp number. */
const META = { apiBase: "http://127.0.0.1:1", apiVersion: "v21.0", messenger: { cafe: { token: "x".repeat(20), from: "env" } }, whatsapp: { salon: { token: "y" } } };

describe("emulator and production modes", () => {
  it("counts Telegram, Messenger, WhatsApp, Bot Framework with an app id and hosted checkout as real channels; Bot Framework without one is not", () => {
    expect(realChannels(resolveConfig({ env: {} }))).toEqual([]);
    expect(realChannels(resolveConfig({ env: { KIOSK_BOTFRAMEWORK_BOT: "cafe" } }))).toEqual([]);
    expect(realChannels(resolveConfig({ env: { KIOSK_TELEGRAM_CAFE_TOKEN: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" } }))).toEqual(["telegram"]);
    const checkout = { KIOSK_CHECKOUT_API_KEY: "sk_test_4eC39HqLyjWDarjtT1zdp7dc", KIOSK_CHECKOUT_WEBHOOK_SECRET: "whsec_kiosk_test_webhook_secret", KIOSK_PUBLIC_URL: "https://shop.example" };
    expect(realChannels(resolveConfig({ env: checkout }))).toEqual(["checkout"]);
    const base = resolveConfig({ env: {} });
    expect(realChannels({ ...base, channels: { botframework: { appId: "8c3c7a2e-5c1f-4b8e-9a57-3f1d2c4b5a69", appType: "MultiTenant" } } })).toEqual(["botframework"]);
    expect(realChannels({ ...base, channels: { botframework: { appType: "MultiTenant" } } })).toEqual([]);
    expect(realChannels({ ...base, channels: { messenger: META, whatsapp: META } })).toEqual(["messenger", "whatsapp"]);
  });

  it("turns the emulator on by default only without real channels; explicit settings win; beside real channels or off loopback it needs the token", () => {
    const telegram = { KIOSK_TELEGRAM_CAFE_TOKEN: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" };
    expect(serverMode(resolveConfig({ env: {} }))).toEqual({ kind: "emulator", channels: [], emulator: true, tokenRequired: false });
    expect(serverMode(resolveConfig({ env: { KIOSK_EMULATOR: "false" } })).emulator).toBe(false);
    expect(serverMode(resolveConfig({ env: telegram })).emulator).toBe(false);
    expect(serverMode(resolveConfig({ env: { ...telegram, KIOSK_EMULATOR: "true", KIOSK_EMULATOR_TOKEN: TOKEN } }))).toEqual({ kind: "production", channels: ["telegram"], emulator: true, tokenRequired: true });
    expect(serverMode(resolveConfig({ env: { ...telegram, KIOSK_EMULATOR_TOKEN: TOKEN } })).emulator).toBe(false);
    expect(() => serverMode(resolveConfig({ env: { ...telegram, KIOSK_EMULATOR: "true" } }))).toThrow(ConfigError);
    expect(() => serverMode(resolveConfig({ env: { KIOSK_HOST: "0.0.0.0" } }))).toThrow(/KIOSK_EMULATOR_TOKEN/);
    expect(serverMode(resolveConfig({ env: { KIOSK_HOST: "0.0.0.0", KIOSK_EMULATOR: "false" } })).emulator).toBe(false);
    expect(serverMode(resolveConfig({ env: { KIOSK_HOST: "localhost", KIOSK_EMULATOR_TOKEN: TOKEN } })).tokenRequired).toBe(true);
  });

  it("reads --clock, KIOSK_EMULATOR_CLOCK and KIOSK_EMULATOR_HOSTS, and names a bad value", () => {
    const config = resolveConfig({ env: { KIOSK_EMULATOR_CLOCK: "2026-11-30T05:00:00Z", KIOSK_EMULATOR_HOSTS: " Kiosk.Internal, kiosk.internal:8443 ,[::1]:9000" } });
    expect(config.emulatorClock).toEqual(new Date("2026-11-30T05:00:00Z"));
    expect(config.emulatorHosts).toEqual(["kiosk.internal", "kiosk.internal:8443", "[::1]:9000"]);
    expect(resolveConfig({ env: {}, flags: { emulatorClock: "2027-03-28T01:30:00+01:00" } }).emulatorClock).toEqual(new Date("2027-03-28T00:30:00Z"));
    expect(() => resolveConfig({ env: {}, flags: { emulatorClock: "monday" } })).toThrow("--clock must be an ISO 8601 instant with its offset, e.g. 2026-11-30T05:00:00Z, got 'monday'");
    expect(() => resolveConfig({ env: { KIOSK_EMULATOR_HOSTS: "ok.example,bad host" } })).toThrow(/^KIOSK_EMULATOR_HOSTS must be comma-separated host names/);
  });
});
