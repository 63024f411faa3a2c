/**
 * `createKiosk()`: Kiosk without an HTTP server of its own. It opens the
 * store, the configured channels (by name, from adapters/registry.ts), the
 * runtime and, when on, the emulator; `kioskPlugin` (server/fastify.ts)
 * mounts its routes into a Fastify app. `kiosk serve` is `startServer()`
 * (server/serve.ts): a Fastify app of its own with this plugin in it.
 */
import type { FastifyBaseLogger } from "fastify";
import { type OpenChannel, type PaymentLinks, CHANNELS, runningSettings, type AnyChannel } from "../adapters/index.ts";
import { emulatorChannel, type OpenEmulator } from "../adapters/emulator/channel.ts";
import type { EmulatorService } from "../adapters/emulator/service.ts";
import { loadBots, type LoadedBot } from "../flows/index.ts";
import { Runtime, ShutdownDeadline, systemClock, type Clock } from "../jobs/index.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import type { ServerConfig } from "./config.ts";
import { emulatorSettings, serverMode, type ServerMode } from "./emulator-mode.ts";
import { closeRuntime } from "./shutdown.ts";
import { webhookEndpoints } from "./webhooks-config.ts";

/** How often the server looks for due timers and messages to retry, on real time. */
const POLL_INTERVAL_MS = 500;

export interface KioskOptions {
  readonly config: ServerConfig;
  /** The bots to run; by default every bot folder under `config.bots`. */
  readonly bots?: readonly LoadedBot[];
  /** The channels that may run (those configured in `config.channels` do); Kiosk's own by default. */
  readonly channels?: readonly AnyChannel[];
  /** Where Kiosk logs: the Fastify app's `app.log` it is mounted in. */
  readonly log: FastifyBaseLogger;
  /**
   * Real time: the system clock unless a test gives its own (never set from
   * configuration). Real channels' runtime reads it as is; the emulator's
   * clock runs ahead of it.
   */
  readonly realTime?: Clock;
}

/** Kiosk, opened: what it runs, and its lifecycle. */
export interface Kiosk {
  readonly config: ServerConfig;
  readonly bots: readonly LoadedBot[];
  /** The main store: real channels' customers (and the emulator's in emulator mode). */
  readonly store: Store;
  /** The runtime of real channels (real time), or of everything in emulator mode (the emulator clock). */
  readonly runtime: Runtime;
  /** The runtime's clock: real time in production mode, the emulator clock in emulator mode. */
  readonly clock: Clock;
  /** Emulator or production mode, the real channels configured, and how the emulator is served. */
  readonly mode: ServerMode;
  /** The channels that run, by name. */
  readonly channels: ReadonlyMap<string, OpenChannel>;
  /** Hosted payment pages (the hosted checkout, see adapters/checkout), when configured. */
  readonly checkout: PaymentLinks | undefined;
  /** The emulator as a channel (adapters/emulator/channel.ts): its sender in emulator mode, its page and API when on. */
  readonly emulatorChannel: OpenEmulator;
  /** The emulator (its own store, clock and runtime in production mode: `emulator.store`, `.clock`, `.runtime`), when on. */
  readonly emulator: EmulatorService | undefined;
  /** The emulator's SQLite file: the sandbox's in production mode, else the main one. */
  readonly emulatorDb: string | undefined;
  /** Whether the emulator clock resumed at an offset saved by an earlier run (else it started at --clock or real time). */
  readonly emulatorClockResumed: boolean;
  /** Resumes what a previous process left (due timers, unsent messages) and starts the channels (setWebhook, polling). Once. */
  start(): Promise<void>;
  /**
   * Starts the shutdown's grace period (`config.shutdownGraceMs`): no more
   * timers or refunds, channels stop taking updates; the outbox keeps
   * sending. Safe to call twice; with `now`, the grace period ends at once.
   */
  stop(options?: { readonly now?: boolean }): Promise<void>;
  /**
   * Stops (if not yet), lets the turns in flight and the emulator's pending
   * slow payments finish, sends what the grace period allows, closes the
   * stores and logs how many messages are left for the next start. Safe to
   * call twice; with `now` (also on a second call), the grace period ends at
   * once (see `ShutdownDeadline.now`).
   */
  close(options?: { readonly now?: boolean }): Promise<void>;
}

