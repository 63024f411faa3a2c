import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { ChannelSender } from "../../adapters/index.ts";
import { defineBot, flow } from "../../flows/index.ts";
import { ManualClock } from "../../jobs/index.ts";
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
  // Staggered: conversation c starts in round c, so every round mixes early and
  // late turns and machine noise falls on all turn numbers alike.
  for (let round = 0; round < conversations + turns; round++) {
    for (let c = Math.max(0, round - turns + 1); c <= Math.min(round, conversations - 1); c++) {
      const turn = round - c + 1;
      const text = turn === 1 ? "/start" : `answer ${turn - 1} from customer ${c}, a little longer than one word`;
      const event = { key: `deep:${c}:${turn}`, botId: bot.id, channel: "bench", userId: `c${c}`, input: { kind: "text" as const, text } };
      const t0 = performance.now();
      await runtime.handle(event);
      samples[turn]?.push(performance.now() - t0);
    }
  }
  await runtime.close();
  const turnMs: Record<string, number> = {};
  for (const turn of [1, 2, 25, 50, 51]) turnMs[turn] = median(samples[turn] ?? []);
  return { conversations, turnMs };
}
