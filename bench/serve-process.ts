// What the benchmarks that go through HTTP share: `kiosk serve` in a process
// of its own (so the load generator does not share its event loop), and
// percentiles of the latencies measured.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export interface ServeProcess {
  /** `http://127.0.0.1:<port>` it listens on. */
  readonly url: string;
  /** SIGTERM; resolves to its exit code once it has shut down gracefully. */
  stop(): Promise<number | null>;
}

/** Starts `kiosk serve --port 0 --db <dbFile>` with `env` on top of this process's; resolves once it listens. */
export function startServeProcess(dbFile: string, env: Readonly<Record<string, string>> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, ["bin/kiosk.js", "serve", "--port", "0", "--db", dbFile], {
    cwd: repoRoot,
    env: { ...process.env, KIOSK_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return new Promise((resolve, reject) => {
    let out = "";
    child.on("error", reject);
    void exited.then((code) => reject(new Error(`kiosk serve exited (${code}) before listening: ${out}`)));
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const url = /emulator at (http:\/\/[^\s]+)\/emulator/.exec(out)?.[1];
      if (url) resolve({ url, stop: () => (child.kill("SIGTERM"), exited) });
    });
  });
}

/** The p-th percentile of ascending `sorted` values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}
