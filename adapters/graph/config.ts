/**
 * Reading Meta's settings (KIOSK_META_*, KIOSK_GRAPH_API_* and `meta` in
 * kiosk.config.ts): the app's part that Messenger and WhatsApp share is read
 * here; each channel brings the part of its own bots (see `GraphBotsPart`:
 * messenger/config.ts, whatsapp/config.ts) and reads only that beside it.
 */
import { shortSecret } from "../secrets.ts";

/** The Meta app's settings that Messenger and WhatsApp share: where the Graph API is, and the webhooks' secrets. */
export interface GraphAppConfig {
  readonly apiBase: string;
  readonly apiVersion: string;
  /** Signs every webhook POST (X-Hub-Signature-256). */
  readonly appSecret?: string;
  /** What Meta's verification request must carry as hub.verify_token. */
  readonly verifyToken?: string;
}

export const DEFAULT_GRAPH_BASE = "https://graph.facebook.com";
export const DEFAULT_GRAPH_VERSION = "v21.0";

/** The settings read so far, by the KIOSK_* variable each is or stands for. */
export interface GraphSettings {
  /** The variables set (or written in kiosk.config.ts), sorted. */
  readonly names: readonly string[];
  /** A variable's value, trimmed; undefined when it is not set or blank. */
  value(name: string): string | undefined;
  /** Where it was written, for messages: the variable, or its place in kiosk.config.ts. */
  from(name: string): string;
}

/**
 * One channel's bots in Meta's settings: their variables
 * (KIOSK_<KEY>_<BOT>_…) and their block under `meta.<key>` in
 * kiosk.config.ts, read into the channel's own part of its settings.
 */
export interface GraphBotsPart<Own extends object> {
  /** Its block under `meta` and its variables' prefix: "messenger" is `meta.messenger` and KIOSK_MESSENGER_*. */
  readonly key: "messenger" | "whatsapp";
  /** A bot id and its settings in kiosk.config.ts, for messages: `cafe`, `{ pageToken: "EAAG…" }`. */
  readonly example: { readonly bot: string; readonly settings: string };
  /** Each key a bot's settings may have in kiosk.config.ts → the variable it stands for. */
  readonly fileKeys: Readonly<Record<string, (bot: string) => string>>;
  /** Its bots, read from the settings, with one problem for each bad value (a token's value is never echoed). */
  read(settings: GraphSettings, problems: string[]): Own;
  /** Whether some bot takes messages, which makes the app secret and verify token required. */
  hasBots(own: Own): boolean;
}

/** The keys of `meta` in kiosk.config.ts: the app's, then each channel's block. */
const FILE_KEYS = ["appSecret", "verifyToken", "apiBase", "apiVersion", "messenger", "whatsapp"] as const;
const FILE_VARIABLES: Readonly<Record<string, string>> = {
  appSecret: "KIOSK_META_APP_SECRET",
  verifyToken: "KIOSK_META_VERIFY_TOKEN",
  apiBase: "KIOSK_GRAPH_API_BASE",
  apiVersion: "KIOSK_GRAPH_API_VERSION",
};
const META_EXAMPLE = '{ appSecret: "…", verifyToken: "…", messenger: { cafe: { pageToken: "EAAG…" } }, whatsapp: { salon: { phoneNumberId: "1065…", token: "EAAG…" } } }';

type Written = Map<string, { readonly value: string; readonly from: string }>;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `meta` from kiosk.config.ts as the variables it stands for, each with
 * where it was written (for messages): `whatsapp.salon.token` is
 * KIOSK_WHATSAPP_SALON_TOKEN. Only the app's keys and the given parts'
 * blocks are read; another channel's block is left to it.
 */
function fileSettings(file: unknown, fileName: string, parts: ReadonlyArray<GraphBotsPart<object>>, problems: string[]): Written {
  const out: Written = new Map();
  if (file === undefined) return out;
  if (!isRecord(file)) {
    problems.push(`${fileName}: 'meta' must be an object such as ${META_EXAMPLE}`);
    return out;
  }
  const take = (variable: string, value: unknown, from: string) => {
    if (typeof value === "string") out.set(variable, { value, from });
    else problems.push(`${from} must be a string, got ${typeof value}`);
  };
  for (const [key, value] of Object.entries(file)) {
    if (!(FILE_KEYS as readonly string[]).includes(key)) problems.push(`${fileName}: unknown key 'meta.${key}'; keys are: ${FILE_KEYS.join(", ")}`);
    const variable = FILE_VARIABLES[key];
    if (variable !== undefined && value !== undefined) take(variable, value, `${fileName}: 'meta.${key}'`);
  }
  for (const part of parts) {
    const block = file[part.key];
    if (block === undefined) continue;
    const { bot: exampleBot, settings: exampleSettings } = part.example;
    if (!isRecord(block)) {
      problems.push(`${fileName}: 'meta.${part.key}' must map bot ids to their settings, e.g. { ${exampleBot}: ${exampleSettings} }`);
      continue;
    }
    for (const [bot, settings] of Object.entries(block)) {
      const at = `${fileName}: 'meta.${part.key}.${bot}`;
      if (!isRecord(settings)) {
        problems.push(`${at}' must be an object of settings, e.g. ${exampleSettings}`);
        continue;
      }
      for (const [key, value] of Object.entries(settings)) {
        const variable = part.fileKeys[key];
        if (variable !== undefined) take(variable(bot), value, `${at}.${key}'`);
        else problems.push(`${at}': unknown key '${key}'; keys are: ${Object.keys(part.fileKeys).join(", ")}`);
      }
    }
  }
  return out;
}

