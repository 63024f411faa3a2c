import { priceCart, type BookingCalendar } from "../commerce/index.ts";
import { follow, reprompt, startMain } from "./navigation.ts";
import { nativeName } from "./locale.ts";
import { cancelOrder, ORDER_SLOT } from "./orders.ts";
import { refundablePayment } from "./order-actions.ts";
import { cancelBooking, customerBooking, upcomingBookings } from "./bookings.ts";
import { BOOKING_SLOT, START_PARAM, START_PARAM_SLOT } from "./defaults.ts";
import type { Input } from "./steps/index.ts";
import type { Turn } from "./turn.ts";
import { bookingWords, readIntent } from "./understand/index.ts";

/** The global commands; "human" answers a customer who asks for a person. */
export type CommandName = "start" | "help" | "menu" | "cancel" | "orders" | "bookings" | "language" | "human";

/**
 * A command to run; `locale` is the language a language button picked,
 * `param` a deep link's start parameter, `about` what a typed cancel named
 * ("cancel my booking").
 */
export interface Command {
  readonly name: CommandName;
  readonly locale?: string;
  readonly param?: string;
  readonly about?: "order" | "booking";
}

/**
 * Words that run a global command at any step, typed exactly: the slash
 * commands, "?" and the language words. Phrases in any language Kiosk speaks
 * ("cancel my order", "annuler", "转人工") are read by readIntent: a customer
 * who types "annuler" to an English bot still means it.
 * Buttons send `cmd:<name>`, and `cmd:language:<locale>` picks a language.
 */
const COMMAND_WORDS: ReadonlyArray<readonly [CommandName, readonly string[]]> = [
  ["start", ["/start"]],
  ["help", ["/help", "?"]],
  ["menu", ["/menu"]],
  ["cancel", ["/cancel"]],
  ["orders", ["/orders"]],
  ["bookings", ["/bookings"]],
  ["language", ["/language", "language", "langue", "语言"]],
  ["human", ["/human"]],
];

const LANGUAGE = "cmd:language:";

/**
 * The command `input` asks for, if any. With the bot's calendar, a typed
 * cancel or question about bookings may name a service ("cancel my haircut
 * tomorrow", "c'est quand ma coupe ?").
 */
export function matchCommand(input: Input, calendar?: BookingCalendar): Command | undefined {
  if (input.kind === "postback") {
    if (input.payload.startsWith(LANGUAGE)) return { name: "language", locale: input.payload.slice(LANGUAGE.length) };
    const name = input.payload.startsWith("cmd:") ? input.payload.slice(4) : "";
    const found = COMMAND_WORDS.find(([n]) => n === name)?.[0];
    return found === undefined ? undefined : { name: found };
  }
  if (input.kind !== "text") return undefined;
  // "/start table_12": a deep link's parameter; one Telegram would not send is dropped, the start kept.
  const deepLink = /^\/start\s+(\S+)$/.exec(input.text.trim());
  if (deepLink?.[1] !== undefined) return START_PARAM.test(deepLink[1]) ? { name: "start", param: deepLink[1] } : { name: "start" };
  const typed = input.text.trim().toLowerCase().replace(/\s+/g, " ");
  const found = COMMAND_WORDS.find(([, words]) => words.includes(typed))?.[0];
  if (found !== undefined) return { name: found };
  return readIntent(input.text, calendar ? { bookingWords: bookingWords(calendar) } : {});
}

async function listOrders(turn: Turn): Promise<void> {
  const orders = await turn.tx.listOrders({ botId: turn.bot.id, channel: turn.address.channel, userId: turn.address.userId });
  if (orders.length === 0) {
    turn.say(turn.texts.noOrders);
    return;
  }
  const lines = orders.map((o) => `#${o.id} — ${turn.texts.orderStatus(o.status)} — ${turn.money(o.total, o.currency)}`);
  // A paid order the customer may still cancel for a refund gets its button.
  const buttons = [];
  for (const order of orders) {
    if (await refundablePayment(turn, order)) buttons.push({ label: turn.texts.cancelOrderButton(order.id), payload: `order:cancel:${order.id}` });
  }
  turn.say({ text: [turn.texts.ordersHeader, ...lines].join("\n"), ...(buttons.length > 0 ? { buttons } : {}) });
}

