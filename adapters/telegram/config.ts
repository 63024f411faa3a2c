import { DEFAULT_PACING, type PacingRates } from "./pacing.ts";
import { envName } from "./sender.ts";
import { MIN_SECRET_CHARS, shortSecret } from "../secrets.ts";

/** Telegram settings: one token per bot, the webhook secret, the Bot API root, the payment provider token. */
export interface TelegramConfig {
  /** Bot (as in KIOSK_TELEGRAM_<BOT>_TOKEN: id in capitals, other characters `_`) → its token and where it was set. */
  readonly tokens: Readonly<Record<string, { readonly token: string; readonly from: string }>>;
  /** The `secret_token` given to setWebhook; Telegram sends it in X-Telegram-Bot-Api-Secret-Token. */
  readonly secret?: string;
  /** The Bot API server, without a trailing slash. */
  readonly apiRoot: string;
  /** The payment provider token from BotFather (Payments), for invoices in real currencies. */
  readonly providerToken?: string;
  /**
   * How updates arrive: `webhook` (Telegram posts them; needs the secret and a
   * public URL) or `polling` (Kiosk asks with getUpdates). Default: webhook
   * when a secret is set, polling otherwise.
   */
  readonly mode: TelegramMode;
  /**
   * How fast each bot sends, per bot (all chats) and per chat: messages a
   * second (0: no limit) and the burst allowed after a quiet spell.
   * Default 30/s burst 30 per bot, 1/s burst 3 per chat (Telegram's limits).
   */
  readonly pacing: PacingRates;
}

export type TelegramMode = "webhook" | "polling";

export const DEFAULT_TELEGRAM: TelegramConfig = { tokens: {}, apiRoot: "https://api.telegram.org", mode: "polling", pacing: DEFAULT_PACING };

const TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{30,100}$/;
const SECRET = /^[A-Za-z0-9_-]{1,256}$/;
const PROVIDER_ENV = "KIOSK_TELEGRAM_PROVIDER_TOKEN";
const TOKEN_ENV = /^KIOSK_TELEGRAM_([A-Z0-9_]+)_TOKEN$/;
const FILE_KEYS = ["tokens", "secret", "apiRoot", "providerToken", "mode", "ratePerBot", "burstPerBot", "ratePerChat", "burstPerChat"];
/** The pacing settings: file key, variable, which bucket, which field. */
const PACING_KEYS = [
  { key: "ratePerBot", env: "KIOSK_TELEGRAM_RATE_PER_BOT", bucket: "perBot", field: "perSecond" },
  { key: "burstPerBot", env: "KIOSK_TELEGRAM_BURST_PER_BOT", bucket: "perBot", field: "burst" },
  { key: "ratePerChat", env: "KIOSK_TELEGRAM_RATE_PER_CHAT", bucket: "perChat", field: "perSecond" },
  { key: "burstPerChat", env: "KIOSK_TELEGRAM_BURST_PER_CHAT", bucket: "perChat", field: "burst" },
] as const;
const MODES: readonly TelegramMode[] = ["webhook", "polling"];

/** The variable that holds a bot's token. */
export function tokenVariable(botId: string): string {
  return `KIOSK_TELEGRAM_${envName(botId)}_TOKEN`;
}

/**
 * Reads `telegram` from kiosk.config.ts (`{ tokens: { cafe: "…" }, secret,
 * apiRoot, providerToken }`) and the KIOSK_TELEGRAM_* variables (which win),
 * pushing a problem that names what to set for each bad value. A token's
 * value is never echoed. Undefined when nothing about Telegram is set.
 */
