import { parseArgs } from "node:util";
import closeWithGrace from "close-with-grace";
import { ConfigError, loadConfig } from "../server/config.ts";
import { startServer } from "../server/serve.ts";

const USAGE = "usage: kiosk serve [--port N] [--host H] [--db FILE] [--bots DIR]";

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * `kiosk serve`: runs the HTTP server with every bot under the bots folder.
 * Settings: defaults < kiosk.config.ts < KIOSK_* variables < flags. Runs
 * until SIGINT or SIGTERM, then closes gracefully: requests in flight finish,
 * the outbox drains, the store closes, and the process exits 0.
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
    closeWithGrace({ delay: 10_000, logger: { error: (text: unknown) => running.app.log.error(text) } }, async ({ signal, err }) => {
      if (err) running.app.log.error({ err }, "closing after an uncaught error");
      else running.app.log.info(`${signal ?? "exit"}: closing`);
      await running.close();
      process.stdout.write("Kiosk stopped\n");
      resolve(err ? 1 : 0);
    });
  });
}
