// One workload per process, so each peak RSS and each CPU figure is its own.
// Every child runs under the same loader (`node --import tsx`, as
// `bin/kiosk.js` runs Kiosk). Prints one JSON line.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCRIPT } from "./drive.ts";
import { percentile } from "./serve-process.ts";
import type { PeerOptions, PeerResult } from "./types.ts";

type Runner = (opts: PeerOptions) => Promise<PeerResult>;

// Imported on demand: a workload's peak RSS must not include the other frameworks.
const runners: Readonly<Record<string, () => Promise<Runner>>> = {
  kiosk: async () => (await import("./workloads/kiosk.ts")).runKiosk,
  floor: async () => (await import("./workloads/floor.ts")).runFloor,
  "grammy-conversations": async () => (await import("./peers/grammy-conversations.ts")).runGrammyConversations,
  "botbuilder-dialogs": async () => (await import("./peers/botbuilder-dialogs.ts")).runBotbuilderDialogs,
};

/** What `run.ts` reads back for each system on the coffee order. */
export interface TurnFigures {
  name: string;
  turns: number;
  turnsPerSecond: number;
  cpuMsPerTurn: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
  concurrency: number;
  maxInFlight: number;
  repliesPerTurn: number;
  turnsWithoutReply: number;
  stateWritesPerTurn: number;
  orders: number;
  ordersCorrect: number;
  ordersExpected: number;
}

const [name = "", conversations = "10000", concurrency = "100"] = process.argv.slice(2);
const dbFile = join(tmpdir(), `kiosk-bench-${name}-${process.pid}.db`);
/** The peak resident set of this process so far (Linux reports maxRSS in KiB). */
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const print = (figures: object) => process.stdout.write(`${JSON.stringify({ name, ...figures, peakRssMb: peakRssMb() })}\n`);

if (name === "baseline") {
  // Node and the loader alone: what every other child's peak RSS starts from.
  print({});
} else if (name === "slots") {
  const { runSlotBench } = await import("./workloads/slots.ts");
  print(runSlotBench());
} else if (name === "understanding") {
  const { runUnderstandingBench } = await import("./workloads/understanding.ts");
  print(runUnderstandingBench());
} else if (name === "api") {
  const { runApiBench } = await import("./workloads/api.ts");
  print(await runApiBench(dbFile));
} else if (name === "telegram") {
  const { runTelegramBench } = await import("./workloads/telegram.ts");
  print(await runTelegramBench(dbFile));
} else if (name === "holds") {
  const { runHoldBench } = await import("./workloads/holds.ts");
  print(await runHoldBench(dbFile));
} else if (name === "deep-flow") {
  const { runDeepFlow } = await import("./workloads/deep-flow.ts");
  print(await runDeepFlow(dbFile, Number(conversations)));
} else {
  const load = runners[name];
  if (!load) throw new Error(`unknown workload '${name}'; known: ${Object.keys(runners).join(", ")}, baseline, slots, understanding, api, telegram, holds, deep-flow`);
  const run = await load();
  const r = await run({ dbFile, conversations: Number(conversations), concurrency: Number(concurrency) });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  const figures: Omit<TurnFigures, "name" | "peakRssMb"> = {
    turns: r.turns,
    turnsPerSecond: r.turns / (r.elapsedMs / 1000),
    cpuMsPerTurn: r.cpuMs / r.turns,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    concurrency: r.concurrency,
    maxInFlight: r.maxInFlight,
    repliesPerTurn: r.replies / r.turns,
    turnsWithoutReply: r.turnsWithoutReply,
    stateWritesPerTurn: r.stateWrites / (r.conversationsRun * SCRIPT.length),
    orders: r.orders,
    ordersCorrect: r.ordersCorrect,
    ordersExpected: r.conversationsRun,
  };
  print(figures);
}
