import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { EXPECTED_TOTAL_MINOR, SCRIPT } from "../drive.ts";
import { percentile, startServeProcess } from "../serve-process.ts";

const CUSTOMERS = 200;
const CONVERSATIONS = 2_000;

/**
 * The emulator HTTP API under load: `kiosk serve` in its own process, 200
 * customers at once, each conversation the cafe order script (6 turns) sent
 * as POST …/events on loopback, 2,000 conversations in all. Latency is per
 * request, as a script driving the emulator sees it.
 */
export async function runApiBench(dbFile: string): Promise<{ turns: number; turnsPerSecond: number; p50Ms: number; p99Ms: number; ordersCorrect: number; conversations: number }> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const server = await startServeProcess(dbFile);
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
