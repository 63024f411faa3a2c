/**
 * Kiosk as a library (`import … from "kiosk"`): writing bots (`defineBot`,
 * `flow`, flow files), running them (`createKiosk`, `startServer`, the
 * embedded `Runtime`), configuring them (`resolveConfig`, `loadConfig`) and
 * adding channels (the `Channel` contract and Kiosk's own channels).
 * `kiosk/fastify` mounts Kiosk into a Fastify app of your own;
 * `kiosk/testing` drives bots in process (the emulator and transcripts).
 *
 * @example
 * import { createKiosk, resolveConfig } from "kiosk";
 * import { kioskPlugin } from "kiosk/fastify";
 *
 * const app = Fastify({ logger: true });
 * const kiosk = await createKiosk({ config: resolveConfig(), log: app.log });
 * await app.register(kioskPlugin, { kiosk });
 * await app.listen({ port: 3000 });
 */

// Writing bots.
export { defineBot, flow, FlowBuilder, loadFlowDir, loadFlowFile, loadBot, loadBots, validateBot, flowDiagram, FlowError, FlowFileError } from "../flows/index.ts";
export type { BotDefinition, LoadedBot, Action, ActionContext, Flow, Step, InboundEvent, TurnResult } from "../flows/index.ts";
export type { Catalog, Category, Product, OptionGroup, OptionChoice, BookingCalendar, Service, Resource, BookingPolicy, Order, Booking } from "../commerce/index.ts";
export type { Money } from "../core/money.ts";
export type { OutboundMessage, Button, Card, Invoice, Envelope, ChannelSender } from "../core/message.ts";

// Running them.
export { createKiosk } from "./kiosk.ts";
export type { Kiosk, KioskOptions } from "./kiosk.ts";
export { startServer } from "./serve.ts";
export type { StartOptions, RunningServer } from "./serve.ts";
export { Runtime, systemClock, ManualClock, OffsetClock } from "../jobs/index.ts";
export type { RuntimeOptions, Clock, Refunder } from "../jobs/index.ts";
export { openSqliteStore } from "../store/index.ts";
export type { Store } from "../store/index.ts";

// Configuring them.
export { resolveConfig, loadConfig, ConfigError, DEFAULT_CONFIG } from "./config.ts";
export type { ServerConfig, ConfigSources } from "./config.ts";

// Adding channels.
export { CHANNELS, anyChannel, settingsOf } from "../adapters/index.ts";
export type { AnyChannel } from "../adapters/index.ts";
export type { Channel, ChannelContext, OpenChannel, SettingsSources, TurnRunner, PaymentLinks } from "../adapters/index.ts";
export { HttpError } from "../adapters/index.ts";
export { ChannelSendError } from "../core/send-error.ts";
