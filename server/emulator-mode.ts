import { type ServerModeKind, CHANNELS, runningSettings, type AnyChannel } from "../adapters/index.ts";
import type { EmulatorSettings } from "../adapters/emulator/channel.ts";
import { ConfigError, isLoopback, type ServerConfig } from "./config.ts";

export type { ServerModeKind };

export interface ServerMode {
  readonly kind: ServerModeKind;
  /** The real channels configured, e.g. ["telegram", "checkout"]; empty in emulator mode. */
  readonly channels: readonly string[];
  /** Whether the emulator page and API are served. */
  readonly emulator: boolean;
  /** Whether emulator API requests must carry the token (configured, beside real channels or off loopback). */
  readonly tokenRequired: boolean;
}

/**
 * The configured channels that reach real customers or move real money, as
 * each channel judges its settings (`Channel.isReal`). Bot Framework counts
 * only with an app id: without one it serves the Bot Framework Emulator on
 * this machine (loopback serviceUrls only), like the emulator, and beside a
 * real channel it is off (adapters/botframework/webhook.ts).
 */
export function realChannels(config: ServerConfig, channels: readonly AnyChannel[] = CHANNELS): string[] {
  return channels.filter((c) => {
    const settings = runningSettings(config, c);
    return settings !== undefined && c.isReal(settings);
  }).map((c) => c.name);
}

/**
 * The server's mode and whether the emulator runs, and how it is guarded.
 * Throws a `ConfigError` naming KIOSK_EMULATOR_TOKEN when the emulator would
 * run beside real channels, or off loopback, without a token.
 */
export function serverMode(config: ServerConfig, known: readonly AnyChannel[] = CHANNELS): ServerMode {
  const channels = realChannels(config, known);
  const kind: ServerModeKind = channels.length > 0 ? "production" : "emulator";
  const emulator = config.emulator ?? kind === "emulator";
  if (emulator && config.emulatorToken === undefined) {
    if (kind === "production") {
      throw new ConfigError([
        `the emulator is on beside real channels (${channels.join(", ")}) but KIOSK_EMULATOR_TOKEN is not set: set it to a secret of at least 32 characters (openssl rand -hex 32), or turn the emulator off (KIOSK_EMULATOR=false)`,
      ]);
    }
    if (!isLoopback(config.host)) {
      throw new ConfigError([
        `the emulator would listen on ${config.host} with no token: set KIOSK_EMULATOR_TOKEN to a secret of at least 32 characters (openssl rand -hex 32), bind to 127.0.0.1 (KIOSK_HOST), or turn the emulator off (KIOSK_EMULATOR=false)`,
      ]);
    }
  }
  return { kind, channels, emulator, tokenRequired: emulator && config.emulatorToken !== undefined };
}

/** What the emulator runs with: the server's emulator settings, and whether the mode serves its page and API. */
export function emulatorSettings(config: ServerConfig, mode: ServerMode): EmulatorSettings {
  return {
    serve: mode.emulator,
    token: config.emulatorToken,
    hosts: config.emulatorHosts,
    port: config.port,
    startAt: config.emulatorClock,
    slowPaymentMs: config.slowPaymentMs,
    db: config.db,
  };
}