export function resolveTelegramConfig(input: {
  readonly file: unknown;
  readonly fileName: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly problems: string[];
}): TelegramConfig | undefined {
  const { file, fileName, env, problems } = input;
  const tokens: Record<string, { token: string; from: string }> = {};
  let secret: string | undefined;
  let apiRoot = DEFAULT_TELEGRAM.apiRoot;
  let providerToken: string | undefined;
  let mode: TelegramMode | undefined;
  const pacing = { perBot: { ...DEFAULT_PACING.perBot }, perChat: { ...DEFAULT_PACING.perChat } };

  const takeToken = (bot: string, value: unknown, from: string) => {
    if (typeof value === "string" && TOKEN.test(value.trim())) tokens[envName(bot)] = { token: value.trim(), from };
    else problems.push(`${from} must be a bot token from BotFather, like 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw (got ${typeof value === "string" ? `${value.length} characters that are not one` : typeof value})`);
  };
  const takeSecret = (value: unknown, from: string) => {
    const short = typeof value === "string" ? shortSecret(from, value) : undefined;
    if (typeof value === "string" && SECRET.test(value) && short === undefined) secret = value;
    else if (short !== undefined && typeof value === "string" && SECRET.test(value)) problems.push(short);
    else problems.push(`${from} must be ${MIN_SECRET_CHARS}–256 characters of A–Z, a–z, 0–9, _ and - (the secret_token you pass to setWebhook)`);
  };
  const takeRoot = (value: unknown, from: string) => {
    const text = typeof value === "string" ? value.trim().replace(/\/+$/, "") : "";
    let ok: boolean;
    try {
      ok = ["http:", "https:"].includes(new URL(text).protocol);
    } catch {
      ok = false;
    }
    if (ok) apiRoot = text;
    else problems.push(`${from} must be an http(s) URL such as https://api.telegram.org, got ${JSON.stringify(value)}`);
  };
  const takeProvider = (value: unknown, from: string) => {
    if (typeof value === "string" && value.trim() !== "") providerToken = value.trim();
    else problems.push(`${from} must be the payment provider token BotFather gives under Payments`);
  };

  const takeMode = (value: unknown, from: string) => {
    const found = MODES.find((m) => m === value);
    if (found) mode = found;
    else problems.push(`${from} must be "webhook" (Telegram posts updates to /telegram/<bot>/webhook) or "polling" (Kiosk asks with getUpdates, no public URL needed), got ${JSON.stringify(value)}`);
  };

  const takePacing = (setting: (typeof PACING_KEYS)[number], value: unknown, from: string) => {
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    const rate = setting.field === "perSecond";
    if (typeof n === "number" && Number.isFinite(n) && (rate ? n >= 0 : n >= 1)) pacing[setting.bucket][setting.field] = n;
    else if (rate) problems.push(`${from} must be messages a second, a number ≥ 0 (0 turns the limit off; Telegram allows about ${DEFAULT_PACING[setting.bucket].perSecond}), got ${JSON.stringify(value)}`);
    else problems.push(`${from} must be how many messages may go at once, a number ≥ 1 (default ${DEFAULT_PACING[setting.bucket].burst}), got ${JSON.stringify(value)}`);
  };

  if (file !== undefined) {
    if (typeof file !== "object" || file === null || Array.isArray(file)) {
      problems.push(`${fileName}: 'telegram' must be an object such as { tokens: { cafe: "123:AA…" }, secret: "…" }`);
    } else {
      const t = file as Record<string, unknown>;
      for (const key of Object.keys(t)) if (!FILE_KEYS.includes(key)) problems.push(`${fileName}: unknown key 'telegram.${key}'; keys are: ${FILE_KEYS.join(", ")}`);
      if (t.tokens !== undefined) {
        if (typeof t.tokens !== "object" || t.tokens === null || Array.isArray(t.tokens)) problems.push(`${fileName}: 'telegram.tokens' must map bot ids to tokens, e.g. { cafe: "123:AA…" }`);
        else for (const [bot, value] of Object.entries(t.tokens)) takeToken(bot, value, `${fileName}: 'telegram.tokens.${bot}'`);
      }
      if (t.secret !== undefined) takeSecret(t.secret, `${fileName}: 'telegram.secret'`);
      if (t.apiRoot !== undefined) takeRoot(t.apiRoot, `${fileName}: 'telegram.apiRoot'`);
      if (t.providerToken !== undefined) takeProvider(t.providerToken, `${fileName}: 'telegram.providerToken'`);
      if (t.mode !== undefined) takeMode(t.mode, `${fileName}: 'telegram.mode'`);
      for (const setting of PACING_KEYS) if (t[setting.key] !== undefined) takePacing(setting, t[setting.key], `${fileName}: 'telegram.${setting.key}'`);
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === "" || name === PROVIDER_ENV) continue;
    const bot = TOKEN_ENV.exec(name)?.[1];
    if (bot !== undefined) takeToken(bot, value, name);
  }
  if (env.KIOSK_TELEGRAM_SECRET) takeSecret(env.KIOSK_TELEGRAM_SECRET, "KIOSK_TELEGRAM_SECRET");
  if (env.KIOSK_TELEGRAM_API_ROOT) takeRoot(env.KIOSK_TELEGRAM_API_ROOT, "KIOSK_TELEGRAM_API_ROOT");
  if (env[PROVIDER_ENV]) takeProvider(env[PROVIDER_ENV], PROVIDER_ENV);
  if (env.KIOSK_TELEGRAM_MODE) takeMode(env.KIOSK_TELEGRAM_MODE, "KIOSK_TELEGRAM_MODE");
  for (const setting of PACING_KEYS) if (env[setting.env]) takePacing(setting, env[setting.env], setting.env);

  const given = file !== undefined || Object.keys(env).some((name) => name.startsWith("KIOSK_TELEGRAM_") && env[name]);
  if (!given) return undefined;
  const resolved: TelegramMode = mode ?? (secret === undefined ? "polling" : "webhook");
  if (resolved === "webhook" && Object.keys(tokens).length > 0 && secret === undefined) {
    problems.push(
      "KIOSK_TELEGRAM_SECRET (or 'telegram.secret' in kiosk.config.ts) must be set in webhook mode: " +
        `${MIN_SECRET_CHARS}–256 characters of A–Z, a–z, 0–9, _ and -, the same secret_token you pass to setWebhook; or set KIOSK_TELEGRAM_MODE=polling`,
    );
  }
  return { tokens, ...(secret === undefined ? {} : { secret }), apiRoot, ...(providerToken === undefined ? {} : { providerToken }), mode: resolved, pacing };
}
