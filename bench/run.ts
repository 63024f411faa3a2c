// `npm run bench`: the coffee-order workload on Kiosk, the hand-written floor and
// two peers, each in its own process; then the 50-question flow. Prints figures.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1_000);
const child = fileURLToPath(new URL("./child.ts", import.meta.url));

interface TurnFigures {
  name: string;
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
  orders: number;
  ordersCorrect: number;
}

function run<T>(...args: string[]): T {
  const out = execFileSync(process.execPath, ["--import", "tsx", child, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as T;
}

console.log(`coffee order "/start → Latte → 2 → M → no → yes": ${CONVERSATIONS} conversations, ${CONCURRENCY} at a time, SQLite WAL\n`);
console.log("workload               turns/s    p50 ms   p99 ms   peak RSS MB   orders ok");
const results: TurnFigures[] = [];
for (const name of ["floor", "kiosk", "grammy-conversations", "botbuilder-dialogs"]) {
  const r = run<TurnFigures>(name, String(CONVERSATIONS), String(CONCURRENCY));
  results.push(r);
  console.log(
    `${r.name.padEnd(22)} ${r.turnsPerSecond.toFixed(0).padStart(7)}   ${r.p50Ms.toFixed(3).padStart(7)}  ${r.p99Ms.toFixed(3).padStart(7)}   ${r.peakRssMb.toFixed(0).padStart(11)}   ${r.ordersCorrect}/${CONVERSATIONS}`,
  );
}

const byName = new Map(results.map((r) => [r.name, r]));
const kiosk = byName.get("kiosk");
const floor = byName.get("floor");
const deep = run<{ turnMs: Record<string, number>; conversations: number }>("deep-flow", "1000");
const turnMs = (n: number) => deep.turnMs[String(n)] ?? Number.NaN;
console.log(`\n50-question flow (${deep.conversations} conversations, staggered), median ms per turn:`);
console.log(`  turn 1 (/start) ${turnMs(1).toFixed(3)}   turn 2 (1st answer) ${turnMs(2).toFixed(3)}   turn 25 ${turnMs(25).toFixed(3)}   turn 50 ${turnMs(50).toFixed(3)}   turn 51 (last answer, ends the flow) ${turnMs(51).toFixed(3)}`);

const slots = run<{ ms: number; slots: number }>("slots");
console.log(`\nbooking slots: one month, 10 staff, 500 appointments: ${slots.slots} slots in ${slots.ms.toFixed(1)} ms (median of 7)`);
const api = run<{ turns: number; turnsPerSecond: number; p50Ms: number; p99Ms: number; ordersCorrect: number; conversations: number }>("api");
console.log(
  `\nemulator HTTP API (kiosk serve in its own process, 200 customers at once, ${api.conversations} cafe conversations): ${api.turnsPerSecond.toFixed(0)} turns/s, p50 ${api.p50Ms.toFixed(2)} ms, p99 ${api.p99Ms.toFixed(2)} ms, ${api.ordersCorrect}/${api.conversations} orders correct`,
);
const telegram = run<{ updates: number; updatesPerSecond: number; p50Ms: number; p99Ms: number; ordersCorrect: number; conversations: number; chats: number; pacing: string; peakRssMb: number }>("telegram");
console.log(
  `Telegram webhook end to end (kiosk serve in its own process, fake Bot API, ${telegram.chats} chats at once, ${telegram.conversations} cafe conversations; update POST → first Bot API call of its turn): ${telegram.updatesPerSecond.toFixed(0)} updates/s, p50 ${telegram.p50Ms.toFixed(1)} ms, p99 ${telegram.p99Ms.toFixed(1)} ms, ${telegram.ordersCorrect}/${telegram.conversations} orders correct; pacing off (${telegram.pacing}): the fake has no limits, so this measures the engine, not Telegram's 30/s per bot`,
);
const holds = run<{ attempts: number; perSecond: number; p99Ms: number; held: number; slots: number; overlaps: number }>("holds");
console.log(
  `hold attempts on one slot set (${holds.slots} overlapping slots, 200 clients, ${holds.attempts} attempts): ${holds.perSecond.toFixed(0)} attempts/s, p99 ${holds.p99Ms.toFixed(3)} ms (queueing behind 199 others included), ${holds.held} held, ${holds.overlaps} overlapping holds`,
);

if (kiosk && floor) {
  const peers = results.filter((r) => r.name !== "kiosk" && r.name !== "floor");
  const checks: Array<[string, boolean, string]> = [
    ["≥ half the floor's turns/s", kiosk.turnsPerSecond >= floor.turnsPerSecond / 2, `${((kiosk.turnsPerSecond / floor.turnsPerSecond) * 100).toFixed(0)}% of floor`],
    ["p99 under 1 ms", kiosk.p99Ms < 1, `${kiosk.p99Ms.toFixed(3)} ms`],
    ["peak RSS under 150 MB", kiosk.peakRssMb < 150, `${kiosk.peakRssMb.toFixed(0)} MB`],
    ["50th turn no dearer than the 1st (within 10%)", turnMs(50) <= turnMs(1) * 1.1, `${turnMs(50).toFixed(3)} vs ${turnMs(1).toFixed(3)} ms`],
    ["50th answer no dearer than the 1st (within 10%)", turnMs(51) <= turnMs(2) * 1.1, `${turnMs(51).toFixed(3)} vs ${turnMs(2).toFixed(3)} ms`],
    ["ahead of both peers", peers.every((p) => kiosk.turnsPerSecond > p.turnsPerSecond), peers.map((p) => `${p.name} ${p.turnsPerSecond.toFixed(0)}/s`).join(", ")],
    ["no double booking under concurrent holds", holds.overlaps === 0, `${holds.overlaps} overlapping holds among ${holds.held}`],
    ["every order correct", results.every((r) => r.ordersCorrect === CONVERSATIONS), results.map((r) => `${r.name} ${r.ordersCorrect}`).join(", ")],
  ];
  console.log("\ntargets");
  for (const [what, ok, figure] of checks) console.log(`  ${ok ? "met " : "MISS"}  ${what}: ${figure}`);
}
