import { shortSecret } from "../secrets.ts";
/** Bot Framework settings: the Azure app registration that authenticates requests and sends, and which bot answers on /api/messages. */
export interface BotFrameworkConfig {
  /** The app registration's application (client) id; unset: no authentication (the Bot Framework Emulator on localhost), and in production mode no /api/messages at all. */
  readonly appId?: string;
  /** The app registration's client secret. */
  readonly appPassword?: string;
  /** The directory (tenant) id; required for SingleTenant. */
  readonly tenantId?: string;
  readonly appType: "MultiTenant" | "SingleTenant";
  /** The bot that answers on POST /api/messages; the first loaded bot when unset. */
  readonly bot?: string;
  /** Where the Bot Framework's token signing keys are published; botbuilder's default (login.botframework.com) when unset. Tests point it at a fake. */
  readonly openIdMetadataUrl?: string;
  /** The authority that issues the bot's outgoing tokens (an https URL, tenant included); botbuilder's default (login.microsoftonline.com/botframework.com) when unset. Tests point it at a fake. */
  readonly loginUrl?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i;
const BOT = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Reads KIOSK_MS_APP_ID, KIOSK_MS_APP_PASSWORD, KIOSK_MS_TENANT_ID,
 * KIOSK_MS_APP_TYPE, KIOSK_BOTFRAMEWORK_BOT, KIOSK_BOTFRAMEWORK_OPENID_METADATA_URL
 * and KIOSK_BOTFRAMEWORK_LOGIN_URL, pushing a problem that names
 * what to set for each bad or missing value. The password is never echoed.
 * Undefined when none is set (the channel still runs, unauthenticated).
 */
export function resolveBotFrameworkConfig(input: { readonly env: Readonly<Record<string, string | undefined>>; readonly problems: string[] }): BotFrameworkConfig | undefined {
  const { env, problems } = input;
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const appId = read("KIOSK_MS_APP_ID");
  const appPassword = read("KIOSK_MS_APP_PASSWORD");
  const tenantId = read("KIOSK_MS_TENANT_ID");
  const typeText = read("KIOSK_MS_APP_TYPE");
  const bot = read("KIOSK_BOTFRAMEWORK_BOT");
  const openIdMetadataUrl = read("KIOSK_BOTFRAMEWORK_OPENID_METADATA_URL");
  const loginUrl = read("KIOSK_BOTFRAMEWORK_LOGIN_URL");
  if ([appId, appPassword, tenantId, typeText, bot, openIdMetadataUrl, loginUrl].every((v) => v === undefined)) return undefined;

  let appType: BotFrameworkConfig["appType"] = "MultiTenant";
  if (typeText !== undefined) {
    const known = (["MultiTenant", "SingleTenant"] as const).find((t) => t.toLowerCase() === typeText.toLowerCase());
    if (known) appType = known;
    else problems.push(`KIOSK_MS_APP_TYPE must be MultiTenant or SingleTenant (the app type of the Azure Bot resource), got '${typeText}'`);
  }
  if (appId !== undefined && !GUID.test(appId)) {
    problems.push(`KIOSK_MS_APP_ID must be the Microsoft App ID of the Azure Bot resource, a GUID like 00000000-0000-0000-0000-000000000000, got '${appId}'`);
  }
  if (appId !== undefined && appPassword === undefined) {
    problems.push("KIOSK_MS_APP_PASSWORD must be set when KIOSK_MS_APP_ID is: a client secret of the app registration (Azure portal: the bot's Configuration → Manage Password)");
  }
  const shortPassword = appPassword === undefined ? undefined : shortSecret("KIOSK_MS_APP_PASSWORD", appPassword);
  if (shortPassword !== undefined) problems.push(`${shortPassword}; Azure's client secrets are about 40`);
  if (appId === undefined) {
    for (const name of ["KIOSK_MS_APP_PASSWORD", "KIOSK_MS_TENANT_ID", "KIOSK_MS_APP_TYPE", "KIOSK_BOTFRAMEWORK_LOGIN_URL"]) {
      if (read(name) !== undefined) problems.push(`${name} is set but KIOSK_MS_APP_ID is not: set KIOSK_MS_APP_ID to the Microsoft App ID of the Azure Bot resource, or unset ${name}`);
    }
  }
  if (tenantId !== undefined && !TENANT.test(tenantId)) {
    problems.push(`KIOSK_MS_TENANT_ID must be the directory (tenant) id of the app registration, a GUID, got '${tenantId}'`);
  }
  if (appId !== undefined && appType === "SingleTenant" && tenantId === undefined) {
    problems.push("KIOSK_MS_TENANT_ID must be set when KIOSK_MS_APP_TYPE is SingleTenant: the directory (tenant) id of the app registration");
  }
  if (openIdMetadataUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(openIdMetadataUrl)) {
    problems.push(`KIOSK_BOTFRAMEWORK_OPENID_METADATA_URL must be an http(s) URL of an OpenID configuration document, got '${openIdMetadataUrl}'`);
  }
  if (loginUrl !== undefined && !/^https:\/\/[^\s/]+\/[^\s]+$/.test(loginUrl)) {
    problems.push(`KIOSK_BOTFRAMEWORK_LOGIN_URL must be the https URL of the token authority, tenant included, like https://login.microsoftonline.com/botframework.com (MSAL refuses http), got '${loginUrl}'`);
  }
  if (bot !== undefined && !BOT.test(bot)) problems.push(`KIOSK_BOTFRAMEWORK_BOT must be the id of a loaded bot, e.g. cafe, got '${bot}'`);
  return {
    appType,
    ...(appId === undefined ? {} : { appId }),
    ...(appPassword === undefined ? {} : { appPassword }),
    ...(tenantId === undefined ? {} : { tenantId }),
    ...(bot === undefined ? {} : { bot }),
    ...(openIdMetadataUrl === undefined ? {} : { openIdMetadataUrl }),
    ...(loginUrl === undefined ? {} : { loginUrl }),
  };
}
