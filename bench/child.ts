// One workload per process, so each peak RSS is its own. Prints one JSON line.
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PeerOptions, PeerResult } from "./types.ts";

type Runner = (opts: PeerOptions) => Promise<PeerResult>;

// Imported on demand: a workload's peak RSS must not include the other frameworks.
const runners: Readonly<Record<string, () => Promise<Runner>>> = {
  kiosk: async () => (await import("./workloads/kiosk.ts")).runKiosk,
  floor: async () => (await import("./workloads/floor.ts")).runFloor,
  "grammy-conversations": async () => (await import("./peers/grammy-conversations.ts")).runGrammyConversations,
  "botbuilder-dialogs": async () => (await import("./peers/botbuilder-dialogs.ts")).runBotbuilderDialogs,
};

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

const [name = "", conversations = "10000", concurrency = "1000"] = process.argv.slice(2);
const dbFile = join(tmpdir(), `kiosk-bench-${name}-${process.pid}.db`);
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

if (name === "slots") {
  const { runSlotBench } = await import("./workloads/slots.ts");
  process.stdout.write(`${JSON.stringify({ name, ...runSlotBench() })}\n`);
} else if (name === "api") {
  const { runApiBench } = await import("./workloads/api.ts");
  process.stdout.write(`${JSON.stringify({ name, ...(await runApiBench(dbFile)) })}\n`);
} else if (name === "telegram") {
  const { runTelegramBench } = await import("./workloads/telegram.ts");
  process.stdout.write(`${JSON.stringify({ name, ...(await runTelegramBench(dbFile)), peakRssMb: peakRssMb() })}\n`);
} else if (name === "holds") {
  const { runHoldBench } = await import("./workloads/holds.ts");
  process.stdout.write(`${JSON.stringify({ name, ...(await runHoldBench(dbFile)) })}\n`);
} else if (name === "deep-flow") {
  const { runDeepFlow } = await import("./workloads/deep-flow.ts");
  const result = await runDeepFlow(dbFile, Number(conversations));
  process.stdout.write(`${JSON.stringify({ name, ...result, peakRssMb: peakRssMb() })}\n`);
} else {
  const load = runners[name];
  if (!load) throw new Error(`unknown workload '${name}'; known: ${Object.keys(runners).join(", ")}, deep-flow`);
  const run = await load();
  const result = await run({ dbFile, conversations: Number(conversations), concurrency: Number(concurrency) });
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      name,
      turns: result.turns,
      turnsPerSecond: result.turns / (result.elapsedMs / 1000),
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      peakRssMb: peakRssMb(),
      orders: result.orders,
      ordersCorrect: result.ordersCorrect,
    })}\n`,
  );
}
