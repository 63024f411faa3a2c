import { envName } from "./api.ts";
import { shortSecret } from "../secrets.ts";

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

const FILE_KEYS = ["appSecret", "verifyToken", "apiBase", "apiVersion", "messenger", "whatsapp"] as const;
const FILE_VARIABLES: Readonly<Record<string, string>> = {
  appSecret: "KIOSK_META_APP_SECRET",
  verifyToken: "KIOSK_META_VERIFY_TOKEN",
  apiBase: "KIOSK_GRAPH_API_BASE",
  apiVersion: "KIOSK_GRAPH_API_VERSION",
};
const WHATSAPP_FILE_KEYS: Readonly<Record<string, "PHONE_NUMBER_ID" | "TOKEN" | "REMINDER_TEMPLATE" | "ORDER_TEMPLATE" | "CATALOG_ID">> = {
  phoneNumberId: "PHONE_NUMBER_ID",
  token: "TOKEN",
  reminderTemplate: "REMINDER_TEMPLATE",
  orderTemplate: "ORDER_TEMPLATE",
  catalogId: "CATALOG_ID",
};
const META_EXAMPLE = '{ appSecret: "…", verifyToken: "…", messenger: { cafe: { pageToken: "EAAG…" } }, whatsapp: { salon: { phoneNumberId: "1065…", token: "EAAG…" } } }';

type Settings = Map<string, { readonly value: string; readonly from: string }>;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `meta` from kiosk.config.ts as the variables it stands for, each with
 * where it was written (for messages): `whatsapp.salon.token` is
 * KIOSK_WHATSAPP_SALON_TOKEN.
 */
function fileSettings(file: unknown, fileName: string, problems: string[]): Settings {
  const out: Settings = new Map();
  if (file === undefined) return out;
  if (!isRecord(file)) {
    problems.push(`${fileName}: 'meta' must be an object such as ${META_EXAMPLE}`);
    return out;
  }
  const take = (variable: string, value: unknown, from: string) => {
    if (typeof value === "string") out.set(variable, { value, from });
    else problems.push(`${from} must be a string, got ${typeof value}`);
  };
  const perBot = (key: "messenger" | "whatsapp", each: (bot: string, settings: Record<string, unknown>, at: string) => void) => {
    const value = file[key];
    if (value === undefined) return;
    if (!isRecord(value)) {
      problems.push(`${fileName}: 'meta.${key}' must map bot ids to their settings, e.g. ${key === "messenger" ? '{ cafe: { pageToken: "EAAG…" } }' : '{ salon: { phoneNumberId: "1065…", token: "EAAG…" } }'}`);
      return;
    }
    for (const [bot, settings] of Object.entries(value)) {
      const at = `${fileName}: 'meta.${key}.${bot}`;
      if (isRecord(settings)) each(bot, settings, at);
      else problems.push(`${at}' must be an object of settings, e.g. ${key === "messenger" ? '{ pageToken: "EAAG…" }' : '{ phoneNumberId: "1065…", token: "EAAG…" }'}`);
    }
  };
  for (const [key, value] of Object.entries(file)) {
    if (!(FILE_KEYS as readonly string[]).includes(key)) problems.push(`${fileName}: unknown key 'meta.${key}'; keys are: ${FILE_KEYS.join(", ")}`);
    const variable = FILE_VARIABLES[key];
    if (variable !== undefined && value !== undefined) take(variable, value, `${fileName}: 'meta.${key}'`);
  }
  perBot("messenger", (bot, settings, at) => {
    for (const [key, value] of Object.entries(settings)) {
      if (key === "pageToken") take(pageTokenVariable(bot), value, `${at}.pageToken'`);
      else problems.push(`${at}': unknown key '${key}'; keys are: pageToken`);
    }
  });
  perBot("whatsapp", (bot, settings, at) => {
    for (const [key, value] of Object.entries(settings)) {
      const what = WHATSAPP_FILE_KEYS[key];
      if (what !== undefined) take(whatsappVariable(bot, what), value, `${at}.${key}'`);
      else problems.push(`${at}': unknown key '${key}'; keys are: ${Object.keys(WHATSAPP_FILE_KEYS).join(", ")}`);
    }
  });
  return out;
}

/**
 * Reads `meta` from kiosk.config.ts (`{ appSecret, verifyToken, apiBase,
 * apiVersion, messenger: { <bot>: { pageToken } }, whatsapp: { <bot>: {
 * phoneNumberId, token, reminderTemplate, orderTemplate, catalogId } } }`)
 * and the Messenger and WhatsApp variables (which win), pushing a problem
 * that names what to set for each bad or missing value (a token's value is
 * never echoed). Undefined when none is set.
 */
