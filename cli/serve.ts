import { parseArgs } from "node:util";
import closeWithGrace from "close-with-grace";
import { ConfigError, loadConfig, type ServerConfig } from "../server/config.ts";
import { startServer, type RunningServer } from "../server/serve.ts";
import { killTimeoutMs } from "../server/shutdown.ts";

const USAGE = "usage: kiosk serve [--port N] [--host H] [--db FILE] [--bots DIR] [--emulator] [--clock ISO-INSTANT]";

/**
 * What `kiosk serve` prints once it listens: where, the mode and its real
 * channels, and whether the emulator is on, where, over which store and
 * clock, and how it is guarded. The first line keeps its shape for scripts.
 */
export function startBanner(server: RunningServer, config: ServerConfig): string {
  const { mode, url, emulator } = server;
  const lines = [emulator ? `Kiosk is running: emulator at ${url}/emulator` : `Kiosk is running at ${url} (emulator off)`];
  const noAppId = !server.mode.channels.includes("botframework");
  if (mode.kind === "emulator") {
    lines.push(`mode: emulator (no real channel configured): every bot runs on the emulator clock${noAppId ? "; /api/messages serves the Bot Framework Emulator on this machine (no app id)" : ""}`);
  } else {
    // Unauthenticated Bot Framework would drive the real runtime: off beside real channels (server/botframework.ts).
    lines.push(`mode: production: real channels ${mode.channels.join(", ")} on real time${noAppId ? "; /api/messages off: no KIOSK_MS_APP_ID" : ""}`);
  }
  if (emulator) {
    const port = new URL(url).port;
    const hosts = ["localhost", "127.0.0.1", "[::1]"].map((h) => `${h}:${port}`).concat(config.emulatorHosts);
    const where = mode.kind === "production" ? "in its sandbox, apart from real customers" : "over the server's store";
    const clock = `${emulator.clock.now().toISOString()}${server.emulatorClockResumed ? " (resumed)" : ""}`;
    lines.push(`emulator: on, ${where}: store ${server.emulatorDb ?? config.db}, clock ${clock}; ${mode.tokenRequired ? "KIOSK_EMULATOR_TOKEN required" : "no token (loopback)"}; hosts ${hosts.join(", ")}`);
  } else {
    lines.push(
      mode.kind === "production"
        ? "emulator: off (KIOSK_EMULATOR=true or --emulator turns it on, in its own sandbox, with KIOSK_EMULATOR_TOKEN)"
        : "emulator: off (emulator: false / KIOSK_EMULATOR=false)",
    );
  }
  lines.push(`bots: ${server.bots.map((b) => `${b.id} (${b.name})`).join(", ")}`);
  return `${lines.join("\n")}\n`;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * `kiosk serve`: runs the HTTP server with every bot under the bots folder.
 * Settings: defaults < kiosk.config.ts < KIOSK_* variables < flags. Runs
 * until SIGINT or SIGTERM, then closes within the grace period
 * (`shutdownGraceMs`): requests and turns in flight finish, the outbox sends
 * what fits, the store closes, the log says how many messages are left for
 * the next start, and the process exits 0. A second signal ends the grace
 * period at once; a third exits without closing.
 */
export async function serveCommand(args: string[]): Promise<number> {
  let flags: { port?: string; host?: string; db?: string; bots?: string; emulator?: string; emulatorClock?: string };
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        db: { type: "string" },
        bots: { type: "string" },
        emulator: { type: "boolean" },
        clock: { type: "string" },
      },
    });
    if (positionals.length > 0) throw new Error(`unexpected argument '${positionals[0] ?? ""}'`);
    const { emulator, clock, ...rest } = values;
    flags = { ...rest, ...(emulator ? { emulator: "true" } : {}), ...(clock === undefined ? {} : { emulatorClock: clock }) };
  } catch (error) {
    process.stderr.write(`kiosk serve: ${message(error)}\n${USAGE}\n`);
    return 2;
  }

  let server;
  let config;
  try {
    config = await loadConfig({ flags });
    server = await startServer({ config });
  } catch (error) {
    process.stderr.write(`kiosk serve: ${message(error)}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
  const running = server;
  process.stdout.write(startBanner(running, config));

  return new Promise<number>((resolve) => {
    const log = running.app.log;
    const grace = running.config.shutdownGraceMs;
    // Longer than the grace period, so a shutdown that keeps its deadline is never killed.
    const delay = killTimeoutMs(grace);
    // SIGTERM and SIGINT are counted here (close-with-grace exits at the second one, losing what the pass in flight sent).
    const counted = ["SIGTERM", "SIGINT"] as const;
    let signals = 0;
    let first: string | undefined;
    const graceful = closeWithGrace({ delay, skip: [...counted], logger: { error: (text: unknown) => log.error(text) } }, async ({ signal, err }) => {
      if (err) log.error({ err }, "closing after an uncaught error");
      else log.info(`${signal ?? first ?? "exit"}: closing: no new requests or updates; turns in flight finish and the outbox sends for up to ${grace} ms`);
      await running.close();
      process.stdout.write("Kiosk stopped\n");
      resolve(err ? 1 : 0);
    });
    const onSignal = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals === 1) {
        first = signal;
        void graceful.close();
      } else if (signals === 2) {
        log.warn(`second ${signal}: ending the grace period now; no message starts, the sends in flight finish (a third signal exits at once)`);
        void running.close({ now: true });
      } else {
        log.error(`${signal} again: exiting without closing; messages sent since the last write may be sent again at the next start`);
        process.exit(1);
      }
    };
    for (const signal of counted) process.on(signal, onSignal);
  });
}
