import { createRequire } from "node:module";
import type { Configuration } from "@azure/msal-node";
import { CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext, type ConversationReference } from "botbuilder";
import { MsalServiceClientCredentialsFactory } from "botframework-connector";
import type { ChannelSender, Envelope } from "../../core/message.ts";
import { ChannelSendError } from "../../core/send-error.ts";
import { BOTFRAMEWORK_CHANNEL } from "./activities.ts";
import { renderActivity, type PaymentLink } from "./render.ts";

/** The bot's Azure app registration. Without an app id, requests are not authenticated (the Bot Framework Emulator on localhost). */
export interface BotFrameworkCredentials {
  readonly appId?: string;
  readonly appPassword?: string;
  readonly tenantId?: string;
  readonly appType?: "MultiTenant" | "SingleTenant";
  /** Where the channel's token signing keys are published (an OpenID configuration document); botbuilder's default when unset. */
  readonly openIdMetadataUrl?: string;
  /**
   * The authority that issues the bot's outgoing tokens (client credentials
   * grant, through MSAL), tenant included; botbuilder's default
   * (https://login.microsoftonline.com/botframework.com) when unset.
   */
  readonly loginUrl?: string;
}

/**
 * The public Azure cloud's endpoints (botframework-connector's
 * AuthenticationConstants, not exported by botbuilder). botbuilder uses them
 * unless one endpoint is given; then it expects all of them.
 */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: "https://login.microsoftonline.com/botframework.com",
  ToChannelFromBotOAuthScope: "https://api.botframework.com",
  ToBotFromChannelTokenIssuer: "https://api.botframework.com",
  OAuthUrl: "https://api.botframework.com",
  ToBotFromChannelOpenIdMetadataUrl: "https://login.botframework.com/v1/.well-known/openidconfiguration",
  ToBotFromEmulatorOpenIdMetadataUrl: "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
  CallerId: CallerIdConstants.PublicAzureChannel,
};

/**
 * botbuilder's authentication and CloudAdapter for one app registration.
 * `auth.authenticateRequest` validates a request's JWT (the Bot Framework
 * Service's, or the Emulator's); sends get a token for the app id from
 * Microsoft's login endpoint. With no app id both are switched off.
 */
export function createCloudAdapter(credentials: BotFrameworkCredentials): { readonly adapter: CloudAdapter; readonly auth: ConfigurationBotFrameworkAuthentication } {
  const { openIdMetadataUrl, loginUrl } = credentials;
  const endpoints =
    openIdMetadataUrl === undefined && loginUrl === undefined
      ? {}
      : {
          ...PUBLIC_CLOUD,
          ...(openIdMetadataUrl === undefined ? {} : { ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl }),
          ...(loginUrl === undefined ? {} : { ToChannelFromBotLoginUrl: loginUrl }),
        };
  const auth = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: credentials.appId ?? "",
      MicrosoftAppPassword: credentials.appPassword ?? "",
      MicrosoftAppType: credentials.appType ?? "MultiTenant",
      MicrosoftAppTenantId: credentials.tenantId ?? "",
      ...endpoints,
    },
    loginUrl === undefined || credentials.appId === undefined ? undefined : loginCredentials(credentials.appId, credentials.appPassword ?? "", loginUrl),
  );
  return { adapter: new CloudAdapter(auth), auth };
}

/**
 * Outgoing tokens from another authority than Microsoft's. botbuilder's own
 * factory hands such a URL to MSAL as is, and MSAL then asks
 * login.microsoftonline.com whether it is a known instance (cloud instance
 * discovery), refusing a host Azure AD does not know (untrusted_authority).
 * Here MSAL is told the host is known, so it reads the authority's own OpenID
 * configuration and token endpoint, and nothing else. The token is cached by
 * botbuilder (AppCredentials' cache, per app id and scope) until 5 minutes
 * before it expires.
 */
function loginCredentials(appId: string, appPassword: string, loginUrl: string): MsalServiceClientCredentialsFactory {
  // The CommonJS build botframework-connector itself loads (the ESM one's types differ in a private field).
  const connector = createRequire(import.meta.url).resolve("botframework-connector");
  const { ConfidentialClientApplication } = createRequire(connector)("@azure/msal-node") as {
    ConfidentialClientApplication: new (configuration: Configuration) => ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];
  };
  const client = new ConfidentialClientApplication({
    auth: { clientId: appId, clientSecret: appPassword, authority: loginUrl, knownAuthorities: [new URL(loginUrl).host] },
  });
  return new MsalServiceClientCredentialsFactory(appId, client);
}

interface StatusCodeError {
  readonly statusCode: number;
  readonly response?: { readonly headers?: { get?(name: string): string | undefined } };
}

function statusCodeOf(error: unknown): StatusCodeError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === "number" ? (error as StatusCodeError) : undefined;
}

