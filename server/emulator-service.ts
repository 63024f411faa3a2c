import { randomUUID } from "node:crypto";
import { Mutex } from "async-mutex";
import { EMULATOR_CHANNEL, type EmulatorChannel, toJsonl } from "../adapters/emulator/index.ts";
import type { Envelope, OutboundMessage } from "../core/message.ts";
import { TestPaymentProvider, type Order, type PaymentReport } from "../commerce/index.ts";
import { flowDiagram, restoreState, type InboundEvent, type LoadedBot } from "../flows/index.ts";
import { parseIsoDuration, type OffsetClock } from "../jobs/index.ts";
import type { ConversationAddress, Store } from "../store/index.ts";
import { HttpError } from "./errors.ts";
import type { Runtime } from "../jobs/runtime.ts";
import { transcriptYaml, type RecordedAction, type RecordedEntry } from "./transcript-export.ts";

/** What a customer does in the emulator. `pay: "slow"` succeeds after a delay, like a provider's late webhook. */
export type CustomerAction =
  | { readonly text: string }
  | { readonly press: string }
  | { readonly pay: "succeed" | "decline" | "slow" }
  /** The customer's own phone number, shared as a channel's share button would. */
  | { readonly contact: string }
  | { readonly location: { readonly latitude: number; readonly longitude: number } };

/** A message as the API shows it: the JSON-lines shape plus its sequence number (the outbox id). */
export type ApiMessage = { readonly seq: number } & Record<string, unknown>;

export interface EmulatorServiceOptions {
  readonly runtime: Runtime;
  /** One of the runtime's senders: every emulator message passes through it. */
  readonly channel: EmulatorChannel;
  readonly clock: OffsetClock;
  readonly store: Store;
  readonly bots: readonly LoadedBot[];
  /** Delay of `pay: "slow"`, in ms (default 2000). */
  readonly slowPaymentMs?: number;
  /** The runtime is the emulator's own (its sandbox): `close()` closes it, and its store, after the emulator's turns. */
  readonly ownsRuntime?: boolean;
  readonly onError?: (error: unknown, context: string) => void;
}

/** Events and fast-forwards kept per customer for the transcript export (memory stays bounded). */
const MAX_RECORDED = 2000;
/** Fast-forwards kept for the transcripts. */
const MAX_ADVANCES = 2000;

/** The longest fast-forward one request may ask for. */

export function apiMessage(envelope: Pick<Envelope, "id" | "userId" | "message">): ApiMessage {
  return { seq: envelope.id, ...toJsonl(envelope) };
}

const keyOf = (botId: string, userId: string) => `${botId}\u0000${userId}`;

interface CustomerLog {
  readonly entries: RecordedEntry[];
  /** More happened than is kept; the transcript cannot be exported. */
  truncated: boolean;
  /** The conversation was already under way when this process first saw the customer. */
  readonly startedEarlier: boolean;
  readonly since: Date;
}

/**
 * Every bot of the server as emulator customers see it, over the emulator's
 * store and runtime (the server's own in emulator mode, the sandbox's beside
 * real channels): events in, replies out, payments with the test provider,
 * the clock fast-forwarded, the conversation inspected, reset or exported as
 * a transcript. Turns of one customer run one at a time.
 */
