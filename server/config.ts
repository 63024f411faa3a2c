import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { resolveTelegramConfig, type TelegramConfig } from "./telegram-config.ts";
import { resolveMetaConfig, type MetaConfig } from "./meta-config.ts";
import { resolveBotFrameworkConfig, type BotFrameworkConfig } from "./botframework-config.ts";
import { describeSecret, MIN_SECRET_CHARS } from "./secrets.ts";

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
  /** Telegram bots, webhook secret and payments: `telegram` in kiosk.config.ts, KIOSK_TELEGRAM_* (see telegram-config.ts). */
  readonly telegram?: TelegramConfig;
  /** Hosted checkout (Stripe's scheme): the secret API key; with the webhook secret and public URL it turns checkout on. */
  readonly checkoutApiKey?: string;
  /** The checkout webhook endpoint's signing secret (`whsec_…`). */
  readonly checkoutWebhookSecret?: string;
  /** The checkout API's base URL; Stripe's (https://api.stripe.com) when unset. */
  readonly checkoutApiBase?: string;
  /** Where customers reach this server from the internet (checkout's success and cancel pages). */
  readonly publicUrl?: string;
  /** Bot Framework app registration and the bot on /api/messages: KIOSK_MS_*, KIOSK_BOTFRAMEWORK_BOT (see botframework-config.ts). */
  readonly botframework?: BotFrameworkConfig;
  /** Messenger and WhatsApp (Graph API): KIOSK_META_*, KIOSK_GRAPH_API_*, KIOSK_MESSENGER_*, KIOSK_WHATSAPP_* (see meta-config.ts). */
  readonly meta?: MetaConfig;
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
};

export const CONFIG_FILE = "kiosk.config.ts";

type Key = Exclude<keyof ServerConfig, "telegram" | "botframework" | "meta">;

interface Field {
  readonly env: string;
  readonly flag?: string;
  /** What a valid value is, to finish "X must be …". */
  readonly expected: string;
  readonly schema: z.ZodType;
  /** Reads the environment's string; returns it unchanged when it cannot, so the schema reports it. */
  readonly fromText: (text: string) => unknown;
  /** A secret: a problem shows its length, never its value. */
  readonly secret?: true;
}

const asInteger = (text: string): unknown => (/^\s*-?\d+\s*$/.test(text) ? Number(text) : text);
const asBoolean = (text: string): unknown => {
  const t = text.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(t)) return true;
  if (["0", "false", "no", "off"].includes(t)) return false;
  return text;
};
const asText = (text: string): unknown => text;
const asList = (text: string): unknown => text.split(",").map((part) => part.trim()).filter((part) => part !== "");

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

/** An http(s) URL; a trailing slash is dropped. With `path`, a path prefix is allowed (a server behind a proxy). */
function baseUrl(path: boolean) {
  return z
    .string()
    .trim()
    .refine((text) => {
      try {
        const url = new URL(text);
        return (url.protocol === "http:" || url.protocol === "https:") && url.search === "" && url.hash === "" && (path || url.pathname === "/");
      } catch {
        return false;
      }
    })
    .transform((text) => text.replace(/\/+$/, ""));
}

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
  checkoutApiKey: {
    env: "KIOSK_CHECKOUT_API_KEY",
    expected: "the secret API key: sk_ or rk_, then test_ or live_, then at least 8 letters or digits (e.g. sk_test_…)",
    schema: z.string().trim().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,247}$/),
    fromText: asText,
    secret: true,
  },
  checkoutWebhookSecret: {
    env: "KIOSK_CHECKOUT_WEBHOOK_SECRET",
    expected: `the webhook signing secret (whsec_…), at least ${MIN_SECRET_CHARS} characters`,
    schema: z.string().trim().min(MIN_SECRET_CHARS).max(256),
    fromText: asText,
    secret: true,
  },
  checkoutApiBase: { env: "KIOSK_CHECKOUT_API_BASE", expected: "an http(s) URL with no path, e.g. https://api.stripe.com", schema: baseUrl(false), fromText: asText },
  publicUrl: { env: "KIOSK_PUBLIC_URL", expected: "the http(s) URL customers reach this server at, e.g. https://shop.example.com", schema: baseUrl(true), fromText: asText },
  retentionDays: { env: "KIOSK_RETENTION_DAYS", expected: "a whole number of days from 1 to 3650, e.g. 30", schema: z.int().min(1).max(3650), fromText: asInteger },
  shutdownGraceMs: {
    env: "KIOSK_SHUTDOWN_GRACE_MS",
    expected: "an integer number of ms from 0 to 600000, e.g. 10000",
    schema: z.int().min(0).max(600_000),
    fromText: asInteger,
  },
};

