import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { EmulatorChannel } from "../adapters/emulator/index.ts";
import { loadBot } from "../cli/load-bot.ts";
import { CHECKOUT_PROVIDER } from "../commerce/checkout/provider-id.ts";
import type { LoadedBot } from "../flows/index.ts";
import { OffsetClock, ShutdownDeadline } from "../jobs/index.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import { buildApp } from "./app.ts";
import type { CheckoutService } from "./checkout.ts";
import { isLoopback, type ServerConfig } from "./config.ts";
import { registerEmulatorApi } from "./emulator-api.ts";
import { EmulatorService } from "./emulator-service.ts";
import { Runtime } from "./runtime.ts";
import { closeRuntime } from "./shutdown.ts";
import { createTelegram, registerTelegramWebhook, startTelegramPolling, type TelegramSetup } from "./telegram.ts";
import { telegramRefunder } from "./telegram-refunds.ts";
import { setTelegramWebhooks } from "./telegram-setup.ts";
import { createMetaChannels, type MetaChannels } from "./meta-channels.ts";
import { createBotFramework, registerBotFramework, type BotFrameworkSetup } from "./botframework.ts";

/** How often the server looks for due timers and messages to retry, on real time. */
const POLL_INTERVAL_MS = 500;

/**
 * Loads every bot folder under `dir` (each a folder with an index.ts whose
 * default export is `defineBot(...)`), in name order. Throws when there is
 * none, or when two share an id.
 */
export async function loadBots(dir: string): Promise<LoadedBot[]> {
  if (!existsSync(dir)) throw new Error(`bots folder '${dir}' does not exist; set --bots, KIOSK_BOTS or 'bots' in kiosk.config.ts to a folder of bot folders`);
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "index.ts")))
    .map((d) => d.name)
    .sort();
  if (folders.length === 0) throw new Error(`no bots in '${dir}': a bot is a folder with an index.ts that exports defineBot(...) as default`);
  const bots: LoadedBot[] = [];
  const seen = new Map<string, string>();
  for (const folder of folders) {
    const bot = await loadBot(join(dir, folder));
    const other = seen.get(bot.id);
    if (other !== undefined) throw new Error(`${join(dir, folder)} and ${join(dir, other)} both define bot '${bot.id}'; bot ids must be unique`);
    seen.set(bot.id, folder);
    bots.push(bot);
  }
  return bots;
}

export interface StartOptions {
  readonly config: ServerConfig;
  /** The bots to run; by default every bot folder under `config.bots`. */
  readonly bots?: readonly LoadedBot[];
  /** Fastify's logger option; by default pino at `config.logLevel` on stdout. */
  readonly logger?: FastifyServerOptions["logger"];
}

export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://host:port` actually bound (port 0 resolved). */
  readonly url: string;
  readonly bots: readonly LoadedBot[];
  readonly store: Store;
  readonly runtime: Runtime;
  readonly clock: OffsetClock;
  readonly emulator: EmulatorService | undefined;
  /** Hosted checkout, when configured: `checkout.link(orderId)` is an order's payment link (see server/checkout.ts). */
  readonly checkout: CheckoutService | undefined;
  /** The settings it runs with. */
  readonly config: ServerConfig;
  /**
   * Shuts down within `config.shutdownGraceMs`: stops taking requests and
   * Telegram updates, lets the turns in flight finish (the emulator's
   * pending slow payments too), fires no more timers and starts no more
   * refunds, sends what the grace period allows, closes the store and logs
   * how many messages are left for the next start. Safe to call twice;
   * with `now` (also on a second call), the grace period ends at once: no
   * send starts, and sends in flight get their last moment (see `ShutdownDeadline.now`).
   */
  close(options?: { readonly now?: boolean }): Promise<void>;
}

