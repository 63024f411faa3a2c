import { envName } from "../graph/api.ts";
import type { GraphAppConfig, GraphBotsPart } from "../graph/config.ts";

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

/** WhatsApp's part of Meta's settings: each bot's number, token, templates and catalog. */
export interface WhatsAppBots {
  /** Bot (KIOSK_…_<BOT>_… spelling) → its settings. */
  readonly whatsapp: Readonly<Record<string, WhatsAppBotConfig>>;
}

/** What the WhatsApp channel runs with: the Meta app's settings and its bots' numbers. */
export type WhatsAppConfig = GraphAppConfig & WhatsAppBots;

type Setting = "PHONE_NUMBER_ID" | "TOKEN" | "REMINDER_TEMPLATE" | "ORDER_TEMPLATE" | "CATALOG_ID";
const VARIABLE = /^KIOSK_WHATSAPP_([A-Z0-9_]+?)_(PHONE_NUMBER_ID|TOKEN|REMINDER_TEMPLATE|ORDER_TEMPLATE|CATALOG_ID)$/;
const TEMPLATE = /^([a-z0-9_]{1,512})(?::([A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,4})?))?$/;

/** The variable that holds one of a bot's WhatsApp settings. */
export const whatsappVariable = (botId: string, what: Setting) => `KIOSK_WHATSAPP_${envName(botId)}_${what}`;

/** KIOSK_WHATSAPP_<BOT>_PHONE_NUMBER_ID, _TOKEN, _REMINDER_TEMPLATE, _ORDER_TEMPLATE, _CATALOG_ID, or their keys under `meta.whatsapp.<bot>` in kiosk.config.ts. */
export const whatsappSettings: GraphBotsPart<WhatsAppBots> = {
  key: "whatsapp",
  example: { bot: "salon", settings: '{ phoneNumberId: "1065…", token: "EAAG…" }' },
  fileKeys: {
    phoneNumberId: (bot) => whatsappVariable(bot, "PHONE_NUMBER_ID"),
    token: (bot) => whatsappVariable(bot, "TOKEN"),
    reminderTemplate: (bot) => whatsappVariable(bot, "REMINDER_TEMPLATE"),
    orderTemplate: (bot) => whatsappVariable(bot, "ORDER_TEMPLATE"),
    catalogId: (bot) => whatsappVariable(bot, "CATALOG_ID"),
  },
  read(settings, problems) {
    const { from } = settings;
    const whatsapp: Record<string, { phoneNumberId?: string; token?: string; reminderTemplate?: WhatsAppTemplate; orderTemplate?: WhatsAppTemplate; catalogId?: string }> = {};
    for (const name of settings.names) {
      const value = settings.value(name);
      const match = VARIABLE.exec(name);
      if (value === undefined || !match) continue;
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
    return { whatsapp };
  },
  hasBots: ({ whatsapp }) => Object.values(whatsapp).some((w) => w.token !== undefined),
};
