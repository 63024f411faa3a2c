import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { eachConversation, EXPECTED_TOTAL_MINOR, InFlight, SCRIPT } from "../drive.ts";
import { percentile, startServeProcess } from "../serve-process.ts";

const CUSTOMERS = 200;
const CONVERSATIONS = 2_000;

export interface HttpFigures {
  turns: number;
  turnsPerSecond: number;
  /** The server process's CPU time over the measured window, per turn. */
  serverCpuMsPerTurn: number;
  serverPeakRssMb: number;
  p50Ms: number;
  p99Ms: number;
  concurrency: number;
  maxInFlight: number;
  ordersCorrect: number;
  conversations: number;
}

/**
 * The emulator HTTP API under load: `kiosk serve` in its own process, 200
 * customers at once, each conversation the cafe order script (6 turns, in
 * order) sent as POST …/events on loopback, 2,000 conversations in all.
 * Latency is per request, as a script driving the emulator sees it.
 */
export async function runApiBench(dbFile: string): Promise<HttpFigures> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const server = await startServeProcess(dbFile);
  const latencies: number[] = [];
  const inFlight = new InFlight();
  const post = async (customer: string, body: unknown) => {
    inFlight.enter();
    const t0 = performance.now();
    const response = await fetch(`${server.url}/api/emulator/bots/cafe/customers/${customer}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const reply = (await response.json()) as { messages?: unknown[] };
    latencies.push(performance.now() - t0);
    inFlight.leave();
    if (response.status !== 200) throw new Error(`POST events for ${customer}: HTTP ${response.status}`);
    if (!Array.isArray(reply.messages) || reply.messages.length === 0) throw new Error(`POST events for ${customer}: the turn sent no message`);
  };
  let elapsedMs: number;
  let cpuMs: number;
  let serverPeakRssMb: number;
  try {
    const cpu0 = server.cpuMs();
    const started = performance.now();
    await eachConversation(CONVERSATIONS, CUSTOMERS, async (c) => {
      for (const text of SCRIPT) await post(`c${c}`, { text });
    });
    elapsedMs = performance.now() - started;
    cpuMs = server.cpuMs() - cpu0;
    serverPeakRssMb = server.peakRssMb();
  } finally {
    await server.stop();
  }
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
    serverCpuMsPerTurn: cpuMs / latencies.length,
    serverPeakRssMb,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    concurrency: CUSTOMERS,
    maxInFlight: inFlight.max,
    ordersCorrect: orders.filter((o) => o.status === "awaiting_payment" && o.total === EXPECTED_TOTAL_MINOR).length,
    conversations: CONVERSATIONS,
  };
}
