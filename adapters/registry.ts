import type { Channel } from "./channel.ts";
import { botframeworkChannel } from "./botframework/channel.ts";
import { checkoutChannel } from "./checkout/channel.ts";
import { messengerChannel } from "./messenger/channel.ts";
import { telegramChannel } from "./telegram/channel.ts";
import { whatsappChannel } from "./whatsapp/channel.ts";

/**
 * A channel whose settings type is forgotten. Sound because the server only
 * ever hands a channel the settings its own `settings()` returned.
 */
export type AnyChannel = Channel<unknown>;

/** Forgets a channel's settings type, for lists of channels (see `AnyChannel`). */
export function anyChannel<Settings>(channel: Channel<Settings>): AnyChannel {
  return channel as unknown as AnyChannel;
}

/**
 * The channels `kiosk serve` knows, by name, in the order their settings are
 * read and their problems reported. Adding a channel: its folder, and one
 * line here.
 */
export const CHANNELS: readonly AnyChannel[] = [
  anyChannel(checkoutChannel),
  anyChannel(telegramChannel),
  anyChannel(botframeworkChannel),
  anyChannel(messengerChannel),
  anyChannel(whatsappChannel),
];

/**
 * A channel's settings in a resolved configuration, typed; undefined when it
 * is not configured (see `runningSettings` for what it runs with).
 *
 * @example
 * const telegram = settingsOf(resolveConfig(), telegramChannel); // TelegramConfig | undefined
 */
export function settingsOf<Settings>(config: { readonly channels: Readonly<Record<string, unknown>> }, channel: Channel<Settings>): Settings | undefined {
  return config.channels[channel.name] as Settings | undefined;
}

/** What a channel runs with: its configured settings, else its fallback; undefined when it does not run. */
export function runningSettings(config: { readonly channels: Readonly<Record<string, unknown>> }, channel: AnyChannel): unknown {
  return config.channels[channel.name] ?? channel.fallback;
}