/** Checkout needs its key, its webhook secret and a public URL together; names what is missing. */
function checkoutProblems(config: Record<string, unknown>): string[] {
  const given = ["checkoutApiKey", "checkoutWebhookSecret", "checkoutApiBase"].some((k) => config[k] !== undefined);
  if (!given) return [];
  const needed: Array<[Key, string]> = [
    ["checkoutApiKey", "the secret API key (sk_…) that creates checkout sessions"],
    ["checkoutWebhookSecret", "the signing secret (whsec_…) of the webhook endpoint <public URL>/checkout/webhook"],
    ["publicUrl", "the URL customers reach this server at, for checkout's success and cancel pages"],
  ];
  return needed
    .filter(([key]) => config[key] === undefined)
    .map(([key, what]) => `hosted checkout is configured but ${FIELDS[key].env} is not set: set it (or '${key}' in ${CONFIG_FILE}) to ${what}`);
}

/** Configuration that cannot be used; `problems` each name the variable, key or flag and what to set it to. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "config_invalid";
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? (problems[0] ?? "") : `the configuration has ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

const shown = (value: unknown) => (typeof value === "string" ? `'${value}'` : JSON.stringify(value) ?? String(value));

export interface ConfigSources {
  /** The environment; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The default export of kiosk.config.ts, already loaded (see `loadConfigFile`). */
  readonly file?: unknown;
  /** Where `file` came from, for messages. */
  readonly fileName?: string;
  /** Values from CLI flags, as strings (absent when not given). */
  readonly flags?: Partial<Record<Key, string>>;
}

/**
 * Merges defaults < kiosk.config.ts < environment < CLI flags and checks
 * every value. Throws a `ConfigError` listing every bad value.
 *
 * @example
 * const config = resolveConfig({ env: process.env, flags: { port: "8080" } });
 */
export function resolveConfig(sources: ConfigSources = {}): ServerConfig {
  const env = sources.env ?? process.env;
  const fileName = sources.fileName ?? CONFIG_FILE;
  const problems: string[] = [];
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };

  if (sources.file !== undefined) {
    if (typeof sources.file !== "object" || sources.file === null || Array.isArray(sources.file)) {
      problems.push(`${fileName}: the default export must be an object such as export default { port: 3978 }, got ${shown(sources.file)}`);
    } else {
      for (const [key, value] of Object.entries(sources.file)) {
        if (key === "telegram" || key === "meta") continue;
        const field = (FIELDS as Record<string, Field | undefined>)[key];
        if (!field) {
          problems.push(`${fileName}: unknown key '${key}'; keys are: ${Object.keys(FIELDS).join(", ")}`);
          continue;
        }
        if (value === undefined) continue;
        const parsed = field.schema.safeParse(value);
        if (parsed.success) merged[key] = parsed.data;
        else problems.push(`${fileName}: '${key}' must be ${field.expected}, got ${field.secret ? describeSecret(value) : shown(value)}`);
      }
    }
  }

  for (const [key, field] of Object.entries(FIELDS) as Array<[Key, Field]>) {
    const fromEnv = env[field.env];
    if (fromEnv !== undefined && fromEnv !== "") {
      const parsed = field.schema.safeParse(field.fromText(fromEnv));
      if (parsed.success) merged[key] = parsed.data;
      else problems.push(`${field.env} must be ${field.expected}, got ${field.secret ? describeSecret(fromEnv) : shown(fromEnv)}`);
    }
    const fromFlag = sources.flags?.[key];
    if (fromFlag !== undefined) {
      const parsed = field.schema.safeParse(field.fromText(fromFlag));
      if (parsed.success) merged[key] = parsed.data;
      else problems.push(`${field.flag ?? key} must be ${field.expected}, got ${field.secret ? describeSecret(fromFlag) : shown(fromFlag)}`);
    }
  }
  if (problems.length === 0) problems.push(...checkoutProblems(merged));
  const file = typeof sources.file === "object" && sources.file !== null ? (sources.file as Record<string, unknown>) : {};
  const telegram = resolveTelegramConfig({ file: file.telegram, fileName, env, problems });
  if (telegram) merged.telegram = telegram;
  const botframework = resolveBotFrameworkConfig({ env, problems });
  if (botframework) merged.botframework = botframework;
  const meta = resolveMetaConfig({ env, problems, file: file.meta, fileName });
  if (meta) merged.meta = meta;
  if (problems.length > 0) throw new ConfigError(problems);
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

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|\[::1\])$/i;

/** True when `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host.trim());
}
