import { envName } from "../adapters/graph/index.ts";

/** A WhatsApp message template approved for a bot: its name and language code. */
export interface WhatsAppTemplate {
  readonly name: string;
  readonly language: string;
}

export interface WhatsAppBotConfig {
  readonly phoneNumberId?: string;
  readonly token?: string;
  /** Sent for a booking reminder after the 24-hour window. */
  readonly reminderTemplate?: WhatsAppTemplate;
  /** Sent for an order update after the 24-hour window. */
  readonly orderTemplate?: WhatsAppTemplate;
  /** The Meta catalog linked to the number, whose retailer ids are the bot's product ids. */
  readonly catalogId?: string;
}

/** Messenger and WhatsApp (Meta's Graph API) settings, from KIOSK_META_*, KIOSK_GRAPH_*, KIOSK_MESSENGER_* and KIOSK_WHATSAPP_*. */
export interface MetaConfig {
  readonly apiBase: string;
  readonly apiVersion: string;
  /** Signs every webhook POST (X-Hub-Signature-256). */
  readonly appSecret?: string;
  /** What Meta's verification request must carry as hub.verify_token. */
  readonly verifyToken?: string;
  /** Bot (KIOSK_…_<BOT>_… spelling) → its Page access token and the variable it came from. */
  readonly messenger: Readonly<Record<string, { readonly token: string; readonly from: string }>>;
  readonly whatsapp: Readonly<Record<string, WhatsAppBotConfig>>;
}

export const DEFAULT_GRAPH_BASE = "https://graph.facebook.com";
export const DEFAULT_GRAPH_VERSION = "v21.0";

const MESSENGER_TOKEN = /^KIOSK_MESSENGER_([A-Z0-9_]+)_PAGE_TOKEN$/;
const WHATSAPP = /^KIOSK_WHATSAPP_([A-Z0-9_]+?)_(PHONE_NUMBER_ID|TOKEN|REMINDER_TEMPLATE|ORDER_TEMPLATE|CATALOG_ID)$/;
const TEMPLATE = /^([a-z0-9_]{1,512})(?::([A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,4})?))?$/;

export const pageTokenVariable = (botId: string) => `KIOSK_MESSENGER_${envName(botId)}_PAGE_TOKEN`;
export const whatsappVariable = (botId: string, what: "PHONE_NUMBER_ID" | "TOKEN" | "REMINDER_TEMPLATE" | "ORDER_TEMPLATE" | "CATALOG_ID") => `KIOSK_WHATSAPP_${envName(botId)}_${what}`;

/**
 * Reads the Messenger and WhatsApp variables, pushing a problem that names
 * what to set for each bad or missing value (a token's value is never
 * echoed). Undefined when none is set.
 */