/**
 * Opens Kiosk for `config`: in emulator mode (no real channel) one store and
 * one runtime on the emulator clock serve everything; in production mode the
 * runtime of real channels reads real time, and the emulator, when on, runs
 * in its sandbox (own store, clock and runtime) behind its token (see
 * server/emulator-mode.ts and adapters/emulator/channel.ts). Throws a
 * `ConfigError` naming what to set when a channel's settings do not fit
 * the bots; nothing is left open then.
 *
 * @example
 * const app = Fastify();
 * const kiosk = await createKiosk({ config: resolveConfig(), log: app.log });
 * await app.register(kioskPlugin, { kiosk });
 * await app.listen({ port: 3000 });
 */
export async function createKiosk(options: KioskOptions): Promise<Kiosk> {
  const { config, log } = options;
  const known = options.channels ?? CHANNELS;
  const mode = serverMode(config, known);
  const realTime = options.realTime ?? systemClock;
  const bots = options.bots ?? (await loadBots(config.bots));
  // Before anything opens: a webhook for a bot that is not loaded is a configuration error.
  const webhooks = webhookEndpoints(config.webhooks, bots);
  const store = openSqliteStore({ file: config.db });
  const opened = new Map<string, OpenChannel>();
  let emulator: OpenEmulator | undefined;
  try {
    // First: in emulator mode its clock (saved offset, else --clock, else real time) drives everything. Production: real time.
    emulator = await emulatorChannel.open(emulatorSettings(config, mode), {
      bots,
      store,
      mode: mode.kind,
      log,
      realTime,
      pollIntervalMs: POLL_INTERVAL_MS,
      // Built below, from every channel's senders; the emulator reads it once events come.
      runtime: () => runtime,
    });
    const clock: Clock = emulator.serverClock ?? realTime;
    let checkout: PaymentLinks | undefined;
    const context = { bots, store, clock, mode: mode.kind, publicUrl: config.publicUrl, log, paymentLinks: () => checkout };
    for (const channel of known) {
      const settings = runningSettings(config, channel);
      if (settings === undefined) continue;
      const open = await channel.open(settings, context);
      opened.set(channel.name, open);
      checkout ??= open.paymentLinks;
    }
    const channels = [emulator, ...opened.values()];
    const runtime = new Runtime({
      store,
      clock,
      bots,
      senders: channels.flatMap((c) => c.senders ?? []),
      refunders: channels.flatMap((c) => c.refunders ?? []),
      // The main runtime only: the emulator's sandbox (production mode) tells no shop's system.
      webhooks,
      pollIntervalMs: POLL_INTERVAL_MS,
      retentionDays: config.retentionDays,
      onError: (error, where) => log.error({ err: error }, where),
    });
    return lifecycle({ config, bots, store, runtime, clock, mode, channels: opened, checkout, emulatorChannel: emulator, log });
  } catch (error) {
    await Promise.all([...opened.values()].map((c) => c.close?.()));
    await emulator?.close();
    await store.close();
    throw error;
  }
}

/** Kiosk's start, stop and close over what `createKiosk` opened. */
function lifecycle(kiosk: Omit<Kiosk, "start" | "stop" | "close" | "emulator" | "emulatorDb" | "emulatorClockResumed"> & { readonly log: FastifyBaseLogger }): Kiosk {
  const { runtime, channels, emulatorChannel, log, config } = kiosk;
  let started: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  let deadline: ShutdownDeadline | undefined;
  let hurried = false;
  const hurry = () => {
    hurried = true;
    deadline?.now();
  };
  const stop = (options: { readonly now?: boolean } = {}) => {
    if (options.now) hurry();
    stopping ??= (async () => {
      // The grace period starts now: the outbox sends while the rest stops taking work.
      deadline = new ShutdownDeadline(config.shutdownGraceMs);
      if (hurried) deadline.now();
      runtime.stop(deadline);
      // Polling stops taking updates, like the HTTP server; the turns in flight finish.
      await Promise.all([...channels.values()].map((c) => c.close?.()));
    })();
    return stopping;
  };
  return {
    config: kiosk.config,
    bots: kiosk.bots,
    store: kiosk.store,
    runtime,
    clock: kiosk.clock,
    mode: kiosk.mode,
    channels,
    checkout: kiosk.checkout,
    emulatorChannel,
    emulator: emulatorChannel.service,
    emulatorDb: emulatorChannel.db,
    emulatorClockResumed: emulatorChannel.clockResumed,
    start() {
      started ??= (async () => {
        await runtime.start();
        for (const channel of channels.values()) await channel.start?.(runtime);
      })();
      return started;
    },
    stop,
    close(options = {}) {
      if (options.now) hurry();
      closing ??= (async () => {
        await stop();
        // Not at stop like the other channels: the emulator's API takes events until the HTTP server stopped.
        await emulatorChannel.close();
        await closeRuntime(runtime, deadline ?? new ShutdownDeadline(0), log);
      })();
      return closing;
    },
  };
}