/** The app's settings, checked. */
function readApp(settings: GraphSettings, problems: string[]): GraphAppConfig {
  const { value, from } = settings;
  let apiBase = DEFAULT_GRAPH_BASE;
  const base = value("KIOSK_GRAPH_API_BASE");
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
  const version = value("KIOSK_GRAPH_API_VERSION");
  if (version !== undefined) {
    if (/^v\d{1,3}\.\d{1,3}$/.test(version)) apiVersion = version;
    else problems.push(`${from("KIOSK_GRAPH_API_VERSION")} must be a Graph API version such as ${DEFAULT_GRAPH_VERSION}, got '${version}'`);
  }
  const appSecret = value("KIOSK_META_APP_SECRET");
  const verifyToken = value("KIOSK_META_VERIFY_TOKEN");
  if (verifyToken !== undefined && !/^[\x21-\x7e]{1,256}$/.test(verifyToken)) problems.push(`${from("KIOSK_META_VERIFY_TOKEN")} must be 1–256 printable characters without spaces (the Verify Token you type in the app's Webhooks settings)`);
  for (const [name, secret] of [["KIOSK_META_APP_SECRET", appSecret], ["KIOSK_META_VERIFY_TOKEN", verifyToken]] as const) {
    const short = secret === undefined ? undefined : shortSecret(from(name), secret);
    if (short !== undefined) problems.push(short);
  }
  return { apiBase, apiVersion, ...(appSecret === undefined ? {} : { appSecret }), ...(verifyToken === undefined ? {} : { verifyToken }) };
}

/** The parts' own settings, one after the other, as one type. */
type Merged<Owns extends readonly object[]> = Owns extends readonly [infer First, ...infer Rest extends readonly object[]] ? First & Merged<Rest> : unknown;

/**
 * Reads the Meta app's settings and the given channels' bots from `meta` in
 * kiosk.config.ts (`{ appSecret, verifyToken, apiBase, apiVersion,
 * messenger: { <bot>: … }, whatsapp: { <bot>: … } }`) and the variables
 * (which win), pushing a problem that names what to set for each bad or
 * missing value (a token's value is never echoed): first what the file
 * holds, then the app's values, then each part's. Undefined when neither
 * the file's `meta`, nor the app's variables, nor the parts' are set.
 *
 * @example
 * const messenger = resolveGraphSettings({ env: process.env, problems }, [messengerSettings]); // GraphAppConfig & MessengerBots
 */
export function resolveGraphSettings<const Owns extends readonly object[]>(
  input: {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly problems: string[];
    /** `meta` of kiosk.config.ts, if any. */
    readonly file?: unknown;
    readonly fileName?: string;
  },
  parts: { readonly [K in keyof Owns]: GraphBotsPart<Owns[K]> },
): (GraphAppConfig & Merged<Owns>) | undefined {
  const { problems } = input;
  const all: ReadonlyArray<GraphBotsPart<object>> = parts;
  const written = fileSettings(input.file, input.fileName ?? "kiosk.config.ts", all, problems);
  const prefix = new RegExp(`^KIOSK_(${["META", "GRAPH_API", ...all.map((p) => p.key.toUpperCase())].join("|")})_`);
  for (const [name, value] of Object.entries(input.env)) {
    if (prefix.test(name) && value !== undefined && value.trim() !== "") written.set(name, { value, from: name });
  }
  const settings: GraphSettings = {
    names: [...written.keys()].sort(),
    value: (name) => {
      const value = written.get(name)?.value.trim();
      return value === undefined || value === "" ? undefined : value;
    },
    from: (name) => written.get(name)?.from ?? name,
  };
  if (input.file === undefined && !settings.names.some((name) => settings.value(name) !== undefined)) return undefined;

  const app = readApp(settings, problems);
  const owns = all.map((part) => part.read(settings, problems));
  if (all.some((part, i) => part.hasBots(owns[i] ?? {}))) {
    if (app.appSecret === undefined) problems.push("KIOSK_META_APP_SECRET (or 'meta.appSecret' in kiosk.config.ts) must be set when a Messenger or WhatsApp bot is: the App Secret (App settings → Basic) that signs webhooks in X-Hub-Signature-256");
    if (app.verifyToken === undefined) problems.push("KIOSK_META_VERIFY_TOKEN (or 'meta.verifyToken' in kiosk.config.ts) must be set when a Messenger or WhatsApp bot is: any secret string, the same you type as Verify Token in the app's Webhooks settings");
  }
  // Each part's own type is its own; together they are the `Merged` the signature names.
  return Object.assign({}, app, ...owns) as GraphAppConfig & Merged<Owns>;
}
