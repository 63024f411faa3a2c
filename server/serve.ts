import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { EmulatorChannel } from "../adapters/emulator/index.ts";
import { CHECKOUT_PROVIDER } from "../commerce/checkout/provider-id.ts";
import { loadBots, type LoadedBot } from "../flows/index.ts";
import { ShutdownDeadline, systemClock, type Clock, type OffsetClock } from "../jobs/index.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import { buildApp } from "./app.ts";
import type { CheckoutService } from "./checkout.ts";
import type { ServerConfig } from "./config.ts";
import { registerEmulatorApi } from "./emulator-api.ts";
import { sandboxDbPath, serverMode, type ServerMode } from "./emulator-mode.ts";
import { openEmulatorClock, openEmulatorSandbox } from "./emulator-sandbox.ts";
import { EmulatorService } from "./emulator-service.ts";
import { Runtime } from "../jobs/runtime.ts";
import { closeRuntime } from "./shutdown.ts";
import { createTelegram, registerTelegramWebhook, startTelegramPolling, type TelegramSetup } from "./telegram.ts";
import { telegramRefunder } from "./telegram-refunds.ts";
import { setTelegramWebhooks } from "./telegram-setup.ts";
import { createMetaChannels, type MetaChannels } from "./meta-channels.ts";
import { createBotFramework, registerBotFramework, type BotFrameworkSetup } from "./botframework.ts";

/** How often the server looks for due timers and messages to retry, on real time. */
const POLL_INTERVAL_MS = 500;

export interface StartOptions {
  readonly config: ServerConfig;
  /** The bots to run; by default every bot folder under `config.bots`. */
  readonly bots?: readonly LoadedBot[];
  /** Fastify's logger option; by default pino at `config.logLevel` on stdout. */
  readonly logger?: FastifyServerOptions["logger"];
  /**
   * Real time: the system clock unless a test gives its own (never set from
   * configuration). Real channels' runtime reads it as is; the emulator's
   * clock runs ahead of it.
   */
  readonly realTime?: Clock;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://host:port` actually bound (port 0 resolved). */
  readonly url: string;
  readonly bots: readonly LoadedBot[];
  /** The main store: real channels' customers (and the emulator's in emulator mode). */
  readonly store: Store;
  /** The runtime of real channels (real time), or of everything in emulator mode (the emulator clock). */
  readonly runtime: Runtime;
  /** The runtime's clock: real time in production mode, the emulator clock in emulator mode. */
  readonly clock: Clock;
  /** Emulator or production mode, the real channels configured, and how the emulator is served. */
  readonly mode: ServerMode;
  /** The emulator (its own store, clock and runtime in production mode: `emulator.store`, `.clock`, `.runtime`), when on. */
  readonly emulator: EmulatorService | undefined;
  /** The emulator's SQLite file: the sandbox's in production mode, else the main one. */
  readonly emulatorDb: string | undefined;
  /** Whether the emulator clock resumed at an offset saved by an earlier run (else it started at --clock or real time). */
  readonly emulatorClockResumed: boolean;
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
 * Starts Kiosk's HTTP server: the health check, every configured channel and
 * the emulator. In emulator mode (no real channel) one store and one runtime
 * on the emulator clock serve everything; in production mode the runtime of
 * real channels reads real time, and the emulator, when on, runs in its
 * sandbox (own store, clock and runtime) behind its token (see
 * server/emulator-mode.ts).
 *
 * @example
 * const server = await startServer({ config: resolveConfig({ flags: { port: "0" } }) });
 * console.log(server.url);
 * await server.close();
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const mode = serverMode(config);
  const realTime = options.realTime ?? systemClock;
  const bots = options.bots ?? (await loadBots(config.bots));
  const store = openSqliteStore({ file: config.db });
  // Emulator mode: the emulator clock (saved offset, else --clock, else real time) drives everything. Production: real time.
  let emulatorClock: { clock: OffsetClock; resumed: boolean } | undefined;
  try {
    if (mode.kind === "emulator") emulatorClock = await openEmulatorClock(store, realTime, config.emulatorClock);
  } catch (error) {
    await store.close();
    throw error;
  }
  const clock: Clock = emulatorClock?.clock ?? realTime;
  // Telegram runs for the bots with a token (KIOSK_TELEGRAM_<BOT>_TOKEN); a bad setting stops the start.
  let telegram: TelegramSetup | undefined;
  // Bot Framework always runs: without an app id it serves the Bot Framework Emulator on localhost, in emulator mode only.
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
  // The emulator channel is a sender of the main runtime in emulator mode only; beside real channels the sandbox has its own.
  const channel = new EmulatorChannel({ keep: false });
  const shared = mode.kind === "emulator" ? [channel] : [];
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
    senders: [...shared, ...(telegram ? [telegram.sender] : []), botframework.sender, ...meta.senders],
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
  const onEmulatorError = (error: unknown, context: string) => app.log.error({ err: error }, `emulator: ${context}`);
  let emulator: EmulatorService | undefined;
  let emulatorClockResumed = emulatorClock?.resumed ?? false;
  const emulatorDb = !mode.emulator ? undefined : mode.kind === "emulator" ? config.db : sandboxDbPath(config.db);
  if (mode.emulator && emulatorClock) {
    emulator = new EmulatorService({ runtime, channel, clock: emulatorClock.clock, store, bots, slowPaymentMs: config.slowPaymentMs, onError: onEmulatorError });
  } else if (mode.emulator && emulatorDb !== undefined) {
    try {
      const sandbox = await openEmulatorSandbox({
        db: emulatorDb,
        bots,
        realTime,
        startAt: config.emulatorClock,
        slowPaymentMs: config.slowPaymentMs,
        pollIntervalMs: POLL_INTERVAL_MS,
        onError: onEmulatorError,
      });
      emulator = sandbox.service;
      emulatorClockResumed = sandbox.resumed;
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  if (emulator) {
    registerEmulatorApi(app, emulator, {
      token: config.emulatorToken,
      hosts: config.emulatorHosts,
      port: () => {
        const bound = app.server.address();
        return typeof bound === "object" && bound !== null ? bound.port : config.port;
      },
    });
  }
  if (telegram?.mode === "webhook") registerTelegramWebhook(app, { telegram, runtime, store, clock, bots });
  let polling: { close(): Promise<void> } | undefined;
  meta.register(app, runtime);
  registerBotFramework(app, { botframework, runtime, store, clock, bots, mode: mode.kind });
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
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return { app, url: `http://${host}:${port}`, bots, store, runtime, clock, mode, emulator, emulatorDb, emulatorClockResumed, checkout, config, close };
}