export function resolveMetaConfig(input: {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly problems: string[];
  /** `meta` of kiosk.config.ts, if any. */
  readonly file?: unknown;
  readonly fileName?: string;
}): MetaConfig | undefined {
  const { problems } = input;
  const settings = fileSettings(input.file, input.fileName ?? "kiosk.config.ts", problems);
  for (const [name, value] of Object.entries(input.env)) {
    if (/^KIOSK_(META|GRAPH_API|MESSENGER|WHATSAPP)_/.test(name) && value !== undefined && value.trim() !== "") settings.set(name, { value, from: name });
  }
  /** Where a setting was written: its variable, or its place in kiosk.config.ts. */
  const from = (name: string) => settings.get(name)?.from ?? name;
  const set = (name: string) => {
    const value = settings.get(name)?.value.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const given = input.file !== undefined || [...settings.keys()].some((k) => set(k) !== undefined);
  if (!given) return undefined;
  const env = Object.fromEntries([...settings].map(([name, v]) => [name, v.value]));

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
    else problems.push(`${from("KIOSK_GRAPH_API_BASE")} must be an http(s) URL such as ${DEFAULT_GRAPH_BASE}, got '${base}'`);
  }
  let apiVersion = DEFAULT_GRAPH_VERSION;
  const version = set("KIOSK_GRAPH_API_VERSION");
  if (version !== undefined) {
    if (/^v\d{1,3}\.\d{1,3}$/.test(version)) apiVersion = version;
    else problems.push(`${from("KIOSK_GRAPH_API_VERSION")} must be a Graph API version such as ${DEFAULT_GRAPH_VERSION}, got '${version}'`);
  }
  const appSecret = set("KIOSK_META_APP_SECRET");
  const verifyToken = set("KIOSK_META_VERIFY_TOKEN");
  if (verifyToken !== undefined && !/^[\x21-\x7e]{1,256}$/.test(verifyToken)) problems.push(`${from("KIOSK_META_VERIFY_TOKEN")} must be 1–256 printable characters without spaces (the Verify Token you type in the app's Webhooks settings)`);
  for (const [name, value] of [["KIOSK_META_APP_SECRET", appSecret], ["KIOSK_META_VERIFY_TOKEN", verifyToken]] as const) {
    const short = value === undefined ? undefined : shortSecret(from(name), value);
    if (short !== undefined) problems.push(short);
  }

  const messenger: Record<string, { token: string; from: string }> = {};
  const whatsapp: Record<string, { phoneNumberId?: string; token?: string; reminderTemplate?: WhatsAppTemplate; orderTemplate?: WhatsAppTemplate; catalogId?: string }> = {};
  for (const name of Object.keys(env).sort()) {
    const value = set(name);
    if (value === undefined) continue;
    const page = MESSENGER_TOKEN.exec(name)?.[1];
    if (page !== undefined) {
      if (/^\S{20,}$/.test(value)) messenger[page] = { token: value, from: from(name) };
      else problems.push(`${from(name)} must be the Page access token from the app's Messenger settings (got ${value.length} characters that are not one)`);
      continue;
    }
    const match = WHATSAPP.exec(name);
    if (!match) continue;
    const [, bot = "", what] = match;
    const entry = (whatsapp[bot] ??= {});
    if (what === "PHONE_NUMBER_ID") {
      if (/^\d{5,20}$/.test(value)) entry.phoneNumberId = value;
      else problems.push(`${from(name)} must be the phone number ID (digits) from WhatsApp Manager → API Setup, not the phone number itself; got '${value}'`);
    } else if (what === "CATALOG_ID") {
      if (/^\d{5,20}$/.test(value)) entry.catalogId = value;
      else problems.push(`${from(name)} must be the ID (digits) of the catalog linked to the WhatsApp number (Commerce Manager), got '${value}'`);
    } else if (what === "TOKEN") {
      if (/^\S{20,}$/.test(value)) entry.token = value;
      else problems.push(`${from(name)} must be a system user access token with whatsapp_business_messaging (got ${value.length} characters that are not one)`);
    } else {
      const template = TEMPLATE.exec(value);
      if (!template) problems.push(`${from(name)} must name an approved template as name or name:language, e.g. booking_reminder:en_US; got '${value}'`);
      else entry[what === "REMINDER_TEMPLATE" ? "reminderTemplate" : "orderTemplate"] = { name: template[1] ?? value, language: template[2] ?? "en" };
    }
  }
  for (const [bot, entry] of Object.entries(whatsapp)) {
    if (entry.token !== undefined && entry.phoneNumberId === undefined) problems.push(`${from(`KIOSK_WHATSAPP_${bot}_TOKEN`)} is set but KIOSK_WHATSAPP_${bot}_PHONE_NUMBER_ID (or phoneNumberId in kiosk.config.ts) is not: set it to the bot's phone number ID`);
    if (entry.phoneNumberId !== undefined && entry.token === undefined) problems.push(`${from(`KIOSK_WHATSAPP_${bot}_PHONE_NUMBER_ID`)} is set but KIOSK_WHATSAPP_${bot}_TOKEN (or token in kiosk.config.ts) is not: set it to an access token with whatsapp_business_messaging`);
  }
  const channels = Object.keys(messenger).length > 0 || Object.values(whatsapp).some((w) => w.token !== undefined);
  if (channels && appSecret === undefined) problems.push("KIOSK_META_APP_SECRET (or 'meta.appSecret' in kiosk.config.ts) must be set when a Messenger or WhatsApp bot is: the App Secret (App settings → Basic) that signs webhooks in X-Hub-Signature-256");
  if (channels && verifyToken === undefined) problems.push("KIOSK_META_VERIFY_TOKEN (or 'meta.verifyToken' in kiosk.config.ts) must be set when a Messenger or WhatsApp bot is: any secret string, the same you type as Verify Token in the app's Webhooks settings");
  return {
    apiBase,
    apiVersion,
    ...(appSecret === undefined ? {} : { appSecret }),
    ...(verifyToken === undefined ? {} : { verifyToken }),
    messenger,
    whatsapp,
  };
}
