import { envName } from "../graph/api.ts";
import type { GraphAppConfig, GraphBotsPart } from "../graph/config.ts";

/** Messenger's part of Meta's settings: each bot's Page access token. */
export interface MessengerBots {
  /** Bot (KIOSK_…_<BOT>_… spelling) → its Page access token and where it was set. */
  readonly messenger: Readonly<Record<string, { readonly token: string; readonly from: string }>>;
}

/** What the Messenger channel runs with: the Meta app's settings and its bots' Page tokens. */
export type MessengerConfig = GraphAppConfig & MessengerBots;

const PAGE_TOKEN = /^KIOSK_MESSENGER_([A-Z0-9_]+)_PAGE_TOKEN$/;

/** The variable that holds a bot's Page access token. */
export const pageTokenVariable = (botId: string) => `KIOSK_MESSENGER_${envName(botId)}_PAGE_TOKEN`;

/** KIOSK_MESSENGER_<BOT>_PAGE_TOKEN, or `pageToken` under `meta.messenger.<bot>` in kiosk.config.ts. */
export const messengerSettings: GraphBotsPart<MessengerBots> = {
  key: "messenger",
  example: { bot: "cafe", settings: '{ pageToken: "EAAG…" }' },
  fileKeys: { pageToken: pageTokenVariable },
  read(settings, problems) {
    const messenger: Record<string, { token: string; from: string }> = {};
    for (const name of settings.names) {
      const page = PAGE_TOKEN.exec(name)?.[1];
      const value = settings.value(name);
      if (page === undefined || value === undefined) continue;
      if (/^\S{20,}$/.test(value)) messenger[page] = { token: value, from: settings.from(name) };
      else problems.push(`${settings.from(name)} must be the Page access token from the app's Messenger settings (got ${value.length} characters that are not one)`);
    }
    return { messenger };
  },
  hasBots: ({ messenger }) => Object.keys(messenger).length > 0,
};
