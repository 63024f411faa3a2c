import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { EXPECTED_TOTAL_MINOR, SCRIPT } from "../drive.ts";

const CUSTOMERS = 200;
const CONVERSATIONS = 2_000;
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** Starts `kiosk serve` on a free port in a process of its own; resolves to its URL once it listens. */
function serve(dbFile: string): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, ["bin/kiosk.js", "serve", "--port", "0", "--db", dbFile], {
    cwd: repoRoot,
    env: { ...process.env, KIOSK_LOG_LEVEL: "warn" },
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

/**
 * The emulator HTTP API under load: `kiosk serve` in its own process, 200
 * customers at once, each conversation the cafe order script (6 turns) sent
 * as POST …/events on loopback, 2,000 conversations in all. Latency is per
 * request, as a script driving the emulator sees it.
 */
export async function runApiBench(dbFile: string): Promise<{ turns: number; turnsPerSecond: number; p50Ms: number; p99Ms: number; ordersCorrect: number; conversations: number }> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const server = await serve(dbFile);
  const latencies: number[] = [];
  let next = 0;
  const post = async (customer: string, body: unknown) => {
    const t0 = performance.now();
    const response = await fetch(`${server.url}/api/emulator/bots/cafe/customers/${customer}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    latencies.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`POST events for ${customer}: HTTP ${response.status}`);
  };
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: CUSTOMERS }, async () => {
        while (next < CONVERSATIONS) {
          const customer = `c${next++}`;
          for (const text of SCRIPT) await post(customer, { text });
        }
      }),
    );
  } finally {
    await server.stop();
  }
  const elapsedMs = performance.now() - started;
  // The server is gone: read the orders from its file.
  const { openSqliteStore } = await import("../../store/index.ts");
  const store = openSqliteStore({ file: dbFile });
  const orders = await store.listOrders({ botId: "cafe" });
  await store.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const sorted = latencies.sort((a, b) => a - b);
  return {
    turns: latencies.length,
    turnsPerSecond: latencies.length / (elapsedMs / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    ordersCorrect: orders.filter((o) => o.status === "awaiting_payment" && o.total === EXPECTED_TOTAL_MINOR).length,
    conversations: CONVERSATIONS,
  };
}
