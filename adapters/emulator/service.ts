import { randomUUID } from "node:crypto";
import { Mutex } from "async-mutex";
import { toJsonl } from "./jsonl.ts";
import { EMULATOR_CHANNEL, type EmulatorSender } from "./sender.ts";
import type { Envelope, OutboundMessage } from "../../core/message.ts";
import { TestPaymentProvider, type Order } from "../../commerce/index.ts";
import type { InboundEvent, LoadedBot } from "../../flows/index.ts";
import { parseIsoDuration, type OffsetClock } from "../../jobs/index.ts";
import type { ConversationAddress, Store } from "../../store/index.ts";
import { conversationDiagram, inspectConversation } from "./inspector.ts";
import { customerKey, KeyedLocks, WorkInFlight } from "./locks.ts";
import { SlowPayments } from "./slow-payments.ts";
import { EmulatorRecording } from "./recording.ts";
import { HttpError } from "../errors.ts";
import type { Runtime } from "../../jobs/runtime.ts";
import type { RecordedAction } from "./transcript-export.ts";

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
  /**
   * The runtime it drives, read on each use: the server's own in emulator
   * mode is built after the emulator opened (from every channel's senders,
   * the emulator's among them).
   */
  readonly runtime: () => Runtime;
  /** One of the runtime's senders: every emulator message passes through it. */
  readonly sender: EmulatorSender;
  readonly clock: OffsetClock;
  readonly store: Store;
  readonly bots: readonly LoadedBot[];
  /** Delay of `pay: "slow"`, in ms (default 2000). */
  readonly slowPaymentMs?: number;
  /** The runtime is the emulator's own (its sandbox): `close()` closes it, and its store, after the emulator's turns. */
  readonly ownsRuntime?: boolean;
  readonly onError?: (error: unknown, context: string) => void;
}

/** An outbox envelope as the API shows it. */
export function apiMessage(envelope: Pick<Envelope, "id" | "userId" | "message">): ApiMessage {
  return { seq: envelope.id, ...toJsonl(envelope) };
}

/**
 * Every bot of the server as emulator customers see it, over the emulator's
 * store and runtime (the server's own in emulator mode, the sandbox's beside
 * real channels): events in, replies out, payments with the test provider,
 * the clock fast-forwarded, the conversation inspected, reset or exported as
 * a transcript. Turns of one customer run one at a time.
 *
 * This class routes and orders the work; the concerns live beside it:
 * recording.ts (what transcripts are made of), locks.ts (one turn at a
 * time, work in flight), slow-payments.ts (slow payments), inspector.ts
 * (the inspector's state and the diagram).
 */
export class EmulatorService {
  readonly payments = new TestPaymentProvider();
  readonly #o: EmulatorServiceOptions;
  readonly #bots: Map<string, LoadedBot>;
  /** One lock per customer (one turn at a time); the clock has its own. */
  readonly #locks = new KeyedLocks();
  readonly #clockLock = new Mutex();
  /** Messages of turns being collected, per customer. */
  readonly #collecting = new Map<string, Envelope[]>();
  #advancing: Envelope[] | undefined;
  readonly #recording: EmulatorRecording;
  readonly #inFlight = new WorkInFlight();
  readonly #slow: SlowPayments;
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(options: EmulatorServiceOptions) {
    this.#o = options;
    this.#bots = new Map(options.bots.map((b) => [b.id, b]));
    this.#recording = new EmulatorRecording({ store: options.store, clock: options.clock });
    this.#slow = new SlowPayments({ delayMs: options.slowPaymentMs ?? 2000, inFlight: this.#inFlight, onError: options.onError });
    this.#unsubscribe = options.sender.onMessage((envelope) => this.#onMessage(envelope));
  }

  get clock(): OffsetClock {
    return this.#o.clock;
  }

  /** The store the emulator's customers live in (the sandbox's beside real channels). */
  get store(): Store {
    return this.#o.store;
  }