export function resolveMetaConfig(input: { readonly env: Readonly<Record<string, string | undefined>>; readonly problems: string[] }): MetaConfig | undefined {
  const { env, problems } = input;
  const set = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const given = Object.keys(env).some((k) => /^KIOSK_(META|GRAPH_API|MESSENGER|WHATSAPP)_/.test(k) && set(k) !== undefined);
  if (!given) return undefined;

  let apiBase = DEFAULT_GRAPH_BASE;
  const base = set("KIOSK_GRAPH_API_BASE");
  if (base !== undefined) {
    let ok: boolean;
    try {
      const url = new URL(base);
      ok = (url.protocol === "http:" || url.protocol === "https:") && url.search === "" && url.hash === "";
    } catch {
      ok = false;
    }
    if (ok) apiBase = base.replace(/\/+$/, "");
    else problems.push(`KIOSK_GRAPH_API_BASE must be an http(s) URL such as ${DEFAULT_GRAPH_BASE}, got '${base}'`);
  }
  let apiVersion = DEFAULT_GRAPH_VERSION;
  const version = set("KIOSK_GRAPH_API_VERSION");
  if (version !== undefined) {
    if (/^v\d{1,3}\.\d{1,3}$/.test(version)) apiVersion = version;
    else problems.push(`KIOSK_GRAPH_API_VERSION must be a Graph API version such as ${DEFAULT_GRAPH_VERSION}, got '${version}'`);
  }
  const appSecret = set("KIOSK_META_APP_SECRET");
  const verifyToken = set("KIOSK_META_VERIFY_TOKEN");
  if (verifyToken !== undefined && !/^[\x21-\x7e]{1,256}$/.test(verifyToken)) problems.push("KIOSK_META_VERIFY_TOKEN must be 1–256 printable characters without spaces (the Verify Token you type in the app's Webhooks settings)");

  const messenger: Record<string, { token: string; from: string }> = {};
  const whatsapp: Record<string, { phoneNumberId?: string; token?: string; reminderTemplate?: WhatsAppTemplate; orderTemplate?: WhatsAppTemplate; catalogId?: string }> = {};
  for (const name of Object.keys(env).sort()) {
    const value = set(name);
    if (value === undefined) continue;
    const page = MESSENGER_TOKEN.exec(name)?.[1];
    if (page !== undefined) {
      if (/^\S{20,}$/.test(value)) messenger[page] = { token: value, from: name };
      else problems.push(`${name} must be the Page access token from the app's Messenger settings (got ${value.length} characters that are not one)`);
      continue;
    }
    const match = WHATSAPP.exec(name);
    if (!match) continue;
    const [, bot = "", what] = match;
    const entry = (whatsapp[bot] ??= {});
    if (what === "PHONE_NUMBER_ID") {
      if (/^\d{5,20}$/.test(value)) entry.phoneNumberId = value;
      else problems.push(`${name} must be the phone number ID (digits) from WhatsApp Manager → API Setup, not the phone number itself; got '${value}'`);
    } else if (what === "CATALOG_ID") {
      if (/^\d{5,20}$/.test(value)) entry.catalogId = value;
      else problems.push(`${name} must be the ID (digits) of the catalog linked to the WhatsApp number (Commerce Manager), got '${value}'`);
    } else if (what === "TOKEN") {
      if (/^\S{20,}$/.test(value)) entry.token = value;
      else problems.push(`${name} must be a system user access token with whatsapp_business_messaging (got ${value.length} characters that are not one)`);
    } else {
      const template = TEMPLATE.exec(value);
      if (!template) problems.push(`${name} must name an approved template as name or name:language, e.g. booking_reminder:en_US; got '${value}'`);
      else entry[what === "REMINDER_TEMPLATE" ? "reminderTemplate" : "orderTemplate"] = { name: template[1] ?? value, language: template[2] ?? "en" };
    }
  }
  for (const [bot, entry] of Object.entries(whatsapp)) {
    if (entry.token !== undefined && entry.phoneNumberId === undefined) problems.push(`KIOSK_WHATSAPP_${bot}_TOKEN is set but KIOSK_WHATSAPP_${bot}_PHONE_NUMBER_ID is not: set it to the bot's phone number ID`);
    if (entry.phoneNumberId !== undefined && entry.token === undefined) problems.push(`KIOSK_WHATSAPP_${bot}_PHONE_NUMBER_ID is set but KIOSK_WHATSAPP_${bot}_TOKEN is not: set it to an access token with whatsapp_business_messaging`);
  }
  const channels = Object.keys(messenger).length > 0 || Object.values(whatsapp).some((w) => w.token !== undefined);
  if (channels && appSecret === undefined) problems.push("KIOSK_META_APP_SECRET must be set when a Messenger or WhatsApp bot is: the App Secret (App settings → Basic) that signs webhooks in X-Hub-Signature-256");
  if (channels && verifyToken === undefined) problems.push("KIOSK_META_VERIFY_TOKEN must be set when a Messenger or WhatsApp bot is: any secret string, the same you type as Verify Token in the app's Webhooks settings");
  return {
    apiBase,
    apiVersion,
    ...(appSecret === undefined ? {} : { appSecret }),
    ...(verifyToken === undefined ? {} : { verifyToken }),
    messenger,
    whatsapp,
  };
}
