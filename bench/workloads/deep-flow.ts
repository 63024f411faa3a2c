import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { ChannelSender } from "../../core/index.ts";
import { defineBot, flow } from "../../flows/index.ts";
import { ManualClock } from "../../jobs/index.ts";
import { Runtime } from "../../jobs/index.ts";
import { openSqliteStore } from "../../store/index.ts";
import { eachConversation, InFlight } from "../drive.ts";
import { percentile } from "../serve-process.ts";

const QUESTIONS = 50;
const CONCURRENCY = 100;

function questionnaire() {
  let builder = flow("survey", "1");
  for (let i = 1; i <= QUESTIONS; i++) builder = builder.askText(`q${i}`, { prompt: `Question ${i}?`, slot: `a${i}` });
  return defineBot({ id: "survey", name: "Survey", flows: [builder.end("done", "Thanks!").build()] });
}

/** One stretch of turn numbers, every conversation through it with `concurrency` in flight. */
export interface PhaseFigures {
  readonly turns: string;
  readonly turnsPerSecond: number;
  readonly cpuMsPerTurn: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxInFlight: number;
}

export interface DeepFlowResult {
  readonly conversations: number;
  readonly concurrency: number;
  readonly phases: readonly PhaseFigures[];
}

/**
 * A 50-question flow: does a turn cost more as the conversation grows? Each
 * answer adds a slot, so the saved state grows; history is never replayed.
 * All conversations go through the flow together, 100 in flight, each in
 * order, phase by phase: the first turns are measured while every
 * conversation is young, the last ones while every conversation is 45+
 * answers deep, so each phase's turns/s and CPU ms per turn belong to one depth.
 */
export async function runDeepFlow(dbFile: string, conversations: number): Promise<DeepFlowResult> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const bot = questionnaire();
  const sink: ChannelSender = { channel: "bench", send: async () => {} };
  const runtime = new Runtime({ store: openSqliteStore({ file: dbFile }), clock: new ManualClock(), bots: [bot], senders: [sink] });
  await runtime.start();
  const last = QUESTIONS + 1;
  const turn = async (user: string, n: number) => {
    const text = n === 1 ? "/start" : `answer ${n - 1} from ${user}, a little longer than one word`;
    const outcome = await runtime.handle({ key: `deep:${user}:${n}`, botId: bot.id, channel: "bench", userId: user, input: { kind: "text", text } });
    if (outcome.status !== "handled") throw new Error(`turn ${n} of ${user} was ${outcome.status}`, { cause: outcome.error });
  };
  const phase = async (from: number, to: number, label: string): Promise<PhaseFigures> => {
    const inFlight = new InFlight();
    const latencies: number[] = [];
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    await eachConversation(conversations, CONCURRENCY, async (c) => {
      for (let n = from; n <= to; n++) {
        inFlight.enter();
        const t0 = performance.now();
        await turn(`c${c}`, n);
        latencies.push(performance.now() - t0);
        inFlight.leave();
      }
    });
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    const sorted = latencies.sort((a, b) => a - b);
    return {
      turns: label,
      turnsPerSecond: latencies.length / (elapsedMs / 1000),
      cpuMsPerTurn: (cpu.user + cpu.system) / 1000 / latencies.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxInFlight: inFlight.max,
    };
  };
  // Warm-up (JIT, caches): other customers through the whole flow, untimed.
  await eachConversation(Math.min(100, conversations), CONCURRENCY, async (c) => {
    for (let n = 1; n <= last; n++) await turn(`warm${c}`, n);
  });
  const phases: PhaseFigures[] = [];
  phases.push(await phase(1, 1, "turn 1 (/start)"));
  phases.push(await phase(2, 6, "turns 2–6 (answers 1–5)"));
  await phase(7, QUESTIONS - 5, "untimed");
  phases.push(await phase(QUESTIONS - 4, QUESTIONS, `turns ${QUESTIONS - 4}–${QUESTIONS} (answers ${QUESTIONS - 5}–${QUESTIONS - 1})`));
  phases.push(await phase(last, last, `turn ${last} (last answer, ends the flow)`));
  await runtime.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  return { conversations, concurrency: CONCURRENCY, phases };
}