/** Seconds in a Retry-After header (a number of seconds; an HTTP date is read too). */
function retryAfterMs(error: StatusCodeError): number {
  const header = error.response?.headers?.get?.("retry-after");
  if (header === undefined) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1000 : Math.max(0, at - Date.now());
}

/**
 * Turns a connector failure into what the outbox needs: 429 waits
 * Retry-After, 5xx and network failures are retried, any other 4xx (the bot
 * was removed from the conversation, a bad activity, bad credentials) is
 * rejected for good.
 */
export function toSendError(error: unknown, what: string): unknown {
  if (error instanceof ChannelSendError) return error;
  const failure = statusCodeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (!failure) return new ChannelSendError("unavailable", `botframework ${what}: ${detail}`, { cause: error });
  const message = `botframework ${what}: ${failure.statusCode} ${detail}`;
  if (failure.statusCode === 429) return new ChannelSendError("rate_limited", message, { retryAfterMs: retryAfterMs(failure), cause: error });
  if (failure.statusCode >= 500) return new ChannelSendError("unavailable", message, { cause: error });
  return new ChannelSendError("rejected", message, { cause: error });
}

/**
 * Takes the HTTP pipeline's own retries (3, with backoff, and waits for
 * Retry-After) off a connector client, so a failure reaches the outbox at
 * once: it retries with its own backoff, keeps a conversation's messages in
 * order, and does not hold up other conversations while it waits. The
 * pipeline is a private field of botbuilder's client: if a botbuilder
 * upgrade moves it this does nothing (and tests/botframework.test.ts, which
 * checks that the outbox saw a 500, fails).
 */
function withoutRetries(connector: unknown): void {
  const client = typeof connector === "object" && connector !== null ? (connector as { client?: unknown }).client : undefined;
  const pipeline = typeof client === "object" && client !== null ? (client as { pipeline?: { removePolicy?: (options: { name: string }) => unknown } }).pipeline : undefined;
  pipeline?.removePolicy?.({ name: "defaultRetryPolicy" });
}

export interface BotFrameworkSenderOptions {
  /** Bot id → its adapter and app id (one app registration may serve several bots). */
  readonly adapters: ReadonlyMap<string, { readonly adapter: CloudAdapter; readonly appId: string }>;
  /** The conversation reference kept for a customer, from their latest activity. */
  readonly reference: (botId: string, customerId: string) => Promise<ConversationReference | undefined>;
  /** How an order's invoice is paid; `unavailable` for every order when absent. */
  readonly paymentLink?: (botId: string, orderId: string) => Promise<PaymentLink>;
}

/**
 * The Bot Framework channel's sending half. Every outbox message, reply or
 * proactive (a reminder, a receipt from a payment webhook), is one activity
 * posted with `continueConversationAsync` to the customer's kept reference:
 * `POST <serviceUrl>/v3/conversations/<conversation id, URL-encoded>/activities`.
 */
export class BotFrameworkSender implements ChannelSender {
  readonly channel = BOTFRAMEWORK_CHANNEL;
  readonly #options: BotFrameworkSenderOptions;

  constructor(options: BotFrameworkSenderOptions) {
    this.#options = options;
  }

  async send(envelope: Envelope): Promise<void> {
    const { botId, userId } = envelope;
    const target = this.#options.adapters.get(botId);
    if (!target) throw new ChannelSendError("rejected", `bot '${botId}' does not run on the Bot Framework here`);
    const reference = await this.#options.reference(botId, userId);
    if (!reference) throw new ChannelSendError("rejected", `botframework: no conversation reference is kept for customer '${userId}' of bot '${botId}'; they must message the bot first`);
    const invoice = envelope.message.invoice;
    const payment = invoice && this.#options.paymentLink ? await this.#options.paymentLink(botId, invoice.order) : undefined;
    // The message's own locale (the conversation's, so words and amounts match its texts), else the customer's latest activity's.
    const locale = envelope.message.locale ?? reference.locale;
    const activity = renderActivity(envelope, { ...(payment ? { payment } : {}), ...(locale ? { locale } : {}), channelId: reference.channelId });
    try {
      await target.adapter.continueConversationAsync(target.appId, reference, async (context) => {
        // Not context.sendActivity: it would make this a reply to the continuation event's random id
        // (POST …/activities/<uuid>). A reply names the customer's activity it answers (replyToId,
        // POST …/activities/<its id>, which Web Chat orders replies by); a proactive message names none.
        withoutRetries(context.turnState.get(context.adapter.ConnectorClientKey));
        const outgoing = TurnContext.applyConversationReference({ ...activity }, { ...reference, activityId: envelope.message.replyTo });
        await context.adapter.sendActivities(context, [outgoing]);
      });
    } catch (error) {
      throw toSendError(error, `send to conversation ${reference.conversation.id} at ${reference.serviceUrl} (bot ${botId})`);
    }
  }
}
