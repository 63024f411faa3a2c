// `npm run bench`: the coffee order on Kiosk, the hand-written floor and two
// peers, each run in its own process under the same loader, many
// conversations in flight at once, BENCH_RUNS rounds interleaved; then the
// 50-question flow, booking, understanding the cafe's and the salon's
// corpora, the emulator API and the Telegram webhook.
// Prints figures (medians of the rounds) and the machine's load beside them.
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import type { TurnFigures } from "./child.ts";
import { SCRIPT } from "./drive.ts";
import type { DeepFlowResult, PhaseFigures } from "./workloads/deep-flow.ts";
import type { UnderstandingFigures } from "./workloads/understanding.ts";

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);
/** Conversations in flight at once: Telegram's ceiling for a webhook's parallel connections is 100. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const SCRIPT_TURNS = SCRIPT.length;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
for (const [name, value] of [["BENCH_CONVERSATIONS", CONVERSATIONS], ["BENCH_CONCURRENCY", CONCURRENCY], ["BENCH_RUNS", RUNS]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}
const SYSTEMS = ["floor", "kiosk", "grammy-conversations", "botbuilder-dialogs"] as const;
const PEERS = ["grammy-conversations", "botbuilder-dialogs"] as const;
const child = fileURLToPath(new URL("./child.ts", import.meta.url));

/** Runs one workload in a fresh `node --import tsx` process (the loader `bin/kiosk.js` uses) and parses its JSON line. */
function run<T>(...args: string[]): T {
  const out = execFileSync(process.execPath, ["--import", "tsx", child, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as T;
}

/** Runs a workload RUNS times, one after another. */
function runs<T>(...args: string[]): T[] {
  return Array.from({ length: RUNS }, () => run<T>(...args));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

/** The median of one field over runs. */
function med<T>(results: readonly T[], field: (r: T) => number): number {
  return median(results.map(field));
}

/** One figure per run, written once with "× n" when every run agrees. */
const ordersOk = (perRun: readonly string[]) => (new Set(perRun).size === 1 ? `${perRun[0] ?? ""} × ${perRun.length}` : perRun.join(" "));
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const int = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(`${new Date().toISOString()}  node ${process.version}  ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}  load average at start: ${load()}`);
console.log("every system in its own child process under node --import tsx; figures are medians of the runs, each field on its own\n");

const baseline = runs<{ peakRssMb: number }>("baseline");
console.log(`node + tsx alone (nothing loaded): peak RSS ${med(baseline, (r) => r.peakRssMb).toFixed(0)} MB; every peak RSS below includes it\n`);

console.log(
  `coffee order "/start → Latte → 2 → M → no → yes": ${int(CONVERSATIONS)} conversations (${int(CONVERSATIONS * SCRIPT_TURNS)} turns) measured after a warm-up, ` +
    `${CONCURRENCY} conversations in flight at once (each sends its next turn when the last is handled), SQLite WAL synchronous=NORMAL, ${RUNS === 1 ? "1 run" : `${RUNS} runs interleaved`}\n`,
);
// Interleaved (floor, kiosk, peers; again …) so a noisy minute falls on every system alike.
const rounds: Array<Record<string, TurnFigures>> = [];
for (let round = 0; round < RUNS; round++) {
  const figures: Record<string, TurnFigures> = {};
  for (const name of SYSTEMS) figures[name] = run<TurnFigures>(name, String(CONVERSATIONS), String(CONCURRENCY));
  rounds.push(figures);
  console.log(`  run ${round + 1}: ${SYSTEMS.map((n) => `${n} ${int(figures[n]?.turnsPerSecond ?? Number.NaN)}/s`).join(", ")}  (load ${load()})`);
}
const of = (name: string) => rounds.map((r) => r[name]).filter((r): r is TurnFigures => r !== undefined);

console.log("\nsystem                 turns/s  CPU ms/turn  p50 ms   p99 ms  peak RSS MB  in flight (max)  replies/turn  state writes/turn  orders ok");
for (const name of SYSTEMS) {
  const r = of(name);
  console.log(
    [
      name.padEnd(22),
      int(med(r, (x) => x.turnsPerSecond)).padStart(7),
      med(r, (x) => x.cpuMsPerTurn).toFixed(3).padStart(12),
      med(r, (x) => x.p50Ms).toFixed(2).padStart(7),
      med(r, (x) => x.p99Ms).toFixed(2).padStart(8),
      med(r, (x) => x.peakRssMb).toFixed(0).padStart(12),
      `${CONCURRENCY} (${Math.min(...r.map((x) => x.maxInFlight))})`.padStart(16),
      med(r, (x) => x.repliesPerTurn).toFixed(2).padStart(13),
      med(r, (x) => x.stateWritesPerTurn).toFixed(2).padStart(18),
      ordersOk(r.map((x) => `${x.ordersCorrect}/${x.ordersExpected}`)).padStart(12),
    ].join(" "),
  );
}

console.log("\nKiosk / peer, each run's ratio from that run's own figures (median [runs]):");
for (const peer of PEERS) {
  const pairs = rounds.flatMap((r) => {
    const k = r.kiosk;
    const p = r[peer];
    return k && p ? [{ speed: k.turnsPerSecond / p.turnsPerSecond, cpu: p.cpuMsPerTurn / k.cpuMsPerTurn }] : [];
  });
  const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(", ");
  console.log(
    `  vs ${peer.padEnd(21)} turns/s ${median(pairs.map((p) => p.speed)).toFixed(2)}× [${list(pairs.map((p) => p.speed))}]; ` +
      `the peer spends ${median(pairs.map((p) => p.cpu)).toFixed(2)}× Kiosk's CPU per turn [${list(pairs.map((p) => p.cpu))}]`,
  );
}

const deep = runs<DeepFlowResult>("deep-flow", "1000");
console.log(
  `\n50-question flow: does a turn cost more deep in a conversation? ${deep[0]?.conversations ?? 0} conversations through it together, ` +
    `${deep[0]?.concurrency ?? 0} in flight, each stretch of turns measured while every conversation is at it:`,
);
for (const [i, label] of (deep[0]?.phases ?? []).map((p, i) => [i, p.turns] as const)) {
  const p = deep.map((d) => d.phases[i]).filter((x): x is PhaseFigures => x !== undefined);
  console.log(
    `  ${label.padEnd(38)} ${int(med(p, (x) => x.turnsPerSecond)).padStart(6)} turns/s  ${med(p, (x) => x.cpuMsPerTurn).toFixed(3)} CPU ms/turn  ` +
      `p50 ${med(p, (x) => x.p50Ms).toFixed(1)} ms  p99 ${med(p, (x) => x.p99Ms).toFixed(1)} ms  (max in flight ${Math.min(...p.map((x) => x.maxInFlight))})`,
  );
}

const slots = run<{ ms: number; slots: number }>("slots");
console.log(`\nbooking slots: one month, 10 staff, 500 appointments: ${slots.slots} slots in ${slots.ms.toFixed(1)} ms (median of 7 in one process; a pure computation, nothing in flight)`);
const holds = runs<{ attempts: number; perSecond: number; cpuMsPerAttempt: number; p50Ms: number; p99Ms: number; concurrency: number; maxInFlight: number; held: number; slots: number; overlaps: number }>("holds");
console.log(
  `hold attempts on one slot set (${holds[0]?.slots ?? 0} overlapping slots, ${holds[0]?.concurrency ?? 0} clients in flight (max ${Math.min(...holds.map((h) => h.maxInFlight))}), ${int(holds[0]?.attempts ?? 0)} attempts): ` +
    `${int(med(holds, (h) => h.perSecond))} attempts/s, ${med(holds, (h) => h.cpuMsPerAttempt).toFixed(3)} CPU ms/attempt, p50 ${med(holds, (h) => h.p50Ms).toFixed(2)} ms, p99 ${med(holds, (h) => h.p99Ms).toFixed(2)} ms (queueing included), ` +
    `held ${holds.map((h) => h.held).join("/")}, overlapping ${holds.map((h) => h.overlaps).join("/")}`,
);

const understanding = run<UnderstandingFigures>("understanding");
const percent = (share: number) => (Number.isNaN(share) ? "—" : `${(share * 100).toFixed(1)}%`);
console.log(
  `\nunderstanding customers: every sentence of each corpus read by flows/understand and compared exactly with its label; ` +
    `"wrongly" = read as something else (a bot would act on it), "not understood" = nothing read; parse time per message over every sentence × ${understanding.repetitions} after a warm-up, in one process`,
);
for (const set of understanding.corpora) {
  console.log(`\n${set.name}: ${set.folder}`);
  console.log(`language  sentences   exact  ${set.kinds.map((k) => k.padStart(8)).join(" ")}  understood wrongly  not understood  p50 µs  p99 µs`);
  for (const row of [...set.languages, { ...set.all, locale: "all" }]) {
    console.log(
      [
        row.locale.padEnd(8),
        String(row.sentences).padStart(10),
        percent(row.accuracy).padStart(7),
        ` ${set.kinds.map((k) => percent(row.byKind[k].accuracy).padStart(8)).join(" ")}`,
        String(row.wrong).padStart(19),
        String(row.missed).padStart(15),
        row.p50Us.toFixed(1).padStart(7),
        row.p99Us.toFixed(1).padStart(7),
      ].join(" "),
    );
  }
  console.log(`  wrongly / not understood, by kind (all languages): ${set.kinds.map((k) => `${k} ${set.all.byKind[k].wrong}/${set.all.byKind[k].missed} of ${set.all.byKind[k].sentences}`).join(", ")}`);
  console.log(
    `  parse time by kind (all languages), p50/p99 µs: ${set.kinds.map((k) => {
      const t = set.all.timeByKind[k];
      return t ? `${k} ${t.p50Us.toFixed(1)}/${t.p99Us.toFixed(1)}` : `${k} —`;
    }).join(", ")}`,
  );
  for (const row of set.languages) {
    if (row.wrongListed) console.log(`  understood wrongly (${row.locale}):\n    ${row.wrongListed.split("\n").join("\n    ")}`);
  }
}

const api = runs<{ turns: number; turnsPerSecond: number; serverCpuMsPerTurn: number; serverPeakRssMb: number; p50Ms: number; p99Ms: number; concurrency: number; maxInFlight: number; ordersCorrect: number; conversations: number }>("api");
console.log(
  `\nemulator HTTP API (kiosk serve in its own process, ${api[0]?.concurrency ?? 0} customers in flight (max ${Math.min(...api.map((a) => a.maxInFlight))}), ${int(api[0]?.conversations ?? 0)} cafe conversations): ` +
    `${int(med(api, (a) => a.turnsPerSecond))} turns/s, server ${med(api, (a) => a.serverCpuMsPerTurn).toFixed(3)} CPU ms/turn, p50 ${med(api, (a) => a.p50Ms).toFixed(1)} ms, p99 ${med(api, (a) => a.p99Ms).toFixed(1)} ms, ` +
    `server peak RSS ${med(api, (a) => a.serverPeakRssMb).toFixed(0)} MB, orders correct ${ordersOk(api.map((a) => `${a.ordersCorrect}/${a.conversations}`))}`,
);
const telegram = runs<{ updates: number; updatesPerSecond: number; serverCpuMsPerUpdate: number; serverPeakRssMb: number; p50Ms: number; p99Ms: number; concurrency: number; maxInFlight: number; ordersCorrect: number; conversations: number; pacing: string }>("telegram");
console.log(
  `Telegram webhook end to end (kiosk serve in its own process, fake Bot API, ${telegram[0]?.concurrency ?? 0} chats in flight (max ${Math.min(...telegram.map((t) => t.maxInFlight))}), ${int(telegram[0]?.conversations ?? 0)} cafe conversations; update POST → first Bot API call of its turn): ` +
    `${int(med(telegram, (t) => t.updatesPerSecond))} updates/s, server ${med(telegram, (t) => t.serverCpuMsPerUpdate).toFixed(3)} CPU ms/update, p50 ${med(telegram, (t) => t.p50Ms).toFixed(1)} ms, p99 ${med(telegram, (t) => t.p99Ms).toFixed(1)} ms, ` +
    `server peak RSS ${med(telegram, (t) => t.serverPeakRssMb).toFixed(0)} MB, orders correct ${ordersOk(telegram.map((t) => `${t.ordersCorrect}/${t.conversations}`))}; ` +
    `pacing off (${telegram[0]?.pacing ?? ""}): the fake has no limits, so this measures the engine, not Telegram's 30/s per bot`,
);

// BENCH_SWEEP=1: the same order at other concurrencies, one run each, so the ratios above can be read against how
// many conversations are in flight (at 1, each system handles one turn at a time, as a bot with one customer would).
const sweep: TurnFigures[] = [];
if (process.env.BENCH_SWEEP === "1") {
  const SWEEP_CONVERSATIONS = Math.min(CONVERSATIONS, 3_000);
  console.log(`\nconcurrency sweep (${int(SWEEP_CONVERSATIONS)} conversations, one run each): turns/s (CPU ms/turn, p99 ms)`);
  for (const concurrency of [1, 10, 100, 1_000]) {
    const row = SYSTEMS.filter((n) => n !== "floor").map((name) => run<TurnFigures>(name, String(SWEEP_CONVERSATIONS), String(concurrency)));
    sweep.push(...row);
    console.log(`  ${String(concurrency).padStart(5)} in flight: ${row.map((r) => `${r.name} ${int(r.turnsPerSecond)} (${r.cpuMsPerTurn.toFixed(3)}, ${r.p99Ms.toFixed(1)})`).join("  ")}  (load ${load()})`);
  }
}

// What must hold for the figures above to mean anything; a failure here makes the run fail.
const all = [...rounds.flatMap((r) => Object.values(r)), ...sweep];
/** A check over runs: "ok" with how many runs it held for, or the runs where it failed and their figure. */
function check<T extends object>(what: string, runs: readonly T[], holds: (r: T) => boolean, figure: (r: T) => string): boolean {
  const failed = runs.filter((r) => !holds(r));
  const detail = failed.length === 0 ? `all ${runs.length} runs` : failed.map((r) => `${"name" in r && typeof r.name === "string" ? r.name : "run"}: ${figure(r)}`).join(", ");
  console.log(`  ${failed.length === 0 ? "ok  " : "FAIL"}  ${what}: ${detail}`);
  return failed.length === 0;
}
console.log("\nchecks");
const passed = [
  check("every order placed and correct", all, (r) => r.ordersCorrect === r.ordersExpected && r.orders === r.ordersExpected, (r) => `${r.ordersCorrect} correct of ${r.orders}, ${r.ordersExpected} expected`),
  check("every turn answered (no turn without a reply)", all, (r) => r.turnsWithoutReply === 0, (r) => `${r.turnsWithoutReply} turns without a reply`),
  check("state persisted on every turn", all, (r) => r.stateWritesPerTurn >= 1, (r) => `${r.stateWritesPerTurn.toFixed(2)} writes per turn`),
  check("the concurrency was reached", all, (r) => r.maxInFlight === Math.min(r.concurrency, r.turns / SCRIPT_TURNS), (r) => `${r.maxInFlight} of ${r.concurrency} in flight`),
  check("no double booking under concurrent holds", holds, (h) => h.overlaps === 0, (h) => `${h.overlaps} overlapping holds`),
  check("every HTTP order correct", [...api, ...telegram], (r) => r.ordersCorrect === r.conversations, (r) => `${r.ordersCorrect}/${r.conversations}`),
].every(Boolean);
console.log(`\nload average at end: ${load()}`);
if (!passed) process.exitCode = 1;
