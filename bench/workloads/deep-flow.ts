import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { ChannelSender } from "../../adapters/index.ts";
import { defineBot, flow } from "../../flows/index.ts";
import { ManualClock } from "../../jobs/index.ts";
import { InFlight } from "../drive.ts";
import { Runtime } from "../../server/index.ts";
import { openSqliteStore } from "../../store/index.ts";

const QUESTIONS = 50;

function questionnaire() {
  let builder = flow("survey", "1");
  for (let i = 1; i <= QUESTIONS; i++) builder = builder.askText(`q${i}`, { prompt: `Question ${i}?`, slot: `a${i}` });
  return defineBot({ id: "survey", name: "Survey", flows: [builder.end("done", "Thanks!").build()] });
}

/** Median ms per turn number: turn 1 is "/start" (asks question 1), turn n+1 answers question n. */
export interface DeepFlowResult {
  readonly conversations: number;
  readonly turnMs: Readonly<Record<string, number>>;
  readonly turnsPerSecond: number;
  readonly cpuMsPerTurn: number;
  readonly maxInFlight: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * A 50-question flow: does a turn cost more as the conversation grows? Each
 * answer adds a slot, so the saved state grows; history is never replayed.
 */
export async function runDeepFlow(dbFile: string, conversations: number): Promise<DeepFlowResult> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const bot = questionnaire();
  const sink: ChannelSender = { channel: "bench", send: async () => {} };
  const runtime = new Runtime({ store: openSqliteStore({ file: dbFile }), clock: new ManualClock(), bots: [bot], senders: [sink] });
  await runtime.start();
  const turns = QUESTIONS + 1;
  const samples: number[][] = Array.from({ length: turns + 1 }, () => []);
  // Staggered: conversation c starts in round c, so every round holds up to
  // 51 conversations, each at a different turn number, all in flight at once
  // (one turn per conversation per round, so each conversation's turns stay in
  // order); queueing and machine noise fall on all turn numbers alike.
  const inFlight = new InFlight();
  let handled = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let round = 0; round < conversations + turns; round++) {
    const first = Math.max(0, round - turns + 1);
    const last = Math.min(round, conversations - 1);
    await Promise.all(
      Array.from({ length: Math.max(0, last - first + 1) }, async (_, i) => {
        const c = first + i;
        const turn = round - c + 1;
        const text = turn === 1 ? "/start" : `answer ${turn - 1} from customer ${c}, a little longer than one word`;
        const event = { key: `deep:${c}:${turn}`, botId: bot.id, channel: "bench", userId: `c${c}`, input: { kind: "text" as const, text } };
        inFlight.enter();
        const t0 = performance.now();
        const outcome = await runtime.handle(event);
        samples[turn]?.push(performance.now() - t0);
        inFlight.leave();
        if (outcome.status !== "handled") throw new Error(`turn ${event.key} was ${outcome.status}`, { cause: outcome.error });
        handled += 1;
      }),
    );
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  await runtime.close();
  const turnMs: Record<string, number> = {};
  for (const turn of [1, 2, 25, 50, 51]) turnMs[turn] = median(samples[turn] ?? []);
  return { conversations, turnMs, turnsPerSecond: handled / (elapsedMs / 1000), cpuMsPerTurn: (cpu.user + cpu.system) / 1000 / handled, maxInFlight: inFlight.max };
}