/**
 * Starts Kiosk's HTTP server: one store, one runtime on real time (plus the
 * emulator's fast-forward offset) for every bot, the health check and the
 * emulator API.
 *
 * @example
 * const server = await startServer({ config: resolveConfig({ flags: { port: "0" } }) });
 * console.log(server.url);
 * await server.close();
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const bots = options.bots ?? (await loadBots(config.bots));
  const store = openSqliteStore({ file: config.db });
  const clock = new OffsetClock();
  // Telegram runs for the bots with a token (KIOSK_TELEGRAM_<BOT>_TOKEN); a bad setting stops the start.
  let telegram: TelegramSetup | undefined;
  // Bot Framework always runs: without an app id it serves the Bot Framework Emulator on localhost.
  let botframework: BotFrameworkSetup;
  try {
    if (config.telegram && Object.keys(config.telegram.tokens).length > 0) telegram = createTelegram({ config: config.telegram, bots, store, onWarning: (message) => app.log.warn(message) });
    botframework = createBotFramework({ config: config.botframework, bots, store, checkout: () => checkout });
  } catch (error) {
    await store.close();
    throw error;
  }
  // Messenger and WhatsApp run for the bots with KIOSK_MESSENGER_* / KIOSK_WHATSAPP_* settings; invoices open the hosted checkout.
  let meta: MetaChannels;
  try {
    meta = createMetaChannels({ config: config.meta, bots, store, clock, checkout: () => checkout });
  } catch (error) {
    await store.close();
    throw error;
  }
  const channel = new EmulatorChannel({ keep: false });
  const app = buildApp({
    store,
    bots: () => bots.map((b) => b.id),
    bodyLimit: config.bodyLimit,
    logger: options.logger ?? { level: config.logLevel },
  });
  const runtime = new Runtime({
    store,
    clock,
    bots,
    senders: [...(telegram ? [channel, telegram.sender, botframework.sender] : [channel, botframework.sender]), ...meta.senders],
    refunders: [
      ...(telegram ? [telegramRefunder(telegram.sender)] : []),
      // The checkout is set up after the runtime (it needs it); a refund asked before that waits its turn.
      {
        provider: CHECKOUT_PROVIDER,
        refund: async (refund) => (checkout ? checkout.refund(refund) : { status: "manual", note: `the hosted checkout is not configured here: refund payment ${refund.paymentReference} in the provider's dashboard` }),
      },
    ],
    pollIntervalMs: POLL_INTERVAL_MS,
    retentionDays: config.retentionDays,
    onError: (error, context) => app.log.error({ err: error }, context),
  });
  const emulator = config.emulator
    ? new EmulatorService({
        runtime,
        channel,
        clock,
        store,
        bots,
        slowPaymentMs: config.slowPaymentMs,
        onError: (error, context) => app.log.error({ err: error }, context),
      })
    : undefined;
  if (emulator) registerEmulatorApi(app, emulator);
  if (telegram?.mode === "webhook") registerTelegramWebhook(app, { telegram, runtime, store, clock, bots });
  let polling: { close(): Promise<void> } | undefined;
  meta.register(app, runtime);
  registerBotFramework(app, { botframework, runtime, store, clock, bots });
  let checkout: CheckoutService | undefined;

  let closing: Promise<void> | undefined;
  let deadline: ShutdownDeadline | undefined;
  const close = (options: { readonly now?: boolean } = {}) => {
    closing ??= (async () => {
      // The grace period starts now: the outbox sends while the rest stops taking work.
      const shutdown = (deadline = new ShutdownDeadline(config.shutdownGraceMs));
      runtime.stop(shutdown);
      // Polling stops taking updates first, like the HTTP server below; the turns in flight finish.
      await polling?.close();
      await app.close();
      await emulator?.close();
      await closeRuntime(runtime, shutdown, app.log);
    })();
    if (options.now) deadline?.now();
    return closing;
  };
  try {
    // Imported only when configured: it brings the Stripe SDK.
    if (config.checkoutApiKey !== undefined) {
      const { registerCheckout } = await import("./checkout.ts");
      checkout = registerCheckout(app, { config, store, runtime, bots: () => bots.map((b) => b.id), onWarning: (message) => app.log.warn(message) });
    }
    await runtime.start();
    await app.listen({ port: config.port, host: config.host });
    if (telegram) await setTelegramWebhooks({ telegram, publicUrl: config.publicUrl, log: app.log });
    if (telegram?.mode === "polling") {
      app.log.info("telegram: polling getUpdates (no webhook configured: set KIOSK_TELEGRAM_SECRET and KIOSK_TELEGRAM_MODE=webhook to use one)");
      polling = startTelegramPolling({ telegram, runtime, store, clock, bots, log: app.log });
    }
  } catch (error) {
    await close();
    throw error;
  }
  if (emulator && !isLoopback(config.host)) {
    app.log.warn(
      `the emulator API is exposed on ${config.host}: anyone who can reach this port can chat, pay and move the clock as any customer. ` +
        "Turn it off with emulator: false in kiosk.config.ts or KIOSK_EMULATOR=false, or bind to 127.0.0.1.",
    );
  }
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return { app, url: `http://${host}:${port}`, bots, store, runtime, clock, emulator, checkout, config, close };
}
