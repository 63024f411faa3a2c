import type { Channel, TurnRunner } from "../channel.ts";
import { CHECKOUT_FILE_KEYS, readCheckoutSettings, type CheckoutSettings } from "./config.ts";

/**
 * The hosted checkout (Stripe's API and webhook scheme): payment links for
 * the channels without native invoices, the signed webhook
 * /checkout/webhook that pays orders, refunds of what it took, and the
 * success and cancel pages. Configured by KIOSK_CHECKOUT_API_KEY,
 * KIOSK_CHECKOUT_WEBHOOK_SECRET and KIOSK_PUBLIC_URL; it moves real money,
 * so it makes the server production.
 */
export const checkoutChannel: Channel<CheckoutSettings> = {
  name: "checkout",
  fileKeys: CHECKOUT_FILE_KEYS,
  settings: readCheckoutSettings,
  isReal: () => true,
  async open(settings, context) {
    // Imported only when configured: it brings the Stripe SDK.
    const { CheckoutService, registerCheckout } = await import("./service.ts");
    // The webhook runs turns; the runtime exists once the server has every channel's senders.
    let runtime: TurnRunner | undefined;
    const turns: TurnRunner = {
      handle: (event, options) => {
        if (!runtime) throw new Error("a checkout webhook arrived before the server finished starting");
        return runtime.handle(event, options);
      },
    };
    const onWarning = (message: string) => context.log.warn(message);
    const service = new CheckoutService({ settings, store: context.store, runtime: turns, bots: () => context.bots.map((b) => b.id), onWarning });
    return {
      paymentLinks: service,
      refunders: [{ provider: service.provider.id, refund: (refund) => service.refund(refund) }],
      routes(app, given) {
        runtime = given;
        registerCheckout(app, service, { onWarning });
      },
    };
  },
};
