import { toJsonl } from "./jsonl.ts";
import { flowDiagram, restoreState, type LoadedBot } from "../../flows/index.ts";
import type { Clock } from "../../jobs/index.ts";
import type { ConversationAddress, Store } from "../../store/index.ts";

/** Where the inspector reads a conversation from. */
export interface InspectorSources {
  readonly store: Store;
  /** The emulator's time: which timers are due. */
  readonly clock: Clock;
}

/** What the inspector shows: where the conversation is, its orders and bookings with their history, and what is queued. */
export async function inspectConversation({ store, clock }: InspectorSources, address: ConversationAddress): Promise<Record<string, unknown>> {
  const row = await store.transaction((tx) => tx.loadConversation(address));
  const state = row ? restoreState(row) : undefined;
  const orders = await store.listOrders(address);
  const bookings = await store.listBookings(address);
  const refunds = await store.listRefunds(address);
  const history = (h: ReadonlyArray<{ from: string; to: string; cause: string; at: Date }>) => h.map((t) => ({ from: t.from, to: t.to, cause: t.cause, at: t.at.toISOString() }));
  const outbox = await store.conversationOutbox(address, { newest: true, limit: 100 });
  const timers = await store.conversationTimers(address);
  const now = clock.now();
  return {
    flow: state?.flowId ?? null,
    flowVersion: state?.flowVersion ?? null,
    step: state?.stepId ?? null,
    locale: state?.locale ?? null,
    slots: state?.slots ?? {},
    cart: state?.cart ?? [],
    phase: state?.phase ?? null,
    version: row?.version ?? 0,
    orders: await Promise.all(
      orders.map(async (o) => ({
        ...o,
        createdAt: o.createdAt.toISOString(),
        updatedAt: o.updatedAt.toISOString(),
        history: history(await store.orderHistory(o.id)),
        refunds: refunds.filter((r) => r.orderId === o.id).map((r) => ({ amount: r.amount, currency: r.currency, status: r.status, reason: r.reason, note: r.lastError })),
      })),
    ),
    bookings: await Promise.all(bookings.map(async (b) => ({ ...b, history: history(await store.bookingHistory(b.id)) }))),
    timeline: [
      ...outbox.map((r) => ({
        kind: "message" as const,
        seq: r.id,
        status: r.sentAt !== null ? "sent" : r.nextAttemptAt === null && r.attempts > 0 ? "given_up" : "pending",
        attempts: r.attempts,
        at: r.createdAt.toISOString(),
        sentAt: r.sentAt?.toISOString() ?? null,
        nextAttemptAt: r.sentAt === null ? (r.nextAttemptAt?.toISOString() ?? null) : null,
        lastError: r.lastError,
        message: toJsonl(r),
      })),
      ...timers.map((t) => ({ kind: "timer" as const, key: t.key, name: t.name, at: t.fireAt.toISOString(), due: t.fireAt.getTime() <= now.getTime(), data: t.data })),
    ].sort((a, b) => a.at.localeCompare(b.at)),
  };
}

/** The bot's flows as Mermaid, with the customer's step marked when a customer with a conversation under way is given. */
export async function conversationDiagram(store: Store, bot: LoadedBot, address?: ConversationAddress): Promise<{ mermaid: string; current?: { flow: string; step: string | null } }> {
  if (address === undefined) return { mermaid: flowDiagram(bot) };
  const row = await store.transaction((tx) => tx.loadConversation(address));
  if (!row) return { mermaid: flowDiagram(bot) };
  const current = { flowId: row.flowId, stepId: row.stepId };
  return { mermaid: flowDiagram(bot, { current }), current: { flow: row.flowId, step: row.stepId } };
}