  get runtime(): Runtime {
    return this.#o.runtime();
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
    const collector = this.#collecting.get(customerKey(envelope.botId, envelope.userId));
    if (collector) {
      collector.push(envelope);
      return;
    }
    if (this.#advancing) {
      this.#advancing.push(envelope);
      return;
    }
    // Sent on real time (a timer the poller fired): kept for the transcript.
    this.#recording.spontaneous(envelope);
  }

  /** Runs one event of a customer under their lock; resolves to the messages it sent them. */
  async #turn(address: ConversationAddress, input: InboundEvent["input"], key: string, locale: string | undefined, record: () => RecordedAction): Promise<Envelope[]> {
    const k = customerKey(address.botId, address.userId);
    return this.#inFlight.track(
      this.#locks.exclusive(k, async () => {
        const log = await this.#recording.logOf(address);
        const at = this.#o.clock.now();
        const collected: Envelope[] = [];
        this.#collecting.set(k, collected);
        let status: string;
        try {
          const result = await this.#o.runtime().handle({ ...address, key, input, ...(locale === undefined ? {} : { locale }) });
          status = result.status;
        } finally {
          this.#collecting.delete(k);
        }
        if (status === "failed" && input.kind === "payment") {
          throw new Error(`the payment turn of ${address.userId} failed; see the server log`);
        }
        this.#recording.turn(log, record(), at, collected.map((e) => e.message));
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
        this.#slow.later(pay, report);
        return { messages: [], pending: true };
      }
      sent = await pay();
    }
    return { messages: sent.map(apiMessage) };
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
    return inspectConversation({ store: this.#o.store, clock: this.#o.clock }, address);
  }

  /** Moves the clock forward and fires what came due; resolves to every message that sent. */
  async advance(duration: string): Promise<{ now: string; fired: number; messages: ApiMessage[] }> {
    let ms: number;
    try {
      ms = parseIsoDuration(duration);
    } catch (error) {
      throw new HttpError(400, "invalid_request", error instanceof Error ? error.message : String(error));
    }
    return this.#inFlight.track(
      this.#clockLock.runExclusive(async () => {
        const at = this.#o.clock.now();
        const collected: Envelope[] = [];
        this.#advancing = collected;
        let fired: number;
        try {
          this.#o.clock.advance(ms);
          // Saved before the timers fire: a restart resumes at the emulator's time, not 'ms' behind it.
          await this.#o.store.saveEmulatorClockOffset(this.#o.clock.offsetMs);
          fired = await this.#o.runtime().tick();
        } finally {
          this.#advancing = undefined;
        }
        this.#recording.advance(at, duration, collected);
        return { now: this.#o.clock.now().toISOString(), fired, messages: collected.map(apiMessage) };
      }),
    );
  }

  /** Forgets the customer's conversation (orders and bookings stay); the next event starts afresh. */
  async reset(botId: string, userId: string): Promise<void> {
    const address = await this.#requireKnown(botId, userId);
    await this.#locks.exclusive(customerKey(address.botId, userId), async () => {
      await this.#o.store.deleteConversation(address);
      this.#recording.forget(address);
    });
  }

  /** The customer's conversation since this server started (or since their last reset) as a `*.transcript.yaml`. */
  async transcript(botId: string, userId: string): Promise<string> {
    return this.#recording.transcript(this.#address(botId, userId));
  }

  /** The bot's flows as Mermaid, with the customer's step marked when one is given. */
  async diagram(botId: string, userId?: string): Promise<{ mermaid: string; current?: { flow: string; step: string | null } }> {
    const bot = this.bot(botId);
    if (userId === undefined) return conversationDiagram(this.#o.store, bot);
    return conversationDiagram(this.#o.store, bot, await this.#requireKnown(botId, userId));
  }

  /** Stops taking events; slow payments still waiting are delivered now, and turns in flight finish. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#slow.deliverNow();
    await this.#inFlight.settled();
    this.#unsubscribe();
    if (this.#o.ownsRuntime) await this.#o.runtime().close();
  }
}
