import { rmSync } from "node:fs";
import type { ChannelSender } from "../../core/index.ts";
import cafe from "../../bots/cafe/index.ts";
import { ManualClock } from "../../jobs/index.ts";
import { Runtime } from "../../jobs/index.ts";
import { openSqliteStore } from "../../store/index.ts";
import { drive, EXPECTED_TOTAL_MINOR, ReplyCounter } from "../drive.ts";
import type { PeerOptions, PeerResult } from "../types.ts";

/**
 * Kiosk's engine on the cafe bot: the real turn (dedupe, conversation loaded
 * and saved, outbox written in one transaction), then the outbox dispatched
 * to a channel that only counts, awaited as the peers await their replies.
 */
export async function runKiosk(opts: PeerOptions): Promise<PeerResult> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(opts.dbFile + suffix, { force: true });
  const store = openSqliteStore({ file: opts.dbFile });
  const replies = new ReplyCounter();
  const counter: ChannelSender = {
    channel: "bench",
    send: async (envelope) => {
      replies.add(envelope.userId);
    },
  };
  const runtime = new Runtime({ store, clock: new ManualClock(new Date("2026-11-24T09:00:00Z")), bots: [cafe], senders: [counter] });
  await runtime.start();
  const result = await drive(
    opts,
    (customer, turn, text) => ({
      key: `bench:${customer}:${turn}`,
      botId: cafe.id,
      channel: "bench",
      userId: `c${customer}`,
      input: { kind: "text" as const, text },
    }),
    (event) =>
      replies.during(event.userId, async () => {
        const outcome = await runtime.handle(event);
        if (outcome.status !== "handled") throw new Error(`turn ${event.key} was ${outcome.status}`, { cause: outcome.error });
      }),
  );
  const orders = await store.listOrders({ botId: cafe.id });
  const correct = orders.filter((o) => o.status === "awaiting_payment" && o.total === EXPECTED_TOTAL_MINOR && o.currency === "EUR");
  // Each saved turn bumps its conversation's version by one (compare-and-swap), so their sum counts state writes.
  let stateWrites = 0;
  await store.transaction(async (tx) => {
    for (let customer = 0; customer < result.conversationsRun; customer++) {
      stateWrites += (await tx.loadConversation({ botId: cafe.id, channel: "bench", userId: `c${customer}` }))?.version ?? 0;
    }
  });
  await runtime.close();
  return { name: "kiosk", ...result, orders: orders.length, ordersCorrect: correct.length, stateWrites };
}
