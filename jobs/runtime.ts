import { customerForLog, maskMessageIds, type ChannelSender } from "../core/index.ts";
import { Engine, type InboundEvent, type LoadedBot, type TurnResult } from "../flows/index.ts";
import type { Clock } from "./clock.ts";
import { OutboxDispatcher, type SendDeadline } from "./outbox.ts";
import { Poller } from "./poller.ts";
import { RefundRunner, type Refunder } from "./refunds.ts";
import { RetentionSweeper } from "./retention.ts";
import { TimerRunner } from "./timers.ts";
import { WebhookDeliverer, type WebhookEndpoint } from "./webhooks.ts";
import type { Store, TimerRow } from "../store/index.ts";
import { TestPaymentProvider } from "../commerce/index.ts";

/** The emulator's test payments move no money, so their refunds are done at once. */
const testRefunder: Refunder = {
  provider: new TestPaymentProvider().id,
  refund: async (refund) => ({ status: "refunded", note: `test refund of ${refund.paymentReference}` }),
};

/** A timer's turn failed and was rolled back; the timer fires again on a later tick. */
class TimerTurnFailed extends Error {
  override readonly name = "TimerTurnFailed";
  constructor(timer: TimerRow, cause: unknown) {
    super(`the turn of timer ${timer.key} failed; it is retried on the next tick`, { cause });
  }
}

export interface RuntimeOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly bots: readonly LoadedBot[];
  readonly senders: readonly ChannelSender[];
  /** Refund calls per payment provider (Telegram's); the emulator's test payments are refunded without one. */
  readonly refunders?: readonly Refunder[];
  /** Bots' signed webhooks (jobs/webhooks.ts); bots without one send none. */
  readonly webhooks?: readonly WebhookEndpoint[];
  /** Days a sent (or given up) message is kept in the outbox; default 30. See jobs/retention.ts. */
  readonly retentionDays?: number;
  /** Poll the store for due timers and retries on real time; off for a manual clock. */
  readonly pollIntervalMs?: number;
  readonly onError?: (error: unknown, context: string) => void;
}

/** What a closed runtime left for the next start. */
export interface CloseReport {
  /** Messages neither sent nor given up on: the next start sends them. */
  readonly unsent: number;
}

/**
 * The embedded runtime: the engine, durable timers and the outbox over one
 * store. `start()` resumes what a previous process left (due timers, unsent
 * messages); `stop()` takes no new work and `close()` finishes what is in
 * flight, sends what its deadline allows and closes the store. Both are safe twice.
 */
export class Runtime {
  readonly engine: Engine;
  readonly outbox: OutboxDispatcher;
  readonly timers: TimerRunner;
  readonly refunds: RefundRunner;
  readonly retention: RetentionSweeper;
  readonly webhooks: WebhookDeliverer;
  readonly #options: RuntimeOptions;
  readonly #pollers: Poller[] = [];
  #started: Promise<void> | undefined;
  /** Set by `stop()`: what stopping the pollers and the outbox came to. */
  #stopping: { readonly pollers: Promise<unknown>; readonly outbox: Promise<void> } | undefined;
  /** Cuts a refund call in flight at the shutdown's deadline. */
  readonly #cut = new AbortController();
  #closed: Promise<CloseReport> | undefined;

