/**
 * The bots' signed webhooks (jobs/webhooks.ts): KIOSK_WEBHOOK_<BOT>_URL and
 * KIOSK_WEBHOOK_<BOT>_SECRET (BOT: the bot's id in capitals, other
 * characters `_`, as in KIOSK_TELEGRAM_<BOT>_TOKEN), or `webhooks: { cafe:
 * { url, secret } }` in kiosk.config.ts (the variables win). A secret's
 * value is never shown in a problem, only its length.
 */
import { ConfigError, describeSecret, isLoopback, shortSecret } from "../adapters/index.ts";
import type { LoadedBot } from "../flows/index.ts";
import type { WebhookEndpoint } from "../jobs/index.ts";

/** One bot's webhook as configured, keyed by its BOT name; `from` names where each half was set, for messages. */
export interface WebhookSetting {
  readonly url: string;
  readonly secret: string;
  /** Per attempt, in ms (kiosk.config.ts only, 100–30000; default 10 s). */
  readonly timeoutMs?: number;
  readonly from: { readonly url: string; readonly secret: string };
}

const VARIABLE = /^KIOSK_WEBHOOK_([A-Z0-9_]+)_(URL|SECRET)$/;
const FILE_KEYS = ["url", "secret", "timeoutMs"];

/** A bot id as its variables spell it: capitals, other characters `_`. */
export function webhookBotName(botId: string): string {
  return botId.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/** The variables of a bot's webhook. */
export function webhookVariables(botId: string): { readonly url: string; readonly secret: string } {
  const name = webhookBotName(botId);
  return { url: `KIOSK_WEBHOOK_${name}_URL`, secret: `KIOSK_WEBHOOK_${name}_SECRET` };
}

/** https, or http to a loopback host (a receiver on this machine, for tests); no user:password, no #fragment. */
function urlProblem(value: unknown, from: string): string | undefined {
  const expected = `${from} must be the https URL of your webhook receiver, e.g. https://shop.example.com/kiosk-events (http only to 127.0.0.1, ::1 or localhost)`;
  if (typeof value !== "string") return `${expected}, got ${typeof value}`;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return `${expected}; it is not a URL`;
  }
  if (url.username !== "" || url.password !== "") return `${from} must not carry a user name or password (they would be written in logs); the signature authenticates Kiosk to your receiver`;
  if (url.hash !== "") return `${expected}; it has a #fragment`;
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && isLoopback(url.hostname)) return undefined;
  return `${expected}; got a ${url.protocol.replace(":", "")} URL to ${url.hostname}`;
}

/**
 * Reads the webhooks of `file` (kiosk.config.ts's `webhooks`) and `env`,
 * pushing one problem per bad value; by BOT name (see `webhookBotName`).
 */
export function resolveWebhookSettings(input: {
  readonly file: unknown;
  readonly fileName: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly problems: string[];
}): Readonly<Record<string, WebhookSetting>> {
  const { file, fileName, env, problems } = input;
  const halves: Record<string, { url?: { value: unknown; from: string }; secret?: { value: unknown; from: string }; timeoutMs?: number }> = {};
  const half = (bot: string) => (halves[bot] ??= {});
  if (file !== undefined) {
    if (typeof file !== "object" || file === null || Array.isArray(file)) {
      problems.push(`${fileName}: 'webhooks' must map bot ids to { url, secret }, e.g. { cafe: { url: "https://…", secret: process.env.CAFE_WEBHOOK_SECRET } }`);
    } else {
      for (const [bot, entry] of Object.entries(file)) {
        const where = `${fileName}: 'webhooks.${bot}`;
        if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
          problems.push(`${where}' must be { url, secret }`);
          continue;
        }
        const e = entry as Record<string, unknown>;
        for (const key of Object.keys(e)) if (!FILE_KEYS.includes(key)) problems.push(`${where}.${key}' is not a key; keys are: ${FILE_KEYS.join(", ")}`);
        const name = webhookBotName(bot);
        if (e.url !== undefined) half(name).url = { value: e.url, from: `${where}.url'` };
        if (e.secret !== undefined) half(name).secret = { value: e.secret, from: `${where}.secret'` };
        if (e.timeoutMs !== undefined) {
          if (typeof e.timeoutMs === "number" && Number.isInteger(e.timeoutMs) && e.timeoutMs >= 100 && e.timeoutMs <= 30_000) half(name).timeoutMs = e.timeoutMs;
          else problems.push(`${where}.timeoutMs' must be a whole number of ms from 100 to 30000, got ${JSON.stringify(e.timeoutMs)}`);
        }
      }
    }
  }
  for (const [name, value] of Object.entries(env)) {
    const match = VARIABLE.exec(name);
    if (!match?.[1] || value === undefined || value === "") continue;
    if (match[2] === "URL") half(match[1]).url = { value, from: name };
    else half(match[1]).secret = { value, from: name };
  }
  const settings: Record<string, WebhookSetting> = {};
  for (const [bot, { url, secret, timeoutMs }] of Object.entries(halves)) {
    const variables = { url: `KIOSK_WEBHOOK_${bot}_URL`, secret: `KIOSK_WEBHOOK_${bot}_SECRET` };
    if (url === undefined) {
      if (secret !== undefined) problems.push(`${secret.from} is set but ${variables.url} is not: set the URL your receiver listens at, or unset the secret`);
      continue;
    }
    if (secret === undefined) {
      problems.push(`${url.from} is set but ${variables.secret} is not: set a secret of at least 16 characters (generate one with: openssl rand -hex 32) for Kiosk to sign each event with`);
      continue;
    }
    const badUrl = urlProblem(url.value, url.from);
    if (badUrl !== undefined) problems.push(badUrl);
    const badSecret = typeof secret.value === "string" ? shortSecret(secret.from, secret.value) : `${secret.from} must be a string of at least 16 characters, got ${describeSecret(secret.value)}`;
    if (badSecret !== undefined) problems.push(badSecret);
    if (badUrl !== undefined || badSecret !== undefined || typeof url.value !== "string" || typeof secret.value !== "string") continue;
    settings[bot] = { url: url.value.trim(), secret: secret.value, ...(timeoutMs === undefined ? {} : { timeoutMs }), from: { url: url.from, secret: secret.from } };
  }
  return settings;
}

/**
 * The webhook of each loaded bot that has one. Throws a `ConfigError` naming
 * the variables of a webhook set for a bot that is not loaded.
 */
export function webhookEndpoints(settings: Readonly<Record<string, WebhookSetting>>, bots: readonly LoadedBot[]): WebhookEndpoint[] {
  const byName = new Map(bots.map((bot) => [webhookBotName(bot.id), bot.id] as const));
  const unknown = Object.entries(settings).filter(([name]) => !byName.has(name));
  if (unknown.length > 0) {
    const loaded = bots.map((b) => `${b.id} (${webhookVariables(b.id).url})`).join(", ") || "none";
    throw new ConfigError(unknown.map(([, s]) => `${s.from.url} names no loaded bot; the bots are: ${loaded}`));
  }
  return Object.entries(settings).flatMap(([name, s]) => {
    const botId = byName.get(name);
    return botId === undefined ? [] : [{ botId, url: s.url, secret: s.secret, ...(s.timeoutMs === undefined ? {} : { timeoutMs: s.timeoutMs }) }];
  });
}
