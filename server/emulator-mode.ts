import { extname } from "node:path";
import { ConfigError, isLoopback, type ServerConfig } from "./config.ts";

/**
 * A server with no real channel configured is the emulator (one store, the
 * emulator clock drives everything); one with any real channel is production
 * (real time; the emulator, when on, lives in its sandbox).
 */
export type ServerModeKind = "emulator" | "production";

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
 * The channels that reach real customers or move real money. Bot Framework
 * counts only with an app id: without one it serves the Bot Framework
 * Emulator on this machine (loopback serviceUrls only), like the emulator,
 * and beside a real channel it is off (server/botframework.ts).
 */
export function realChannels(config: ServerConfig): string[] {
  const channels: string[] = [];
  if (config.telegram && Object.keys(config.telegram.tokens).length > 0) channels.push("telegram");
  if (config.meta && Object.keys(config.meta.messenger).length > 0) channels.push("messenger");
  if (config.meta && Object.values(config.meta.whatsapp).some((w) => w.token !== undefined)) channels.push("whatsapp");
  if (config.botframework?.appId !== undefined) channels.push("botframework");
  if (config.checkoutApiKey !== undefined) channels.push("checkout");
  return channels;
}

/**
 * The server's mode and whether the emulator runs, and how it is guarded.
 * Throws a `ConfigError` naming KIOSK_EMULATOR_TOKEN when the emulator would
 * run beside real channels, or off loopback, without a token.
 */
export function serverMode(config: ServerConfig): ServerMode {
  const channels = realChannels(config);
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

/** The sandbox's SQLite file beside the main one: data/kiosk.db → data/kiosk.emulator.db (no extension: + .emulator.db). */
export function sandboxDbPath(db: string): string {
  const ext = extname(db);
  return ext === "" ? `${db}.emulator.db` : `${db.slice(0, -ext.length)}.emulator${ext}`;
}
