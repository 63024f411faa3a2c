import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { resolveWebhookSettings, type WebhookSetting } from "./webhooks-config.ts";
import { ConfigError, CHANNELS, type AnyChannel, asBoolean, asInteger, asList, asText, baseUrl, readField, shown, type Field } from "../adapters/index.ts";

export { ConfigError };
export { isLoopback } from "../adapters/index.ts";

/**
 * The server's settings. Each comes from, lowest to highest precedence:
 * the default, `kiosk.config.ts` in the working folder (its default export,
 * any subset of the keys), a `KIOSK_*` environment variable, a CLI flag.
 * A deployment sets the environment; a flag typed by hand wins over both.
 */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** SQLite file of the store. */
  readonly db: string;
  /** Folder whose sub-folders are bots (each with an index.ts). */
  readonly bots: string;
  readonly logLevel: LogLevel;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimit: number;
  /**
   * Serve the emulator API and page. Unset: on in emulator mode (no real
   * channel configured), off in production mode (see `serverMode`); true
   * turns it on beside real channels (in its sandbox), false turns it off.
   */
  readonly emulator?: boolean;
  /** The bearer token every emulator API request must carry (at least 32 characters); required beside real channels or off loopback. */
  readonly emulatorToken?: string;
  /** Host names (optionally with :port) the emulator answers for besides the loopback names, e.g. a reverse proxy's name. */
  readonly emulatorHosts: readonly string[];
  /** Where the emulator clock starts on a store that has none saved (`--clock`); real time when unset. */
  readonly emulatorClock?: Date;
  /** How long a `pay: "slow"` in the emulator waits before its payment report arrives, in ms. */
  readonly slowPaymentMs: number;
  /** Where customers reach this server from the internet (checkout's success and cancel pages). */
  readonly publicUrl?: string;
  /**
   * Each configured channel's settings, by channel name (see
   * adapters/registry.ts): what its `settings()` read from KIOSK_* variables
   * and kiosk.config.ts. A channel without an entry does not run.
   */
  readonly channels: Readonly<Record<string, unknown>>;
  /**
   * Bots' signed webhooks by BOT name (the bot's id in capitals): from
   * KIOSK_WEBHOOK_<BOT>_URL and _SECRET, or `webhooks` in kiosk.config.ts
   * (see server/webhooks-config.ts and jobs/webhooks.ts).
   */
  readonly webhooks: Readonly<Record<string, WebhookSetting>>;
  /** Days a sent (or given up) message's text stays in the outbox before it is deleted (see jobs/retention.ts). */
  readonly retentionDays: number;
  /**
   * On SIGTERM/SIGINT, how long the server keeps sending the outbox, in ms;
   * what is left is sent at the next start (see server/shutdown.ts).
   */
  readonly shutdownGraceMs: number;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_CONFIG: ServerConfig = {
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
  channels: channelSettings(CHANNELS, { env: {}, file: {}, fileName: "kiosk.config.ts", publicUrl: undefined }, []),
};

export const CONFIG_FILE = "kiosk.config.ts";

type Key = Exclude<keyof ServerConfig, "channels" | "webhooks">;

/** An ISO 8601 instant with its offset (Z or ±hh:mm), read as a Date. */
const instant = z.union([
  z.date().refine((d) => !Number.isNaN(d.getTime())),
  z.iso.datetime({ offset: true }).transform((text) => new Date(text)),
]);
/** A host name, IPv4 or [IPv6] address, optionally with :port, as a Host header carries it. */
const hostName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/);

/** The shortest emulator token accepted: a guessable one would open the sandbox to anyone. */
export const MIN_EMULATOR_TOKEN_LENGTH = 32;

const FIELDS: Readonly<Record<Key, Field>> = {
  port: { env: "KIOSK_PORT", flag: "--port", expected: "an integer 0–65535", schema: z.int().min(0).max(65535), fromText: asInteger },
  host: { env: "KIOSK_HOST", flag: "--host", expected: "a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0", schema: z.string().trim().min(1).max(255), fromText: asText },
  db: { env: "KIOSK_DB", flag: "--db", expected: "the path of a SQLite file, e.g. data/kiosk.db", schema: z.string().min(1), fromText: asText },
  bots: { env: "KIOSK_BOTS", flag: "--bots", expected: "a folder of bot folders, e.g. bots", schema: z.string().min(1), fromText: asText },
  logLevel: { env: "KIOSK_LOG_LEVEL", expected: `one of ${LOG_LEVELS.join(", ")}`, schema: z.enum(LOG_LEVELS), fromText: (t) => t.trim().toLowerCase() },
  bodyLimit: {
    env: "KIOSK_BODY_LIMIT",
    expected: "a number of bytes from 1024 to 104857600 (100 MiB), e.g. 1048576",
    schema: z.int().min(1024).max(100 * 1024 * 1024),
    fromText: asInteger,
  },
  emulator: { env: "KIOSK_EMULATOR", flag: "--emulator", expected: "true or false", schema: z.boolean(), fromText: asBoolean },
  emulatorToken: {
    env: "KIOSK_EMULATOR_TOKEN",
    expected: `at least ${MIN_EMULATOR_TOKEN_LENGTH} characters with no spaces (e.g. the output of openssl rand -hex 32)`,
    schema: z.string().regex(new RegExp(`^\\S{${MIN_EMULATOR_TOKEN_LENGTH},512}$`)),
    fromText: asText,
    secret: true,
  },
  emulatorHosts: {
    env: "KIOSK_EMULATOR_HOSTS",
    expected: "comma-separated host names, each optionally with :port, e.g. kiosk.internal,kiosk.internal:8443",
    schema: z.array(hostName).max(32),
    fromText: asList,
  },
  emulatorClock: {
    env: "KIOSK_EMULATOR_CLOCK",
    flag: "--clock",
    expected: "an ISO 8601 instant with its offset, e.g. 2026-11-30T05:00:00Z",
    schema: instant,
    fromText: asText,
  },
  slowPaymentMs: { env: "KIOSK_SLOW_PAYMENT_MS", expected: "an integer number of ms from 0 to 600000", schema: z.int().min(0).max(600_000), fromText: asInteger },
  publicUrl: { env: "KIOSK_PUBLIC_URL", expected: "the http(s) URL customers reach this server at, e.g. https://shop.example.com", schema: baseUrl(true), fromText: asText },
  retentionDays: { env: "KIOSK_RETENTION_DAYS", expected: "a whole number of days from 1 to 3650, e.g. 30", schema: z.int().min(1).max(3650), fromText: asInteger },
  shutdownGraceMs: {
    env: "KIOSK_SHUTDOWN_GRACE_MS",
    expected: "an integer number of ms from 0 to 600000, e.g. 10000",
    schema: z.int().min(0).max(600_000),
    fromText: asInteger,
  },
};

