import type { ChannelContext, OpenChannel } from "../channel.ts";
import type { Clock, OffsetClock } from "../../jobs/index.ts";
import type { Runtime } from "../../jobs/runtime.ts";
import { registerEmulatorApi } from "./api.ts";
import { openEmulatorClock, openEmulatorSandbox, sandboxDbPath } from "./sandbox.ts";
import { EMULATOR_CHANNEL, EmulatorSender } from "./sender.ts";
import { EmulatorService } from "./service.ts";

/**
 * What the emulator runs with. These are server settings (ServerConfig's
 * emulator fields, with the flags --emulator and --clock), not read by the
 * channel from kiosk.config.ts like the registry's channels'; `serve` is the
 * server mode's verdict (see server/emulator-mode.ts).
 */
export interface EmulatorSettings {
  /** Whether its page and API are served: by default in emulator mode only; beside real channels, in its sandbox. */
  readonly serve: boolean;
  /** The bearer token its API requests must carry (KIOSK_EMULATOR_TOKEN); undefined lets them in without one. */
  readonly token: string | undefined;
  /** Host names it answers for besides the loopback ones (KIOSK_EMULATOR_HOSTS). */
  readonly hosts: readonly string[];
  /** The configured port, for the Host check until the server listens and knows the one it got. */
  readonly port: number;
  /** Where the emulator clock starts on a store that has none saved (--clock); real time when unset. */
  readonly startAt: Date | undefined;
  /** How long a `pay: "slow"` waits before its payment report arrives, in ms. */
  readonly slowPaymentMs: number;
  /** The main store's SQLite file: the emulator's own in emulator mode; beside real channels its sandbox's sits next to it. */
  readonly db: string;
}

/**
 * What the emulator is opened with: a channel's context but for the clock,
 * which in emulator mode the emulator gives rather than takes.
 */
export interface EmulatorContext extends Pick<ChannelContext, "bots" | "store" | "mode" | "log"> {
  /** Real time, that the emulator clock runs ahead of. */
  readonly realTime: Clock;
  /** How often the sandbox's runtime looks for due timers and messages to retry, in ms. */
  readonly pollIntervalMs: number;
  /**
   * The server's runtime, which the emulator drives in emulator mode. Read
   * once events come: the server builds it after opening its channels, from
   * their senders (the emulator's among them).
   */
  runtime(): Runtime;
}

/** The emulator, opened: a channel (its sender, its page and API) and what the server shows of it. */
export interface OpenEmulator extends OpenChannel {
  /**
   * In emulator mode, the emulator clock (saved offset, else --clock, else
   * real time): the server's runtime and its other channels run on it.
   * Undefined in production mode, where the server runs on real time and
   * the emulator's clock is its sandbox's.
   */
  readonly serverClock: OffsetClock | undefined;
  /** The emulator's customers, store, clock and runtime (the sandbox's in production mode), when served. */
  readonly service: EmulatorService | undefined;
  /** The SQLite file its customers live in, when served: the main one in emulator mode, the sandbox's in production mode. */
  readonly db: string | undefined;
  /** Whether its clock resumed at an offset saved by an earlier run (else it started at --clock or real time). */
  readonly clockResumed: boolean;
  /**
   * Stops taking events and lets its turns and pending slow payments finish;
   * closes the sandbox. The server calls it once the HTTP server stopped
   * (its API takes events until then), before closing its own runtime.
   */
  close(): Promise<void>;
}

/**
 * Kiosk's own channel, served over HTTP: the emulator page and its API (see
 * api.ts). A sibling of the registry's `Channel`s rather than one of them:
 * its settings are server settings with CLI flags, it never makes the
 * server production, and it is opened first, since in emulator mode its
 * clock is the one the server's runtime and other channels read. In
 * emulator mode it is a sender of the server's runtime and, when served,
 * drives it; beside real channels it runs in a sandbox of its own (own
 * store, clock and runtime) that nothing real reaches.
 *
 * @example
 * const emulator = await emulatorChannel.open(settings, { bots, store, mode: "emulator", log, realTime: systemClock, pollIntervalMs: 500, runtime: () => runtime });
 * const runtime = new Runtime({ store, clock: emulator.serverClock ?? systemClock, bots, senders: [...(emulator.senders ?? [])] });
 */
export const emulatorChannel = {
  name: EMULATOR_CHANNEL,
  async open(settings: EmulatorSettings, context: EmulatorContext): Promise<OpenEmulator> {
    const { bots, store } = context;
    const onError = (error: unknown, where: string) => context.log.error({ err: error }, `emulator: ${where}`);
    const common = { slowPaymentMs: settings.slowPaymentMs, onError };
    if (context.mode === "emulator") {
      const { clock, resumed } = await openEmulatorClock(store, context.realTime, settings.startAt);
      // Its sender serves the server's runtime even when the page is off: messages an earlier run queued for it still go out.
      const sender = new EmulatorSender({ keep: false });
      const service = settings.serve ? new EmulatorService({ runtime: context.runtime, sender, clock, store, bots, ...common }) : undefined;
      return opened(settings, { senders: [sender], serverClock: clock, service, db: settings.serve ? settings.db : undefined, clockResumed: resumed });
    }
    if (!settings.serve) return opened(settings, { serverClock: undefined, service: undefined, db: undefined, clockResumed: false });
    const db = sandboxDbPath(settings.db);
    const sandbox = await openEmulatorSandbox({ db, bots, realTime: context.realTime, startAt: settings.startAt, pollIntervalMs: context.pollIntervalMs, ...common });
    return opened(settings, { serverClock: undefined, service: sandbox.service, db, clockResumed: sandbox.resumed });
  },
};

/** The emulator's routes and close over what `open` made. */
function opened(settings: EmulatorSettings, parts: Omit<OpenEmulator, "routes" | "close">): OpenEmulator {
  const { service } = parts;
  if (!service) return { ...parts, close: async () => undefined };
  return {
    ...parts,
    routes(app) {
      registerEmulatorApi(app, service, {
        token: settings.token,
        hosts: settings.hosts,
        port: () => {
          const bound = app.server.address();
          return typeof bound === "object" && bound !== null ? bound.port : settings.port;
        },
      });
    },
    close: () => service.close(),
  };
}
