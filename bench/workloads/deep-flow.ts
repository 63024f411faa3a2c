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

export interface DeepFlowResult {
  readonly conversations: number;
  /** Median ms of the turn answering question 1, and question 50. */
  readonly firstMs: number;
  readonly fiftiethMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Times the 1st and the 50th answer of a 50-question flow: a turn must not cost more as the conversation grows. */
export async function runDeepFlow(dbFile: string, conversations: number): Promise<DeepFlowResult> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const bot = questionnaire();
  const sink: ChannelSender = { channel: "bench", send: async () => {} };
  const runtime = new Runtime({ store: openSqliteStore({ file: dbFile }), clock: new ManualClock(), bots: [bot], senders: [sink] });
  await runtime.start();
  const first: number[] = [];
  const fiftieth: number[] = [];
  for (let turn = 0; turn <= QUESTIONS; turn++) {
    for (let c = 0; c < conversations; c++) {
      const text = turn === 0 ? "/start" : `answer ${turn} from customer ${c}, a little longer than one word`;
      const event = { key: `deep:${c}:${turn}`, botId: bot.id, channel: "bench", userId: `c${c}`, input: { kind: "text" as const, text } };
      const t0 = performance.now();
      await runtime.handle(event);
      const ms = performance.now() - t0;
      if (turn === 1) first.push(ms);
      if (turn === QUESTIONS) fiftieth.push(ms);
    }
  }
  await runtime.close();
  return { conversations, firstMs: median(first), fiftiethMs: median(fiftieth) };
}
