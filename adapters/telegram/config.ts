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
  /**
   * Bot (as in KIOSK_MERCHANT_<BOT>) → the Telegram chat where its merchant
   * chat is (a group's id is negative), and where it was set. The bot sends
   * there with its own token, so it must run on Telegram.
   */
  readonly merchantChats: Readonly<Record<string, { readonly chatId: string; readonly from: string }>>;
}

export type TelegramMode = "webhook" | "polling";

export const DEFAULT_TELEGRAM: TelegramConfig = { tokens: {}, apiRoot: "https://api.telegram.org", mode: "polling", pacing: DEFAULT_PACING, merchantChats: {} };

const TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{30,100}$/;
const SECRET = /^[A-Za-z0-9_-]{1,256}$/;
const PROVIDER_ENV = "KIOSK_TELEGRAM_PROVIDER_TOKEN";
const TOKEN_ENV = /^KIOSK_TELEGRAM_([A-Z0-9_]+)_TOKEN$/;
const FILE_KEYS = ["tokens", "secret", "apiRoot", "providerToken", "mode", "ratePerBot", "burstPerBot", "ratePerChat", "burstPerChat", "merchantChats"];
const MERCHANT_ENV = /^KIOSK_MERCHANT_([A-Z0-9_]+)$/;
/** A Telegram chat id: an integer, negative for groups (supergroups are -100…). */
const CHAT_ID = /^-?\d{1,16}$/;
/** The pacing settings: file key, variable, which bucket, which field. */
const PACING_KEYS = [
  { key: "ratePerBot", env: "KIOSK_TELEGRAM_RATE_PER_BOT", bucket: "perBot", field: "perSecond" },
  { key: "burstPerBot", env: "KIOSK_TELEGRAM_BURST_PER_BOT", bucket: "perBot", field: "burst" },
  { key: "ratePerChat", env: "KIOSK_TELEGRAM_RATE_PER_CHAT", bucket: "perChat", field: "perSecond" },
  { key: "burstPerChat", env: "KIOSK_TELEGRAM_BURST_PER_CHAT", bucket: "perChat", field: "burst" },
] as const;
const MODES: readonly TelegramMode[] = ["webhook", "polling"];

/** The variable that names a bot's merchant chat. */
export function merchantVariable(botId: string): string {
  return `KIOSK_MERCHANT_${envName(botId)}`;
}

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
  const merchantChats: Record<string, { chatId: string; from: string }> = {};

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

  const takeMerchant = (bot: string, value: unknown, from: string, prefixed: boolean) => {
    const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : typeof value === "string" ? value.trim() : undefined;
    const chat = prefixed ? (text?.startsWith("telegram:") ? text.slice("telegram:".length) : undefined) : text;
    if (chat !== undefined && CHAT_ID.test(chat) && Number.isSafeInteger(Number(chat))) merchantChats[envName(bot)] = { chatId: String(Number(chat)), from };
    else if (prefixed && text !== undefined && /^[a-z]+:/.test(text) && !text.startsWith("telegram:")) problems.push(`${from}: merchant chats are on Telegram only so far; set telegram:<chat id>, e.g. telegram:-1001234567890 for a group (got ${JSON.stringify(text.split(":")[0])})`);
    else problems.push(`${from} must be ${prefixed ? "telegram:<chat id>" : "a Telegram chat id"}, an integer (negative for a group), e.g. ${prefixed ? "telegram:" : ""}-1001234567890; got ${JSON.stringify(value)}`);
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
      if (t.merchantChats !== undefined) {
        if (typeof t.merchantChats !== "object" || t.merchantChats === null || Array.isArray(t.merchantChats)) problems.push(`${fileName}: 'telegram.merchantChats' must map bot ids to Telegram chat ids, e.g. { cafe: -1001234567890 }`);
        else for (const [bot, value] of Object.entries(t.merchantChats)) takeMerchant(bot, value, `${fileName}: 'telegram.merchantChats.${bot}'`, false);
      }
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === "" || name === PROVIDER_ENV) continue;
    const bot = TOKEN_ENV.exec(name)?.[1];
    if (bot !== undefined) takeToken(bot, value, name);
    const merchant = MERCHANT_ENV.exec(name)?.[1];
    if (merchant !== undefined) takeMerchant(merchant, value, name, true);
  }
  if (env.KIOSK_TELEGRAM_SECRET) takeSecret(env.KIOSK_TELEGRAM_SECRET, "KIOSK_TELEGRAM_SECRET");
  if (env.KIOSK_TELEGRAM_API_ROOT) takeRoot(env.KIOSK_TELEGRAM_API_ROOT, "KIOSK_TELEGRAM_API_ROOT");
  if (env[PROVIDER_ENV]) takeProvider(env[PROVIDER_ENV], PROVIDER_ENV);
  if (env.KIOSK_TELEGRAM_MODE) takeMode(env.KIOSK_TELEGRAM_MODE, "KIOSK_TELEGRAM_MODE");
  for (const setting of PACING_KEYS) if (env[setting.env]) takePacing(setting, env[setting.env], setting.env);

  // A merchant chat is sent to with the bot's own Telegram token.
  for (const [bot, { from }] of Object.entries(merchantChats)) {
    if (tokens[bot] === undefined) problems.push(`${from}: the merchant chat is sent to by the bot on Telegram; set KIOSK_TELEGRAM_${bot}_TOKEN (or 'telegram.tokens') for it too`);
  }
  const given = file !== undefined || Object.keys(env).some((name) => name.startsWith("KIOSK_TELEGRAM_") && env[name]);
  if (!given) return undefined;
  const resolved: TelegramMode = mode ?? (secret === undefined ? "polling" : "webhook");
  if (resolved === "webhook" && Object.keys(tokens).length > 0 && secret === undefined) {
    problems.push(
      "KIOSK_TELEGRAM_SECRET (or 'telegram.secret' in kiosk.config.ts) must be set in webhook mode: " +
        `${MIN_SECRET_CHARS}–256 characters of A–Z, a–z, 0–9, _ and -, the same secret_token you pass to setWebhook; or set KIOSK_TELEGRAM_MODE=polling`,
    );
  }
  return { tokens, ...(secret === undefined ? {} : { secret }), apiRoot, ...(providerToken === undefined ? {} : { providerToken }), mode: resolved, pacing, merchantChats };
}