export interface ConfigSources {
  /** The environment; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The default export of kiosk.config.ts, already loaded (see `loadConfigFile`). */
  readonly file?: unknown;
  /** Where `file` came from, for messages. */
  readonly fileName?: string;
  /** Values from CLI flags, as strings (absent when not given). */
  readonly flags?: Partial<Record<Key, string>>;
  /** The channels whose settings to read; Kiosk's own (adapters/registry.ts) by default. */
  readonly channels?: readonly AnyChannel[];
}

/** Each channel's settings read from `sources`, by name; channels that are not configured are left out. */
function channelSettings(channels: readonly AnyChannel[], sources: Omit<SettingsSourcesOf, "problems">, problems: string[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const channel of channels) {
    const read = channel.settings({ ...sources, problems });
    if (read !== undefined) settings[channel.name] = read;
  }
  return settings;
}
type SettingsSourcesOf = Parameters<AnyChannel["settings"]>[0];

/**
 * Merges defaults < kiosk.config.ts < environment < CLI flags and checks
 * every value, the server's and each channel's. Throws a `ConfigError`
 * listing every bad value.
 *
 * @example
 * const config = resolveConfig({ env: process.env, flags: { port: "8080" } });
 */
export function resolveConfig(sources: ConfigSources = {}): ServerConfig {
  const env = sources.env ?? process.env;
  const fileName = sources.fileName ?? CONFIG_FILE;
  const channels = sources.channels ?? CHANNELS;
  const problems: string[] = [];
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  const channelKeys = new Set(channels.flatMap((c) => c.fileKeys));
  const take = (key: Key, value: unknown, source: Parameters<typeof readField>[2]) => {
    const read = readField(FIELDS[key], value, source);
    if ("value" in read) merged[key] = read.value;
    else problems.push(read.problem);
  };

  if (sources.file !== undefined) {
    if (typeof sources.file !== "object" || sources.file === null || Array.isArray(sources.file)) {
      problems.push(`${fileName}: the default export must be an object such as export default { port: 3978 }, got ${shown(sources.file)}`);
    } else {
      for (const [key, value] of Object.entries(sources.file)) {
        if (channelKeys.has(key) || key === "webhooks") continue;
        if (!Object.hasOwn(FIELDS, key)) {
          problems.push(`${fileName}: unknown key '${key}'; keys are: ${[...Object.keys(FIELDS), ...channelKeys].join(", ")}, webhooks`);
          continue;
        }
        if (value !== undefined) take(key as Key, value, { file: fileName, key });
      }
    }
  }

  for (const [key, field] of Object.entries(FIELDS) as Array<[Key, Field]>) {
    const fromEnv = env[field.env];
    if (fromEnv !== undefined && fromEnv !== "") take(key, fromEnv, { name: field.env });
    const fromFlag = sources.flags?.[key];
    if (fromFlag !== undefined) take(key, fromFlag, { name: field.flag ?? key });
  }
  const file = typeof sources.file === "object" && sources.file !== null && !Array.isArray(sources.file) ? (sources.file as Record<string, unknown>) : {};
  const publicUrl = typeof merged.publicUrl === "string" ? merged.publicUrl : undefined;
  merged.channels = channelSettings(channels, { env, file, fileName, publicUrl }, problems);
  merged.webhooks = resolveWebhookSettings({ file: file.webhooks, fileName, env, problems });
  // Channels that share settings (Messenger and WhatsApp: the Meta app) report the same problem once.
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return merged as unknown as ServerConfig;
}

/** Imports `kiosk.config.ts` from `dir` when there is one; its default export, else undefined. */
export async function loadConfigFile(dir: string = process.cwd()): Promise<{ file: unknown; fileName: string } | undefined> {
  const path = resolve(dir, CONFIG_FILE);
  if (!existsSync(path)) return undefined;
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new ConfigError([`${path}: could not be loaded: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (module.default === undefined) throw new ConfigError([`${path}: has no default export; write export default { port: 3978 }`]);
  return { file: module.default, fileName: path };
}

/** Reads kiosk.config.ts (if any), the environment and the flags; see `resolveConfig`. */
export async function loadConfig(options: { dir?: string; env?: ConfigSources["env"]; flags?: ConfigSources["flags"] } = {}): Promise<ServerConfig> {
  const loaded = await loadConfigFile(options.dir);
  return resolveConfig({
    ...(options.env ? { env: options.env } : {}),
    ...(options.flags ? { flags: options.flags } : {}),
    ...(loaded ? { file: loaded.file, fileName: loaded.fileName } : {}),
  });
}
