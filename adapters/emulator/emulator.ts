import { randomUUID } from "node:crypto";
import { TestPaymentProvider, type Order, type TestOutcome } from "../../commerce/index.ts";
import type { InboundEvent, LoadedBot, TurnResult } from "../../flows/index.ts";
import { ManualClock, parseIsoDuration } from "../../jobs/index.ts";
import { Runtime } from "../../jobs/runtime.ts";
import { openSqliteStore, type Store } from "../../store/index.ts";
import type { Envelope, OutboundMessage } from "../../core/message.ts";
import { EMULATOR_CHANNEL, EmulatorSender } from "./sender.ts";

export interface EmulatorOptions {
  readonly bot: LoadedBot;
  /** SQLite file; the same file after a restart continues every conversation. */
  readonly db: string;
  /** Where the emulator clock starts; defaults to now. */
  readonly clock?: Date;
  readonly onError?: (error: unknown, context: string) => void;
}

/** Thrown for emulator requests that cannot be carried out (no invoice to pay, unknown button). */
export class EmulatorError extends Error {
  override readonly name = "EmulatorError";
  constructor(
    readonly code: "no_open_invoice" | "bad_request",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Kiosk's own channel, in process: customers type, press buttons and pay;
 * the clock moves only when told. Tests, the JSON-lines protocol and the
 * terminal chat all drive a bot through this.
 *
 * @example
 * const emulator = await Emulator.open({ bot: cafe, db: "data/test.db" });
 * const replies = await emulator.customer("alice").send("/start");
 */
export class Emulator {
  readonly clock: ManualClock;
  readonly channel = new EmulatorSender();
  readonly runtime: Runtime;
  readonly payments = new TestPaymentProvider();
  readonly #store: Store;
  #bot: LoadedBot;

  private constructor(
    bot: LoadedBot,
    store: Store,
    clock: ManualClock,
    onError: EmulatorOptions["onError"],
  ) {
    this.#store = store;
    this.#bot = bot;
    this.clock = clock;
    this.runtime = new Runtime({ store, clock, bots: [bot], senders: [this.channel], ...(onError ? { onError } : {}) });
  }

  static async open(options: EmulatorOptions): Promise<Emulator> {
    const store = openSqliteStore({ file: options.db });
    const emulator = new Emulator(options.bot, store, new ManualClock(options.clock ?? new Date()), options.onError);
    await emulator.runtime.start();
    return emulator;
  }

  get store(): Store {
    return this.#store;
  }

  get bot(): LoadedBot {
    return this.#bot;
  }

  /** Swaps in a new definition of the same bot; conversations keep their flow versions. */
  async reload(bot: LoadedBot): Promise<void> {
    if (bot.id !== this.#bot.id) throw new EmulatorError("bad_request", `this emulator runs bot '${this.#bot.id}', not '${bot.id}'`);
    await this.runtime.reload(bot);
    this.#bot = bot;
  }

  /** `locale` is the one the customer's channel would report; the engine uses it when their conversation starts. */
  customer(userId: string, options: { locale?: string } = {}): EmulatedCustomer {
    return new EmulatedCustomer(this, userId, options.locale);
  }

  /** Runs one event through the engine; resolves once its replies are delivered. */
  async deliver(event: Omit<InboundEvent, "botId" | "channel"> & { userId: string }): Promise<TurnResult> {
    return this.runtime.handle({ ...event, botId: this.bot.id, channel: EMULATOR_CHANNEL });
  }

  /** Calls `fn` and returns the messages delivered meanwhile. */
  async collect(fn: () => Promise<unknown>): Promise<Envelope[]> {
    const from = this.channel.delivered.length;
    await fn();
    return this.channel.delivered.slice(from);
  }

  /** Moves the clock by an ISO 8601 duration and fires what came due; returns what was sent. */
  async advance(duration: string): Promise<Envelope[]> {
    const ms = parseIsoDuration(duration);
    return this.collect(async () => {
      this.clock.advance(ms);
      await this.runtime.tick();
    });
  }

  /** The customer's newest order awaiting payment. */
  async openInvoice(userId: string): Promise<Order | undefined> {
    const orders = await this.#store.listOrders({ botId: this.bot.id, channel: EMULATOR_CHANNEL, userId, status: "awaiting_payment" });
    return orders.at(-1);
  }

  async orders(): Promise<Order[]> {
    return this.#store.listOrders({ botId: this.bot.id });
  }

  async stockLeft(productId: string): Promise<number | null> {
    return this.#store.transaction((tx) => tx.stockLeft(this.bot.id, productId));
  }

  async close(): Promise<void> {
    await this.runtime.close();
  }
}

/** One simulated customer of an emulator. */
export class EmulatedCustomer {
  constructor(
    readonly emulator: Emulator,
    readonly userId: string,
    readonly locale?: string,
  ) {}

  /** Everything this customer has received so far. */
  get inbox(): OutboundMessage[] {
    return this.emulator.channel.delivered.filter((e) => e.userId === this.userId).map((e) => e.message);
  }

  async #turn(event: Omit<InboundEvent, "botId" | "channel" | "userId">): Promise<OutboundMessage[]> {
    const locale = this.locale === undefined ? {} : { locale: this.locale };
    const sent = await this.emulator.collect(() => this.emulator.deliver({ ...event, ...locale, userId: this.userId }));
    return sent.filter((e) => e.userId === this.userId).map((e) => e.message);
  }

  send(text: string): Promise<OutboundMessage[]> {
    return this.#turn({ key: `emulator:${randomUUID()}`, input: { kind: "text", text } });
  }

  /** Shares a contact card as a channel's share button would: the customer's own number unless `own` is false. */
  shareContact(phone: string, options: { own?: boolean } = {}): Promise<OutboundMessage[]> {
    return this.#turn({ key: `emulator:${randomUUID()}`, input: { kind: "contact", phone, own: options.own ?? true } });
  }

  /** Shares where the customer is, as a channel's share button would. */
  shareLocation(latitude: number, longitude: number): Promise<OutboundMessage[]> {
    return this.#turn({ key: `emulator:${randomUUID()}`, input: { kind: "location", latitude, longitude } });
  }

  /**
   * Presses a button of the newest message that has it, by payload or label
   * (case-insensitive); an unknown one is sent as a raw payload.
   */
  press(button: string): Promise<OutboundMessage[]> {
    const wanted = button.toLowerCase();
    let payload = button;
    for (const message of [...this.inbox].reverse()) {
      const buttons = [...(message.buttons ?? []), ...(message.cards ?? []).flatMap((c) => c.buttons ?? [])];
      const hit = buttons.find((b) => b.payload === button) ?? buttons.find((b) => b.label.toLowerCase() === wanted);
      if (hit) {
        payload = hit.payload;
        break;
      }
    }
    return this.#turn({ key: `emulator:${randomUUID()}`, input: { kind: "postback", payload } });
  }

  /** Pays this customer's open invoice with the test provider. */
  async pay(outcome: TestOutcome): Promise<OutboundMessage[]> {
    const order = await this.emulator.openInvoice(this.userId);
    if (!order) throw new EmulatorError("no_open_invoice", `${this.userId} has no open invoice to pay`);
    const report = this.emulator.payments.charge(order, outcome);
    return this.#turn({ key: `payment:${report.provider}:${report.reference}`, input: { kind: "payment", report } });
  }
}
