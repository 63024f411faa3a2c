// Runs both peers once at a small size and fails unless every customer's order
// landed in SQLite with the expected total. Usage: npx tsx bench/peers/smoke.ts
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBotbuilderDialogs } from "./botbuilder-dialogs.ts";
import { runGrammyConversations } from "./grammy-conversations.ts";
import type { PeerOptions, PeerResult } from "../types.ts";

const CONVERSATIONS = 200;
const CONCURRENCY = 50;

const peers: ReadonlyArray<readonly [string, (opts: PeerOptions) => Promise<PeerResult>]> = [
  ["grammy-conversations", runGrammyConversations],
  ["botbuilder-dialogs", runBotbuilderDialogs],
];

/** Nearest-rank percentile of an ascending-sorted sample. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

function summarize(r: PeerResult): string {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  const turnsPerSecond = r.turns / (r.elapsedMs / 1000);
  return [
    r.name.padEnd(22),
    `turns=${r.turns}`,
    `turns/s=${turnsPerSecond.toFixed(0)}`,
    `p50=${percentile(sorted, 50).toFixed(3)}ms`,
    `p99=${percentile(sorted, 99).toFixed(3)}ms`,
    `orders=${r.orders}`,
    `ordersCorrect=${r.ordersCorrect}`,
  ].join("  ");
}

let failed = false;
for (const [name, run] of peers) {
  const result = await run({
    dbFile: join(tmpdir(), `kiosk-bench-peer-${name}.db`),
    conversations: CONVERSATIONS,
    concurrency: CONCURRENCY,
  });
  console.log(summarize(result));
  if (result.ordersCorrect !== CONVERSATIONS || result.orders !== CONVERSATIONS) {
    console.error(`${name}: expected ${CONVERSATIONS} correct orders, got ${result.ordersCorrect}/${result.orders}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
