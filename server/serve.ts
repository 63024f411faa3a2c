import type { FastifyInstance, FastifyServerOptions } from "fastify";
import type { AnyChannel } from "../adapters/index.ts";
import type { LoadedBot } from "../flows/index.ts";
import type { Clock } from "../jobs/index.ts";
import { buildApp } from "./app.ts";
import type { ServerConfig } from "./config.ts";
import { kioskPlugin } from "./fastify.ts";
import { createKiosk, type Kiosk } from "./kiosk.ts";

export interface StartOptions {
  readonly config: ServerConfig;
  /** The bots to run; by default every bot folder under `config.bots`. */
  readonly bots?: readonly LoadedBot[];
  /** The channels that may run; Kiosk's own (adapters/registry.ts) by default. */
  readonly channels?: readonly AnyChannel[];
  /** Fastify's logger option; by default pino at `config.logLevel` on stdout. */
  readonly logger?: FastifyServerOptions["logger"];
  /**
   * Real time: the system clock unless a test gives its own (never set from
   * configuration). Real channels' runtime reads it as is; the emulator's
   * clock runs ahead of it.
   */
  readonly realTime?: Clock;
}

export interface RunningServer extends Omit<Kiosk, "start" | "stop" | "close"> {
  readonly app: FastifyInstance;
  /** `http://host:port` actually bound (port 0 resolved). */
  readonly url: string;
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
 * Starts Kiosk's HTTP server: `createKiosk()` in a Fastify app of its own
 * (server/kiosk.ts, server/fastify.ts), listening on `config.host:port`.
 *
 * @example
 * const server = await startServer({ config: resolveConfig({ flags: { port: "0" } }) });
 * console.log(server.url);
 * await server.close();
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const app = buildApp({ bodyLimit: config.bodyLimit, logger: options.logger ?? { level: config.logLevel } });
  const kiosk = await createKiosk({
    config,
    log: app.log,
    ...(options.bots ? { bots: options.bots } : {}),
    ...(options.channels ? { channels: options.channels } : {}),
    ...(options.realTime ? { realTime: options.realTime } : {}),
  });
  let closing: Promise<void> | undefined;
  const close = (how: { readonly now?: boolean } = {}) => {
    // The app's close hooks stop Kiosk, wait for the server to stop, then close Kiosk (server/fastify.ts).
    closing ??= app.close().then(() => kiosk.close());
    if (how.now) void kiosk.stop({ now: true });
    return closing;
  };
  try {
    await app.register(kioskPlugin, { kiosk });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const { start: _start, stop: _stop, close: _close, ...running } = kiosk;
  return { ...running, app, url: `http://${host}:${port}`, close };
}
