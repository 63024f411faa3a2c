import { parseArgs } from "node:util";
import closeWithGrace from "close-with-grace";
import { ConfigError, loadConfig } from "../server/config.ts";
import { startServer } from "../server/serve.ts";
import { killTimeoutMs } from "../server/shutdown.ts";

const USAGE = "usage: kiosk serve [--port N] [--host H] [--db FILE] [--bots DIR]";

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
  let flags: { port?: string; host?: string; db?: string; bots?: string };
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { port: { type: "string" }, host: { type: "string" }, db: { type: "string" }, bots: { type: "string" } },
    });
    if (positionals.length > 0) throw new Error(`unexpected argument '${positionals[0] ?? ""}'`);
    flags = values;
  } catch (error) {
    process.stderr.write(`kiosk serve: ${message(error)}\n${USAGE}\n`);
    return 2;
  }

  let server;
  try {
    const config = await loadConfig({ flags });
    server = await startServer({ config });
  } catch (error) {
    process.stderr.write(`kiosk serve: ${message(error)}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
  const running = server;
  process.stdout.write(`Kiosk is running: emulator at ${running.url}/emulator\n`);
  process.stdout.write(`bots: ${running.bots.map((b) => `${b.id} (${b.name})`).join(", ")}\n`);

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
