// What the benchmarks that go through HTTP share: `kiosk serve` in a process
// of its own (so the load generator does not share its event loop), its CPU
// time and peak RSS read from /proc, and percentiles of the latencies measured.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
/** Linux reports a process's CPU time in clock ticks of 1/100 s (`getconf CLK_TCK`). */
const TICK_MS = 10;

export interface ServeProcess {
  /** `http://127.0.0.1:<port>` it listens on. */
  readonly url: string;
  /** User + system CPU time the server process has used so far, every thread, in ms (10 ms resolution). */
  cpuMs(): number;
  /** The server process's peak resident set so far, in MB. */
  peakRssMb(): number;
  /** SIGTERM; resolves to its exit code once it has shut down gracefully. */
  stop(): Promise<number | null>;
}

function procCpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function procPeakRssMb(pid: number): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kib) / 1024;
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
      // The start banner's first loopback URL is where it listens.
      const url = /(http:\/\/(?:127\.0\.0\.1|localhost):\d+)/.exec(out)?.[1];
      const pid = child.pid;
      if (url && pid !== undefined) {
        resolve({ url, cpuMs: () => procCpuMs(pid), peakRssMb: () => procPeakRssMb(pid), stop: () => (child.kill("SIGTERM"), exited) });
      }
    });
  });
}

/** The p-th percentile of ascending `sorted` values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}