export class EmulatorService {
  readonly payments = new TestPaymentProvider();
  readonly #o: EmulatorServiceOptions;
  readonly #bots: Map<string, LoadedBot>;
  /** One lock per customer (one turn at a time); the clock has its own. */
  readonly #locks = new Map<string, Mutex>();
  readonly #clockLock = new Mutex();
  /** Messages of turns being collected, per customer. */
  readonly #collecting = new Map<string, Envelope[]>();
  #advancing: Envelope[] | undefined;
  readonly #logs = new Map<string, CustomerLog>();
  /** Fast-forwards, for every customer's transcript: [sequence, entry]. */
  readonly #advances: Array<{ seq: number; at: Date; duration: string; messages: Envelope[] }> = [];
  #seq = 0;
  /** Sequence number of the newest fast-forward no longer kept. */
  #advancesDroppedTo = 0;
  readonly #slow = new Map<NodeJS.Timeout, () => Promise<void>>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(options: EmulatorServiceOptions) {
    this.#o = options;
    this.#bots = new Map(options.bots.map((b) => [b.id, b]));
    this.#unsubscribe = options.channel.onMessage((envelope) => this.#onMessage(envelope));
  }

  get clock(): OffsetClock {
    return this.#o.clock;
  }

  /** The store the emulator's customers live in (the sandbox's beside real channels). */
  get store(): Store {
    return this.#o.store;
  }

  get runtime(): Runtime {
    return this.#o.runtime;
  }

  bots(): LoadedBot[] {
    return [...this.#bots.values()];
  }

  bot(id: string): LoadedBot {
    const bot = this.#bots.get(id);
    if (!bot) throw new HttpError(404, "not_found", `no bot '${id}'; bots are: ${[...this.#bots.keys()].join(", ") || "(none)"}`);
    return bot;
  }

  #address(botId: string, userId: string): ConversationAddress {
    return { botId: this.bot(botId).id, channel: EMULATOR_CHANNEL, userId };
  }

  #onMessage(envelope: Envelope): void {
    const key = keyOf(envelope.botId, envelope.userId);
    const collector = this.#collecting.get(key);
    if (collector) {
      collector.push(envelope);
      return;
    }
    if (this.#advancing) {
      this.#advancing.push(envelope);
      return;
    }
    // Sent on real time (a timer the poller fired): kept for the transcript.
    const log = this.#logs.get(key);
    if (log && log.entries.length < MAX_RECORDED) log.entries.push({ seq: ++this.#seq, at: this.#o.clock.now(), kind: "spontaneous", messages: [envelope.message] });
    else if (log) log.truncated = true;
  }

  /** Runs `fn` alone for this customer; the lock is dropped once nobody holds or awaits it. */
  async #exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let lock = this.#locks.get(key);
    if (!lock) this.#locks.set(key, (lock = new Mutex()));
    try {
      return await lock.runExclusive(fn);
    } finally {
      // A waiter takes the lock as it is released, so an unlocked one has no waiters.
      if (!lock.isLocked() && this.#locks.get(key) === lock) this.#locks.delete(key);
    }
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    const done = () => this.#inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  async #log(address: ConversationAddress): Promise<CustomerLog> {
    const key = keyOf(address.botId, address.userId);
    let log = this.#logs.get(key);
    if (!log) {
      const row = await this.#o.store.transaction((tx) => tx.loadConversation(address));
      log = { entries: [], truncated: false, startedEarlier: row !== undefined, since: this.#o.clock.now() };
      this.#logs.set(key, log);
    }
    return log;
  }

  /** Runs one event of a customer under their lock; resolves to the messages it sent them. */
  async #turn(address: ConversationAddress, input: InboundEvent["input"], key: string, locale: string | undefined, record: () => RecordedAction): Promise<Envelope[]> {
    const k = keyOf(address.botId, address.userId);
    return this.#track(
      this.#exclusive(k, async () => {
        const log = await this.#log(address);
        const at = this.#o.clock.now();
        const collected: Envelope[] = [];
        this.#collecting.set(k, collected);
        let status: string;
        try {
          const result = await this.#o.runtime.handle({ ...address, key, input, ...(locale === undefined ? {} : { locale }) });
          status = result.status;
        } finally {
          this.#collecting.delete(k);
        }
        if (status === "failed" && input.kind === "payment") {
          throw new Error(`the payment turn of ${address.userId} failed; see the server log`);
        }
        if (log.entries.length < MAX_RECORDED) log.entries.push({ ...record(), seq: ++this.#seq, at, messages: collected.map((e) => e.message) });
        else log.truncated = true;
        return collected;
      }),
    );
  }

  /** Handles what a customer did; resolves to the messages it sent them (none yet for a slow payment). */
  async act(botId: string, userId: string, action: CustomerAction, locale?: string): Promise<{ messages: ApiMessage[]; pending?: true }> {
    if (this.#closed) throw new HttpError(503, "unavailable", "the server is shutting down; try again once it is back");
    const address = this.#address(botId, userId);
    const loc = locale === undefined ? {} : { locale };
    let sent: Envelope[];
    if ("text" in action) {
      sent = await this.#turn(address, { kind: "text", text: action.text }, `emulator:${randomUUID()}`, locale, () => ({ kind: "text", value: action.text, ...loc }));
    } else if ("contact" in action) {
      const input = { kind: "contact" as const, phone: action.contact, own: true };
      sent = await this.#turn(address, input, `emulator:${randomUUID()}`, locale, () => ({ kind: "contact", value: action.contact, ...loc }));
    } else if ("location" in action) {
      const { latitude, longitude } = action.location;
      const input = { kind: "location" as const, latitude, longitude };
      sent = await this.#turn(address, input, `emulator:${randomUUID()}`, locale, () => ({ kind: "location", value: { latitude, longitude }, ...loc }));
    } else if ("press" in action) {
      const payload = await this.#resolveButton(address, action.press);
      sent = await this.#turn(address, { kind: "postback", payload }, `emulator:${randomUUID()}`, locale, () => ({ kind: "press", value: action.press, ...loc }));
    } else {
      const order = await this.openInvoice(address);
      if (!order) throw new HttpError(409, "conflict", `${userId} has no open invoice to pay; place an order first`);
      const report = this.payments.charge(order, action.pay === "decline" ? "decline" : "succeed");
      const pay = () =>
        this.#turn(address, { kind: "payment", report }, `payment:${report.provider}:${report.reference}`, locale, () => ({
          kind: "pay",
          value: report.outcome === "succeeded" ? "succeed" : "decline",
          ...loc,
        }));
      if (action.pay === "slow") {
        this.#later(pay, report);
        return { messages: [], pending: true };
      }
      sent = await pay();
    }
    return { messages: sent.map(apiMessage) };
  }

  #later(pay: () => Promise<unknown>, report: PaymentReport): void {
    const run = async () => {
      try {
        await pay();
      } catch (error) {
        this.#o.onError?.(error, `slow payment ${report.reference}`);
      }
    };
    const timeout = setTimeout(() => {
      this.#slow.delete(timeout);
      void this.#track(run());
    }, this.#o.slowPaymentMs ?? 2000);
    this.#slow.set(timeout, run);
  }

  /** The customer's newest order awaiting payment. */
  async openInvoice(address: ConversationAddress): Promise<Order | undefined> {
    const orders = await this.#o.store.listOrders({ ...address, status: "awaiting_payment" });
    return orders.at(-1);
  }

  /** A button of the newest message that has it, by payload or label (case-insensitive); else the text as a raw payload. */
  async #resolveButton(address: ConversationAddress, button: string): Promise<string> {
    const wanted = button.toLowerCase();
    const rows = await this.#o.store.conversationOutbox(address, { newest: true, limit: 50 });
    for (const row of rows.reverse()) {
      const m: OutboundMessage = row.message;
      const buttons = [...(m.buttons ?? []), ...(m.cards ?? []).flatMap((c) => c.buttons ?? [])];
      const hit = buttons.find((b) => b.payload === button) ?? buttons.find((b) => b.label.toLowerCase() === wanted);
      if (hit) return hit.payload;
    }
    return button;
  }

  /** Whether the store knows this customer of the bot at all. */
  async #known(address: ConversationAddress): Promise<boolean> {
    const row = await this.#o.store.transaction((tx) => tx.loadConversation(address));
    if (row) return true;
    if ((await this.#o.store.conversationOutbox(address, { limit: 1 })).length > 0) return true;
    return (await this.#o.store.listOrders(address)).length > 0;
  }

  async #requireKnown(botId: string, userId: string): Promise<ConversationAddress> {
    const address = this.#address(botId, userId);
    if (!(await this.#known(address))) throw new HttpError(404, "not_found", `bot '${botId}' has no customer '${userId}' yet; send an event to start one`);
    return address;
  }

  /** Messages the customer received after sequence number `after`, in order; stops before the first one not yet delivered. */
  async messages(botId: string, userId: string, after: number, limit = 500): Promise<{ messages: ApiMessage[]; last: number }> {
    const address = await this.#requireKnown(botId, userId);
    const rows = await this.#o.store.conversationOutbox(address, { afterId: after, limit });
    const firstUnsent = rows.findIndex((r) => r.sentAt === null);
    const sent = firstUnsent === -1 ? rows : rows.slice(0, firstUnsent);
    return { messages: sent.map((r) => ({ ...apiMessage(r), at: r.sentAt?.toISOString() })), last: sent.at(-1)?.id ?? after };
  }

  /** What the inspector shows: where the conversation is, its orders and bookings with their history, and what is queued. */
  async state(botId: string, userId: string): Promise<Record<string, unknown>> {
    const address = await this.#requireKnown(botId, userId);
    const store = this.#o.store;
    const row = await store.transaction((tx) => tx.loadConversation(address));
    const state = row ? restoreState(row) : undefined;
    const orders = await store.listOrders(address);
    const bookings = await store.listBookings(address);
    const refunds = await store.listRefunds(address);
    const history = (h: ReadonlyArray<{ from: string; to: string; cause: string; at: Date }>) => h.map((t) => ({ from: t.from, to: t.to, cause: t.cause, at: t.at.toISOString() }));
    const outbox = await store.conversationOutbox(address, { newest: true, limit: 100 });
    const timers = await store.conversationTimers(address);
    const now = this.#o.clock.now();
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

  /** Moves the clock forward and fires what came due; resolves to every message that sent. */
  async advance(duration: string): Promise<{ now: string; fired: number; messages: ApiMessage[] }> {
    let ms: number;
    try {
      ms = parseIsoDuration(duration);
    } catch (error) {
      throw new HttpError(400, "invalid_request", error instanceof Error ? error.message : String(error));
    }
    return this.#track(
      this.#clockLock.runExclusive(async () => {
        const at = this.#o.clock.now();
        const collected: Envelope[] = [];
        this.#advancing = collected;
        let fired: number;
        try {
          this.#o.clock.advance(ms);
          // Saved before the timers fire: a restart resumes at the emulator's time, not 'ms' behind it.
          await this.#o.store.saveEmulatorClockOffset(this.#o.clock.offsetMs);
          fired = await this.#o.runtime.tick();
        } finally {
          this.#advancing = undefined;
        }
        this.#advances.push({ seq: ++this.#seq, at, duration, messages: collected });
        // The oldest go first; a customer recorded since before them cannot be exported then (see transcript()).
        if (this.#advances.length > MAX_ADVANCES) this.#advancesDroppedTo = this.#advances.shift()?.seq ?? this.#advancesDroppedTo;
        return { now: this.#o.clock.now().toISOString(), fired, messages: collected.map(apiMessage) };
      }),
    );
  }

  /** Forgets the customer's conversation (orders and bookings stay); the next event starts afresh. */
  async reset(botId: string, userId: string): Promise<void> {
    const address = await this.#requireKnown(botId, userId);
    const key = keyOf(address.botId, userId);
    await this.#exclusive(key, async () => {
      await this.#o.store.deleteConversation(address);
      this.#logs.delete(key);
    });
  }

  /** The customer's conversation since this server started (or since their last reset) as a `*.transcript.yaml`. */
  async transcript(botId: string, userId: string): Promise<string> {
    const address = this.#address(botId, userId);
    const log = this.#logs.get(keyOf(address.botId, userId));
    if (!log || log.entries.length === 0) {
      throw new HttpError(404, "not_found", `nothing recorded for customer '${userId}' of bot '${botId}' since the server started or the last reset; send an event first`);
    }
    if (log.truncated || this.#advancesDroppedTo > (log.entries[0]?.seq ?? 0)) {
      throw new HttpError(409, "conflict", `the conversation of '${userId}' is longer than the ${MAX_RECORDED} events kept for export; reset the customer and record a shorter one`);
    }
    const first = log.entries[0]?.seq ?? 0;
    const advances = this.#advances
      .filter((a) => a.seq > first)
      .map((a) => ({ seq: a.seq, at: a.at, kind: "advance" as const, value: a.duration, messages: a.messages.filter((e) => e.userId === userId && e.botId === address.botId).map((e) => e.message) }));
    const entries = [...log.entries, ...advances].sort((a, b) => a.seq - b.seq);
    const since = (made: { createdAt: Date }) => made.createdAt.getTime() >= log.since.getTime();
    const orders = (await this.#o.store.listOrders(address)).filter(since);
    const bookings = (await this.#o.store.listBookings(address)).filter(since).sort((a, b) => Number(a.id) - Number(b.id));
    return transcriptYaml({ bot: address.botId, customer: userId, entries, orders, bookings, startedEarlier: log.startedEarlier });
  }

  /** The bot's flows as Mermaid, with the customer's step marked when one is given. */
  async diagram(botId: string, userId?: string): Promise<{ mermaid: string; current?: { flow: string; step: string | null } }> {
    const bot = this.bot(botId);
    if (userId === undefined) return { mermaid: flowDiagram(bot) };
    const address = await this.#requireKnown(botId, userId);
    const row = await this.#o.store.transaction((tx) => tx.loadConversation(address));
    if (!row) return { mermaid: flowDiagram(bot) };
    const current = { flowId: row.flowId, stepId: row.stepId };
    return { mermaid: flowDiagram(bot, { current }), current: { flow: row.flowId, step: row.stepId } };
  }

  /** Stops taking events; slow payments still waiting are delivered now, and turns in flight finish. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const [timeout, run] of this.#slow) {
      clearTimeout(timeout);
      void this.#track(run());
    }
    this.#slow.clear();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    this.#unsubscribe();
    if (this.#o.ownsRuntime) await this.#o.runtime.close();
  }
}
