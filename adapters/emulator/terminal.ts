import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import { formatMoney } from "../../commerce/index.ts";
import type { Button, OutboundMessage } from "../message.ts";
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

/** An interactive chat with one bot for one customer, in a terminal. */
export async function runTerminalChat(emulator: Emulator, input: Readable, output: Writable, userId = "you"): Promise<void> {
  const rl = createInterface({ input, output, terminal: (output as { isTTY?: boolean }).isTTY === true });
  const customer = emulator.customer(userId);
  let buttons: Button[] = [];
  const show = (messages: readonly OutboundMessage[]) => {
    const rendered = renderForTerminal(messages, emulator.bot.locale);
    if (rendered.text) output.write(`${rendered.text}\n`);
    // Numbers press the newest buttons only; at a prompt without buttons "2" is just text.
    if (messages.length > 0) buttons = rendered.buttons;
  };
  output.write(`${emulator.bot.name} — ${HELP}\n`);
  show(await customer.send("/start"));
  try {
    for (;;) {
      let line: string;
      try {
        line = (await rl.question("> ")).trim();
      } catch {
        return; // input closed
      }
      if (line === "/quit") return;
      if (line === "") continue;
      try {
        const [command, argument = ""] = line.split(/\s+/, 2);
        if (command === "/pay") show(await customer.pay(argument === "decline" ? "decline" : "succeed"));
        else if (command === "/advance") show((await emulator.advance(argument || "PT1M")).filter((e) => e.userId === userId).map((e) => e.message));
        else if (/^\d+$/.test(line) && buttons[Number(line) - 1]) show(await customer.press((buttons[Number(line) - 1] as Button).payload));
        else show(await customer.send(line));
      } catch (error) {
        output.write(`  ! ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  } finally {
    rl.close();
  }
}
