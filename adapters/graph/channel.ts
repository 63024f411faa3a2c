import type { ChannelSender } from "../../core/message.ts";
import type { Channel, ChannelContext } from "../channel.ts";
import { resolveGraphSettings, type GraphAppConfig, type GraphBotsPart } from "./config.ts";
import type { GraphSenderOptions } from "./sender.ts";
import { checkoutLinks, graphEndpoint, webhookSecrets } from "./setup.ts";
import { registerGraphWebhook, type GraphWebhook } from "./webhook.ts";

/** A Graph channel opened for the loaded bots: its sender and its webhook. */
export interface OpenGraphChannel<Account, Event extends { readonly kind: string }> {
  readonly sender: ChannelSender;
  readonly webhook: GraphWebhook<Account, Event>;
}

/** What a Graph channel is beyond what Messenger and WhatsApp share. */
export interface GraphChannelSpec<Own extends object, Account, Event extends { readonly kind: string }> {
  /** The registry's key, the outbox channel and the webhook's path (`/<name>/:bot/webhook`). */
  readonly name: string;
  /** Its bots' part of Meta's settings. */
  readonly bots: GraphBotsPart<Own>;
  /**
   * Opens it for the loaded bots, given what its sender shares with the
   * other Graph channel (the endpoint, the clock, when the customer last
   * wrote, the checkout link); a ConfigError when a bot's settings name no
   * loaded bot.
   */
  open(settings: GraphAppConfig & Own, context: ChannelContext, sender: GraphSenderOptions): OpenGraphChannel<Account, Event>;
}

/**
 * A channel on Meta's Graph API: it reads `meta` in kiosk.config.ts and
 * the app's variables with its own bots' part, is real once a bot of it
 * takes messages, and opens (the app secret and verify token checked
 * first) as its sender in the outbox and its webhook's routes.
 *
 * @example
 * export const messengerChannel = graphChannel({ name: "messenger", bots: messengerSettings, open: (settings, context, sender) => ({ sender: …, webhook: … }) });
 */
export function graphChannel<Own extends object, Account, Event extends { readonly kind: string }>(spec: GraphChannelSpec<Own, Account, Event>): Channel<GraphAppConfig & Own> {
  return {
    name: spec.name,
    fileKeys: ["meta"],
    settings: ({ env, file, fileName, problems }) => resolveGraphSettings<[Own]>({ env, problems, file: file.meta, fileName }, [spec.bots]),
    isReal: (settings) => spec.bots.hasBots(settings),
    open(settings, context) {
      if (!spec.bots.hasBots(settings)) return {};
      const { bots, store, clock } = context;
      const secrets = webhookSecrets(settings);
      const { sender, webhook } = spec.open(settings, context, {
        endpoint: graphEndpoint(settings),
        clock,
        lastInbound: (botId, userId) => store.lastInbound({ botId, channel: spec.name, userId }),
        checkoutLink: checkoutLinks(context.paymentLinks),
      });
      return {
        senders: [sender],
        routes: (app, turns) => registerGraphWebhook(app, webhook, { channel: spec.name, secrets, runtime: turns, store, clock, bots }),
      };
    },
  };
}
