/**
 * What opening a Graph channel (Messenger, WhatsApp) takes from its
 * settings: where the Graph API is, the webhooks' secrets, the bots' own
 * settings matched to the loaded bots, and the checkout link an invoice opens.
 */
import { envName, type GraphEndpoint } from "./api.ts";
import { CommerceError } from "../../commerce/index.ts";
import type { LoadedBot } from "../../flows/index.ts";
import type { PaymentLinks } from "../channel.ts";
import { ConfigError } from "../errors.ts";
import type { GraphAppConfig } from "./config.ts";

/** The settings every Graph webhook needs, checked. */
export interface GraphWebhookSecrets {
  readonly appSecret: string;
  readonly verifyToken: string;
}

/** Where the settings say the Graph API is. */
export function graphEndpoint(config: GraphAppConfig): GraphEndpoint {
  return { base: config.apiBase, version: config.apiVersion };
}

/** The app secret and verify token; a `ConfigError` naming what to set when one is missing. */
export function webhookSecrets(config: GraphAppConfig): GraphWebhookSecrets {
  const problems: string[] = [];
  if (config.appSecret === undefined) problems.push("KIOSK_META_APP_SECRET (or 'meta.appSecret' in kiosk.config.ts) must be set to the App Secret (App settings → Basic) that signs webhooks");
  if (config.verifyToken === undefined) problems.push("KIOSK_META_VERIFY_TOKEN (or 'meta.verifyToken' in kiosk.config.ts) must be set to the Verify Token you type in the app's Webhooks settings");
  if (problems.length > 0 || config.appSecret === undefined || config.verifyToken === undefined) throw new ConfigError(problems);
  return { appSecret: config.appSecret, verifyToken: config.verifyToken };
}

/** Maps settings keyed by KIOSK_ spelling (CAFE) to loaded bot ids; a `ConfigError` for one naming no loaded bot. */
export function byBot<T>(entries: Readonly<Record<string, T>>, bots: readonly LoadedBot[], variable: (name: string) => string, example: (botId: string) => string): Map<string, T> {
  const ids = new Map(bots.map((b) => [envName(b.id), b.id] as const));
  const out = new Map<string, T>();
  const problems: string[] = [];
  for (const [name, value] of Object.entries(entries)) {
    const id = ids.get(name);
    if (id === undefined) problems.push(`${variable(name)} names no loaded bot; loaded bots take ${bots.map((b) => example(b.id)).join(", ")}`);
    else out.set(id, value);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

/**
 * An order's hosted checkout link for a channel without native payments:
 * undefined when checkout is off or the order can no longer be paid (the
 * invoice is then shown as text); throws when the provider failed (the
 * outbox retries).
 */
export function checkoutLinks(checkout: () => PaymentLinks | undefined): (orderId: string) => Promise<string | undefined> {
  return async (orderId) => {
    const service = checkout();
    if (!service) return undefined;
    try {
      return await service.link(orderId);
    } catch (error) {
      if (error instanceof CommerceError && error.code === "not_payable") return undefined;
      throw error;
    }
  };
}
