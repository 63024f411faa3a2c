import type { Envelope, OutboundMessage } from "../../core/message.ts";
import type { Clock } from "../../jobs/index.ts";
import type { ConversationAddress, Store } from "../../store/index.ts";
import { customerKey } from "./locks.ts";
import { HttpError } from "../errors.ts";
import { transcriptYaml, type RecordedAction, type RecordedEntry } from "./transcript-export.ts";

/** Events and fast-forwards kept per customer for the transcript export (memory stays bounded). */
const MAX_RECORDED = 2000;
/** Fast-forwards kept for the transcripts. */
const MAX_ADVANCES = 2000;

/** What happened to one customer since this process first saw them (or since their reset). */
export interface CustomerLog {
  readonly entries: RecordedEntry[];
  /** More happened than is kept; the transcript cannot be exported. */
  truncated: boolean;
  /** The conversation was already under way when this process first saw the customer. */
  readonly startedEarlier: boolean;
  readonly since: Date;
}

/**
 * What each emulator customer did and received, and every fast-forward of the
 * clock, numbered in one sequence so that a customer's transcript interleaves
 * their events with the fast-forwards that happened between them.
 */
export class EmulatorRecording {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #logs = new Map<string, CustomerLog>();
  /** Fast-forwards, for every customer's transcript: [sequence, entry]. */
  readonly #advances: Array<{ seq: number; at: Date; duration: string; messages: Envelope[] }> = [];
  #seq = 0;
  /** Sequence number of the newest fast-forward no longer kept. */
  #advancesDroppedTo = 0;

  constructor(options: { readonly store: Store; readonly clock: Clock }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  /** The customer's log, begun now if this is the first time; call it before their turn runs, so `startedEarlier` says how things were. */
  async logOf(address: ConversationAddress): Promise<CustomerLog> {
    const key = customerKey(address.botId, address.userId);
    let log = this.#logs.get(key);
    if (!log) {
      const row = await this.#store.transaction((tx) => tx.loadConversation(address));
      log = { entries: [], truncated: false, startedEarlier: row !== undefined, since: this.#clock.now() };
      this.#logs.set(key, log);
    }
    return log;
  }

  /** Records one event of a customer, begun at `at`, and the messages it sent them. */
  turn(log: CustomerLog, action: RecordedAction, at: Date, messages: readonly OutboundMessage[]): void {
    this.#add(log, (seq) => ({ ...action, seq, at, messages }));
  }

  /** Records a message sent on real time, outside any event or fast-forward (a timer the poller fired), if its customer is recorded. */
  spontaneous(envelope: Envelope): void {
    const log = this.#logs.get(customerKey(envelope.botId, envelope.userId));
    if (log) this.#add(log, (seq) => ({ seq, at: this.#clock.now(), kind: "spontaneous", messages: [envelope.message] }));
  }

  /** Records a fast-forward of the clock begun at `at`, with the messages it sent (to every customer). */
  advance(at: Date, duration: string, messages: Envelope[]): void {
    this.#advances.push({ seq: ++this.#seq, at, duration, messages });
    // The oldest go first; a customer recorded since before them cannot be exported then (see transcript()).
    if (this.#advances.length > MAX_ADVANCES) this.#advancesDroppedTo = this.#advances.shift()?.seq ?? this.#advancesDroppedTo;
  }

  /** Forgets the customer's log; the next event begins a new one. */
  forget(address: ConversationAddress): void {
    this.#logs.delete(customerKey(address.botId, address.userId));
  }

  /** The customer's log as a `*.transcript.yaml`, with the orders and bookings they made while recorded. */
  async transcript(address: ConversationAddress): Promise<string> {
    const { botId, userId } = address;
    const log = this.#logs.get(customerKey(botId, userId));
    if (!log || log.entries.length === 0) {
      throw new HttpError(404, "not_found", `nothing recorded for customer '${userId}' of bot '${botId}' since the server started or the last reset; send an event first`);
    }
    if (log.truncated || this.#advancesDroppedTo > (log.entries[0]?.seq ?? 0)) {
      throw new HttpError(409, "conflict", `the conversation of '${userId}' is longer than the ${MAX_RECORDED} events kept for export; reset the customer and record a shorter one`);
    }
    const first = log.entries[0]?.seq ?? 0;
    const advances = this.#advances
      .filter((a) => a.seq > first)
      .map((a) => ({ seq: a.seq, at: a.at, kind: "advance" as const, value: a.duration, messages: a.messages.filter((e) => e.userId === userId && e.botId === botId).map((e) => e.message) }));
    const entries = [...log.entries, ...advances].sort((a, b) => a.seq - b.seq);
    const since = (made: { createdAt: Date }) => made.createdAt.getTime() >= log.since.getTime();
    const orders = (await this.#store.listOrders(address)).filter(since);
    const bookings = (await this.#store.listBookings(address)).filter(since).sort((a, b) => Number(a.id) - Number(b.id));
    return transcriptYaml({ bot: botId, customer: userId, entries, orders, bookings, startedEarlier: log.startedEarlier });
  }

  /** Adds an entry, numbered in the shared sequence, unless the log is full: then it is marked truncated. */
  #add(log: CustomerLog, entry: (seq: number) => RecordedEntry): void {
    if (log.entries.length < MAX_RECORDED) log.entries.push(entry(++this.#seq));
    else log.truncated = true;
  }
}
