/**
 * The adapters folder as the server sees it: the Channel contract, the
 * registry of Kiosk's channels by name, and the kit every channel uses
 * (errors, settings, secrets, request input). Each channel's own API is its
 * folder's channel.ts (and index.ts for its parsing and rendering).
 */
export type { Channel, ChannelContext, OpenChannel, SettingsSources, TurnRunner, PaymentLinks, ServerModeKind } from "./channel.ts";
export { CHANNELS, anyChannel, settingsOf, runningSettings } from "./registry.ts";
export type { AnyChannel } from "./registry.ts";
export { HttpError, ConfigError } from "./errors.ts";
export type { HttpErrorCode } from "./errors.ts";
export { readField, asBoolean, asInteger, asList, asText, baseUrl, shown } from "./settings.ts";
export type { Field, FieldSource } from "./settings.ts";
export { MIN_SECRET_CHARS, describeSecret, shortSecret } from "./secrets.ts";
export { isLoopback } from "./loopback.ts";
export { parseInput } from "./http-input.ts";
export { overLimit, firstOver, describeOverLimit } from "./limits.ts";
export type { OverLimit } from "./limits.ts";
