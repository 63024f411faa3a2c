import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { formatMoney } from "../../commerce/index.ts";
import type { Button, OutboundMessage } from "../../core/message.ts";
import type { Emulator } from "./emulator.ts";

const HELP = "Type to chat, a number to press that button. /pay succeed|decline pays the open invoice, /advance PT16M moves the clock, /quit leaves.";

/** Renders messages for a terminal, numbering every button; returns the buttons by number. */
export function renderForTerminal(messages: readonly OutboundMessage[], locale: string): { text: string; buttons: Button[] } {
  const buttons: Button[] = [];
  const lines: string[] = [];
  const number = (button: Button) => {
    buttons.push(button);
    return `[${buttons.length}]`;
  };
  for (const m of messages) {
    if (m.text) lines.push(...m.text.split("\n").map((l) => `  ${l}`));
    for (const card of m.cards ?? []) {
      const price = card.price ? ` — ${formatMoney(card.price, locale)}` : "";
      const subtitle = card.subtitle ? ` (${card.subtitle})` : "";
      const actions = (card.buttons ?? []).map((b) => `${number(b)} ${b.label}`).join(" ");
      lines.push(`    • ${card.title}${price}${subtitle} ${actions}`.trimEnd());
    }
    if (m.buttons?.length) lines.push(`    ${m.buttons.map((b) => `${number(b)} ${b.label}`).join("   ")}`);
    if (m.invoice) {
      lines.push(`    🧾 ${m.invoice.title}: ${formatMoney(m.invoice, locale)} — /pay succeed or /pay decline`);
    }
  }
  return { text: lines.join("\n"), buttons };
}

export interface TerminalChatOptions {
  /** The customer's id; "you" by default. */
  readonly userId?: string;
  /** How a typed line reads (`kiosk dev`: the parse against the catalog), shown under it; undefined shows nothing. */
  readonly explain?: (text: string) => string | undefined;
}

/** An interactive chat with one bot for one customer, in a terminal. */
export async function runTerminalChat(emulator: Emulator, input: Readable, output: Writable, options: TerminalChatOptions = {}): Promise<void> {
  const userId = options.userId ?? "you";
  const interactive = (output as { isTTY?: boolean }).isTTY === true;
  // Iterating buffers lines, so piped input is never dropped between turns.
  const rl = createInterface({ input, output, terminal: interactive, crlfDelay: Infinity });
  const customer = emulator.customer(userId);
  let buttons: Button[] = [];
  const show = (messages: readonly OutboundMessage[]) => {
    const rendered = renderForTerminal(messages, emulator.bot.locale);
    if (rendered.text) output.write(`${rendered.text}\n`);
    // Numbers press the newest buttons only; at a prompt without buttons "2" is just text.
    if (messages.length > 0) buttons = rendered.buttons;
  };
  const prompt = () => output.write("> ");
  output.write(`${emulator.bot.name} — ${HELP}\n`);
  // A returning customer picks up where they were: "help" re-shows the current step.
  const address = { botId: emulator.bot.id, channel: emulator.channel.channel, userId };
  const existing = await emulator.store.transaction((tx) => tx.loadConversation(address));
  show(await customer.send(existing?.stepId ? "help" : "/start"));
  prompt();
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === "/quit") return;
      if (line !== "") {
        if (!interactive) output.write(`${line}\n`);
        try {
          const [command, argument = ""] = line.split(/\s+/, 2);
          const button = /^\d+$/.test(line) ? buttons[Number(line) - 1] : undefined;
          if (command === "/pay") show(await customer.pay(argument === "decline" ? "decline" : "succeed"));
          else if (command === "/advance") show((await emulator.advance(argument || "PT1M")).filter((e) => e.userId === userId).map((e) => e.message));
          else if (button) show(await customer.press(button.payload));
          else {
            const reading = options.explain?.(line);
            if (reading !== undefined) for (const explained of reading.split("\n")) output.write(`  ~ ${explained}\n`);
            show(await customer.send(line));
          }
        } catch (error) {
          output.write(`  ! ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
      prompt();
    }
  } finally {
    rl.close();
  }
}
