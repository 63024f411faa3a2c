import { priceCart } from "../commerce/index.ts";
import { currentStep, follow, startMain } from "./interpreter.ts";
import { cancelOrder, ORDER_SLOT } from "./orders.ts";
import { handlerOf, type Input } from "./steps/index.ts";
import type { Turn } from "./turn.ts";

export type CommandName = "start" | "help" | "menu" | "cancel" | "orders";

/** Words that run a global command at any step. Buttons send `cmd:<name>`. */
const COMMAND_WORDS: ReadonlyArray<readonly [CommandName, readonly string[]]> = [
  ["start", ["/start"]],
  ["help", ["/help", "help", "?"]],
  ["menu", ["/menu", "menu"]],
  ["cancel", ["/cancel", "cancel", "stop"]],
  ["orders", ["/orders", "my orders", "orders"]],
];

export function matchCommand(input: Input): CommandName | undefined {
  if (input.kind === "postback") {
    const name = input.payload.startsWith("cmd:") ? input.payload.slice(4) : "";
    return COMMAND_WORDS.find(([n]) => n === name)?.[0];
  }
  const typed = input.text.trim().toLowerCase().replace(/\s+/g, " ");
  return COMMAND_WORDS.find(([, words]) => words.includes(typed))?.[0];
}

/** Shows the current step's prompt again, so the customer is back where they were. */
async function reprompt(turn: Turn): Promise<void> {
  const step = currentStep(turn);
  if (!step) return;
  const handler = handlerOf(step);
  if (handler.prompt) await handler.prompt(turn, step);
}

async function listOrders(turn: Turn): Promise<void> {
  const orders = await turn.tx.listOrders({ botId: turn.bot.id, channel: turn.address.channel, userId: turn.address.userId });
  if (orders.length === 0) {
    turn.say(turn.texts.noOrders);
    return;
  }
  const lines = orders.map((o) => `#${o.id} — ${o.status.replace("_", " ")} — ${turn.money(o.total)}`);
  turn.say([turn.texts.ordersHeader, ...lines].join("\n"));
}

async function cancel(turn: Turn): Promise<void> {
  const { state } = turn;
  const orderId = state.slots[ORDER_SLOT];
  const order = typeof orderId === "string" ? await turn.tx.getOrder(orderId) : undefined;
  const cancelled = order ? await cancelOrder(turn, order, "customer cancelled in chat") : false;
  turn.say(cancelled && order ? turn.texts.cancelledOrder(order.id) : turn.texts.cancelled);
  state.cart = [];
  state.slots = {};
  await follow(turn, { goto: null });
}

export async function runCommand(turn: Turn, command: CommandName): Promise<void> {
  switch (command) {
    case "start": {
      // Starting over keeps the order awaiting payment, so "cancel" can still cancel it.
      const order = turn.state.slots[ORDER_SLOT];
      turn.state.slots = order === undefined ? {} : { [ORDER_SLOT]: order };
      return startMain(turn);
    }
    case "help":
      turn.say(turn.texts.help);
      return reprompt(turn);
    case "orders":
      await listOrders(turn);
      return reprompt(turn);
    case "menu":
      if (turn.state.cart.length > 0) {
        turn.say(turn.texts.cartTotal(turn.money(priceCart(turn.catalog, turn.state.cart).total)));
      }
      return startMain(turn, turn.bot.menuStep);
    case "cancel":
      return cancel(turn);
  }
}
