/**
 * The contract every channel implements, so the server can run the channels
 * it is configured for by name (see adapters/registry.ts) without knowing any
 * of them: a channel reads its own settings, says whether they put real
 * customers on this server, and, once opened for the loaded bots, gives the
 * outbox its senders, the refund runner its refunders and the HTTP app its
 * routes. Everything else of a channel (parsing, rendering, platform calls)
 * stays in its folder.
 *
 * @example
 * export const pagerChannel: Channel<PagerSettings> = {
 *   name: "pager",
 *   fileKeys: ["pager"],
 *   settings: ({ env }) => (env.KIOSK_PAGER_TOKEN ? { token: env.KIOSK_PAGER_TOKEN } : undefined),
 *   isReal: () => true,
 *   open: (settings, context) => ({ senders: [new PagerSender(settings, context.store)], routes: (app, turns) => registerPagerWebhook(app, turns) }),
 * };
 */
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { Clock } from "../core/clock.ts";
import type { ChannelSender } from "../core/message.ts";
import type { InboundEvent, LoadedBot, TurnResult } from "../flows/index.ts";
import type { Refunder } from "../jobs/index.ts";
import type { Store } from "../store/index.ts";

/** Where a channel's settings come from; it adds one line to `problems` per value it cannot use, naming what to set. */
export interface SettingsSources {
  /** The environment (KIOSK_* variables). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The default export of kiosk.config.ts; `{}` without one. */
  readonly file: Readonly<Record<string, unknown>>;
  /** Where `file` came from, for messages. */
  readonly fileName: string;
  /** Where customers reach this server (KIOSK_PUBLIC_URL), already checked; for channels whose pages or webhooks live under it. */
  readonly publicUrl: string | undefined;
  readonly problems: string[];
}

/**
 * Emulator mode: no real channel is configured; one runtime on the emulator
 * clock serves everything. Production mode: some channel reaches real
 * customers (see server/emulator-mode.ts).
 */
export type ServerModeKind = "emulator" | "production";

/** What runs turns: the embedded runtime (jobs/runtime.ts), as a channel's webhook sees it. */
export interface TurnRunner {
  /** Runs the event's turn; with `dispatch: "background"` the answer comes once it committed, and sends go on after. */
  handle(event: InboundEvent, options?: { readonly dispatch?: "await" | "background" }): Promise<TurnResult>;
}

/** Hosted payment pages for channels without native payments. */
export interface PaymentLinks {
  /** The page where the order is paid; throws a CommerceError `not_payable` when the order can no longer be paid. */
  link(orderId: string): Promise<string>;
}

/** What a channel is opened with: the server's bots, store, clock and log. */
export interface ChannelContext {
  readonly bots: readonly LoadedBot[];
  readonly store: Store;
  /** The runtime's clock: real time in production mode, the emulator clock in emulator mode. */
  readonly clock: Clock;
  readonly mode: ServerModeKind;
  /** Where customers reach this server from the internet (KIOSK_PUBLIC_URL), when set. */
  readonly publicUrl: string | undefined;
  readonly log: FastifyBaseLogger;
  /** The hosted checkout once it runs, read when an invoice is sent; undefined when no channel gives payment links. */
  paymentLinks(): PaymentLinks | undefined;
}

/** A channel opened for the loaded bots. Every member is optional: a channel gives what it has. */
export interface OpenChannel {
  /** The outbox's senders, one per outbox channel name this channel serves. */
  readonly senders?: readonly ChannelSender[];
  /** Refund calls for the payment providers this channel brings. */
  readonly refunders?: readonly Refunder[];
  /** Hosted payment pages that other channels' invoices link to (the hosted checkout). */
  readonly paymentLinks?: PaymentLinks;
  /** Adds the channel's webhook routes; called once, before the server listens. */
  routes?(app: FastifyInstance, turns: TurnRunner): void;
  /** After the server listens: tells the platform where to post (setWebhook), or starts polling. */
  start?(turns: TurnRunner): Promise<void>;
  /** Stops taking updates (polling) and lets what is in flight finish; before the runtime stops. */
  close?(): Promise<void>;
}

/**
 * A channel: its name, its settings and how it opens.
 *
 * @typeParam Settings - what `settings` reads and `open` takes.
 */
export interface Channel<Settings = unknown> {
  /** The registry's key and the name in logs, e.g. "telegram". */
  readonly name: string;
  /** The keys of kiosk.config.ts this channel reads (the server rejects keys no one reads). */
  readonly fileKeys: readonly string[];
  /** Reads its settings; undefined when the channel is not configured (it then does not run, unless it has a `fallback`). */
  settings(sources: SettingsSources): Settings | undefined;
  /** The settings it runs with when none are set; without one, a channel that is not configured does not run. */
  readonly fallback?: Settings;
  /** Whether these settings reach real customers, which makes the server production (see server/emulator-mode.ts). */
  isReal(settings: Settings): boolean;
  /** Opens the channel for the loaded bots; throws a ConfigError naming what to set when the settings do not fit them. */
  open(settings: Settings, context: ChannelContext): OpenChannel | Promise<OpenChannel>;
}