async function cancel(turn: Turn): Promise<void> {
  const { state } = turn;
  // A hold being paid for is let go with its deposit order; a confirmed booking is cancelled only from its own button.
  const bookingId = state.slots[BOOKING_SLOT];
  const booking = typeof bookingId === "string" ? await customerBooking(turn, bookingId) : undefined;
  if (booking?.status === "held" && (await cancelBooking(turn, booking, "customer cancelled in chat"))) {
    state.cart = [];
    state.slots = {};
    return follow(turn, { goto: null });
  }
  const orderId = state.slots[ORDER_SLOT];
  const order = typeof orderId === "string" ? await turn.tx.getOrder(orderId) : undefined;
  const cancelled = order ? await cancelOrder(turn, order, "customer cancelled in chat") : false;
  turn.say(cancelled && order ? turn.texts.cancelledOrder(order.id) : turn.texts.cancelled);
  state.cart = [];
  state.slots = {};
  await follow(turn, { goto: null });
}

/**
 * "Cancel my booking": a hold this conversation is paying for is let go as
 * "cancel" does; otherwise the customer's upcoming bookings are listed with
 * their cancel buttons, since a confirmed booking is cancelled only from its
 * own button (which states the refund). With none, it cancels what the
 * conversation holds, as "cancel" does.
 */
async function cancelMyBooking(turn: Turn): Promise<void> {
  const bookingId = turn.state.slots[BOOKING_SLOT];
  const held = typeof bookingId === "string" ? (await customerBooking(turn, bookingId))?.status === "held" : false;
  const upcoming = held ? undefined : await upcomingBookings(turn);
  if (upcoming?.cards === undefined) return cancel(turn);
  turn.say(upcoming);
  return reprompt(turn);
}

/**
 * Without a locale, offers the bot's locales as buttons, each named in its own
 * language. The buttons are not the screen's choices, so typed text still
 * answers the step the customer is at. With a locale the bot speaks, switches
 * to it and asks the current step again in it.
 */
async function language(turn: Turn, locale: string | undefined): Promise<void> {
  const chosen = locale === undefined ? undefined : turn.bot.locales.find((l) => l.toLowerCase() === locale.toLowerCase());
  if (chosen === undefined) {
    const buttons = turn.bot.locales.map((l) => ({ label: nativeName(l), payload: LANGUAGE + l }));
    turn.say({ text: turn.texts.languagePrompt, buttons });
    return;
  }
  turn.state.locale = chosen;
  turn.say(turn.texts.languageChanged);
  await reprompt(turn);
}

export async function runCommand(turn: Turn, command: Command): Promise<void> {
  switch (command.name) {
    case "start": {
      // Starting over keeps the order awaiting payment and the hold it pays for, so "cancel" can still cancel them.
      const kept = [ORDER_SLOT, BOOKING_SLOT].flatMap((slot) => {
        const value = turn.state.slots[slot];
        return value === undefined ? [] : [[slot, value] as const];
      });
      turn.state.slots = Object.fromEntries(kept);
      if (command.param !== undefined) turn.state.slots[START_PARAM_SLOT] = command.param;
      return startMain(turn);
    }
    case "help":
      turn.say(turn.texts.help);
      return reprompt(turn);
    case "orders":
      await listOrders(turn);
      return reprompt(turn);
    case "bookings":
      turn.say(await upcomingBookings(turn));
      return reprompt(turn);
    case "menu":
      if (turn.state.cart.length > 0) {
        turn.say(turn.texts.cartTotal(turn.money(priceCart(turn.catalog, turn.state.cart).total)));
      }
      return startMain(turn, turn.bot.menuStep);
    case "cancel":
      return command.about === "booking" ? cancelMyBooking(turn) : cancel(turn);
    case "human":
      // Nobody from the business reads the chat yet: say so rather than promise a person.
      turn.say(turn.texts.noHumanYet);
      return reprompt(turn);
    case "language":
      return language(turn, command.locale);
  }
}
