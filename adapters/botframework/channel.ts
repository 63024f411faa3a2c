import type { Channel } from "../channel.ts";
import { resolveBotFrameworkConfig, type BotFrameworkConfig } from "./config.ts";
import { createBotFramework, registerBotFramework } from "./webhook.ts";

/** Without any KIOSK_MS_* setting: no authentication, for the Bot Framework Emulator on this machine. */
const LOCAL_EMULATOR: BotFrameworkConfig = { appType: "MultiTenant" };

/**
 * Bot Framework (botbuilder's CloudAdapter): Teams, Web Chat and the Bot
 * Framework Emulator on POST /api/messages and /api/messages/:bot. It always
 * runs: with an app registration (KIOSK_MS_APP_ID, KIOSK_MS_APP_PASSWORD,
 * KIOSK_MS_TENANT_ID) every request is authenticated and the server is
 * production; without one it serves the Bot Framework Emulator on loopback,
 * in emulator mode only. Invoices open the hosted checkout.
 */
export const botframeworkChannel: Channel<BotFrameworkConfig> = {
  name: "botframework",
  fileKeys: [],
  settings: ({ env, problems }) => resolveBotFrameworkConfig({ env, problems }),
  fallback: LOCAL_EMULATOR,
  isReal: (settings) => settings.appId !== undefined,
  open(settings, context) {
    const { bots, store, clock, mode } = context;
    const botframework = createBotFramework({ config: settings, bots, store, checkout: context.paymentLinks });
    return {
      senders: [botframework.sender],
      routes: (app, turns) => registerBotFramework(app, { botframework, runtime: turns, store, clock, bots, mode }),
    };
  },
};
