/**
 * Messenger and WhatsApp, as the server starts them: the senders for the
 * outbox and the webhooks, for the bots configured with KIOSK_MESSENGER_* /
 * KIOSK_WHATSAPP_* (see meta-config.ts).
 */
import type { FastifyInstance } from "fastify";
import type { ChannelSender } from "../core/message.ts";
import type { LoadedBot } from "../flows/index.ts";
import type { Clock } from "../jobs/index.ts";
import type { Store } from "../store/index.ts";
import type { CheckoutService } from "./checkout.ts";
import { createMessenger, registerMessengerWebhook, type MessengerSetup } from "./messenger.ts";
import type { MetaConfig } from "./meta-config.ts";
import type { Runtime } from "../jobs/runtime.ts";
import { createWhatsApp, registerWhatsAppWebhook, type WhatsAppSetup } from "./whatsapp.ts";

export interface MetaChannels {
  readonly senders: readonly ChannelSender[];
  readonly messenger: MessengerSetup | undefined;
  readonly whatsapp: WhatsAppSetup | undefined;
  /** Adds the webhooks of the channels that run. */
  register(app: FastifyInstance, runtime: Runtime): void;
}

/** Throws a `ConfigError` naming what to set when a setting cannot be used. */
export function createMetaChannels(options: {
  readonly config: MetaConfig | undefined;
  readonly bots: readonly LoadedBot[];
  readonly store: Store;
  readonly clock: Clock;
  readonly checkout: () => CheckoutService | undefined;
}): MetaChannels {
  const { config, bots, store, clock } = options;
  const messenger = config && Object.keys(config.messenger).length > 0 ? createMessenger({ config, bots, store, clock, checkout: options.checkout }) : undefined;
  const whatsapp = config && Object.values(config.whatsapp).some((w) => w.token !== undefined) ? createWhatsApp({ config, bots, store, clock, checkout: options.checkout }) : undefined;
  return {
    senders: [...(messenger ? [messenger.sender] : []), ...(whatsapp ? [whatsapp.sender] : [])],
    messenger,
    whatsapp,
    register(app, runtime) {
      if (messenger) registerMessengerWebhook(app, { messenger, runtime, store, clock, bots });
      if (whatsapp) registerWhatsAppWebhook(app, { whatsapp, runtime, store, clock, bots });
    },
  };
}