  constructor(options: RuntimeOptions) {
    this.#options = options;
    const onError = options.onError ?? (() => {});
    this.outbox = new OutboxDispatcher({
      store: options.store,
      clock: options.clock,
      senders: new Map(options.senders.map((s) => [s.channel, s])),
      onError: (error, row) => onError(error, `outbox message ${row.id} to ${row.channel}/${customerForLog(row.channel, row.userId)}`),
    });
    this.engine = new Engine({
      store: options.store,
      clock: options.clock,
      bots: options.bots,
      afterCommit: () => this.outbox.flush(),
      onError: (error, event) => onError(error, `turn ${maskMessageIds(event.key)} of ${event.botId}/${event.channel}/${customerForLog(event.channel, event.userId)}`),
    });
    this.refunds = new RefundRunner({
      store: options.store,
      clock: options.clock,
      refunders: [testRefunder, ...(options.refunders ?? [])],
      onSettled: (refund, status, note) => {
        if (status === "failed") onError(new Error(`refund ${refund.id} of order ${refund.orderId} failed: ${note ?? "no reason given"}`), `refund ${refund.id}`);
      },
    });
    this.webhooks = new WebhookDeliverer({
      store: options.store,
      clock: options.clock,
      endpoints: options.webhooks ?? [],
      onGaveUp: (delivery, error) => onError(new Error(`gave up delivering ${delivery.event.id} (${delivery.event.type}) to the webhook of ${delivery.event.botId}: ${error}; retry with: kiosk webhooks retry ${delivery.event.id}`), `webhook ${delivery.event.id}`),
    });
    this.retention = new RetentionSweeper({ store: options.store, clock: options.clock, ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }) });
    this.timers = new TimerRunner({
      store: options.store,
      clock: options.clock,
      fire: (timer) => this.#fire(timer),
      onError: (error, timer) => {
        if (!(error instanceof TimerTurnFailed)) onError(error, `timer ${timer.key}`);
      },
    });
  }

  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  async #start(): Promise<void> {
    const { bots, pollIntervalMs, onError } = this.#options;
    for (const bot of bots) await this.#seedStock(bot);
    await this.engine.registerFlowVersions();
    await this.tick();
    // A shutdown that came during the start: no poller to stop later.
    if (pollIntervalMs !== undefined && !this.#stopping) {
      const report = (error: unknown) => onError?.(error, "poller");
      this.#pollers.push(new Poller(() => this.tick(), pollIntervalMs, report));
      for (const poller of this.#pollers) poller.start();
    }
  }

  async #seedStock(bot: LoadedBot): Promise<void> {
    const stock = (bot.catalog?.catalog.products ?? []).flatMap((p) => (p.stock === undefined ? [] : [{ productId: p.id, units: p.stock }]));
    await this.#options.store.seedStock(bot.id, stock);
  }

  /**
   * Replaces a running bot with a new definition of it (`kiosk dev`): new
   * products get their stock, the new flow versions are kept, and every
   * conversation goes on with the version it started with.
   */
  async reload(bot: LoadedBot): Promise<void> {
    await this.start();
    await this.#seedStock(bot);
    this.engine.replaceBot(bot);
    await this.engine.registerFlowVersions();
  }

  /** Fires due timers, sends due messages, asks for due refunds, starts delivering due webhooks and starts a retention sweep when one is due; the emulator calls it after moving its clock. */
  async tick(): Promise<number> {
    const fired = await this.timers.runDue();
    await this.outbox.flush();
    await this.refunds.runDue(this.#cut.signal);
    // Not awaited either: a receiver that hangs until its timeout must not hold up timers and sends; close() waits for it.
    if (!this.#stopping && this.webhooks.configured) this.webhooks.runIfIdle(this.#cut.signal).catch((error: unknown) => this.#options.onError?.(error, "webhooks"));
    // Once an hour by this runtime's clock, the first time at start. Not awaited: a sweep of a big
    // store goes in small steps between turns and must not hold up timers and sends; close() waits for it.
    if (!this.#stopping) this.retention.runIfDue().catch((error: unknown) => this.#options.onError?.(error, "retention"));
    return fired;
  }

  /** One turn; see `Engine.handle` (`dispatch: "background"` answers before the sends). */
  handle(event: InboundEvent, options: { readonly dispatch?: "await" | "background" } = {}): Promise<TurnResult> {
    return this.engine.handle(event, options);
  }

  async #fire(timer: TimerRow): Promise<void> {
    const result = await this.engine.handle({
      key: `timer:${timer.id}`,
      botId: timer.botId,
      channel: timer.channel,
      userId: timer.userId,
      input: { kind: "timer", timer },
    });
    // The turn was rolled back, so the timer is still due: the runner must not fire it
    // again in this run (it would spin), only on a later tick. The engine already reported why.
    if (result.status === "failed") throw new TimerTurnFailed(timer, result.error);
  }

  /**
   * Begins a shutdown: no timer fires and no refund starts any more (those
   * in flight finish), the pollers stop, and the outbox keeps sending what is
   * due until `deadline` (see `OutboxDispatcher.close`; without one, until
   * everything due is sent). Turns still come in until the caller stops
   * taking them; their messages go out while the deadline allows. Safe twice:
   * the first deadline holds.
   */
  stop(deadline?: SendDeadline): void {
    if (this.#stopping) return;
    this.timers.stop();
    this.refunds.stop();
    this.webhooks.stop();
    if (deadline) {
      if (deadline.cut.aborted) this.#cut.abort();
      else deadline.cut.addEventListener("abort", () => this.#cut.abort(), { once: true });
    }
    this.#stopping = {
      pollers: Promise.all(this.#pollers.map((p) => p.close())),
      outbox: this.outbox.close(deadline),
    };
  }

  /**
   * `stop(deadline)` if not yet, then waits for the work in flight and the
   * outbox's last sends, counts the messages left for the next start and
   * closes the store. Call it once nothing else hands the runtime turns.
   * Safe twice.
   */
  close(deadline?: SendDeadline): Promise<CloseReport> {
    this.#closed ??= (async () => {
      // A start in progress first ends its first tick (the outbox stops at the deadline).
      if (deadline) this.stop(deadline);
      await this.#started?.catch(() => undefined);
      this.stop(deadline);
      const stopping = this.#stopping;
      try {
        await stopping?.pollers;
        await this.retention.settled().catch(() => undefined);
        await this.webhooks.settled();
        await stopping?.outbox;
        return { unsent: await this.#options.store.unsentOutboxCount() };
      } finally {
        await this.#options.store.close();
      }
    })();
    return this.#closed;
  }
}
