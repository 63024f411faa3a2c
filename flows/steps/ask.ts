import type { AskChoiceStep, AskConfirmStep, AskNumberStep, AskStep, AskTextStep } from "../ir.ts";
import { pickVariant } from "../locale.ts";
import type { ScreenChoice } from "../match.ts";
import { goto, WAIT, type Transition, type Turn } from "../turn.ts";
import { inputText, pick, type Input, type StepHandler } from "./types.ts";

function choicesOf(turn: Turn, step: AskChoiceStep | AskConfirmStep): ScreenChoice[] {
  if (step.input === "choice") {
    // A translated label shows in the customer's language, and typing it in any of the bot's picks it.
    return step.choices.map((c) =>
      typeof c.label === "string"
        ? { label: c.label, payload: c.value, aliases: c.aliases ?? [] }
        : { label: pickVariant(c.label, turn.state.locale, turn.bot.locale), payload: c.value, aliases: [...Object.values(c.label), ...(c.aliases ?? [])] },
    );
  }
  const { texts } = turn;
  return [
    { label: texts.yes, payload: "yes", aliases: texts.yesWords },
    { label: texts.no, payload: "no", aliases: texts.noWords },
  ];
}

async function prompt(turn: Turn, step: AskStep): Promise<void> {
  const text = await turn.render(step.prompt);
  if (step.input === "choice" || step.input === "confirm") turn.ask(text, choicesOf(turn, step));
  else turn.ask(text);
}

/**
 * Says why the answer was refused, then asks again. In a retry text the
 * step's own slot is the answer just refused, as sent, so it can quote it
 * ("'{{ slots.age }}' is not an age I know"); it is not stored.
 */
async function retry(turn: Turn, step: AskStep, input: Input, reason: string): Promise<Transition> {
  const custom = step.input === "text" ? undefined : step.retry;
  turn.say(custom === undefined ? reason : await turn.render(custom, { [step.slot]: inputText(input) }));
  await prompt(turn, step);
  return WAIT;
}

/** Parses "3", "3.5" or "3,5"; anything else is not a number. */
function parseNumber(text: string): number | undefined {
  const t = text.trim().replace(",", ".");
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
}

async function receiveText(turn: Turn, step: AskTextStep, input: Input): Promise<Transition> {
  const text = inputText(input).trim();
  if (text.length === 0) return retry(turn, step, input, turn.texts.notUnderstood);
  const max = step.maxLength ?? 500;
  if (text.length > max) return retry(turn, step, input, turn.texts.textTooLong(max));
  turn.state.slots[step.slot] = text;
  return goto(turn.nextOf(step));
}

async function receiveNumber(turn: Turn, step: AskNumberStep, input: Input): Promise<Transition> {
  const value = parseNumber(inputText(input));
  const min = step.min ?? Number.MIN_SAFE_INTEGER;
  const max = step.max ?? Number.MAX_SAFE_INTEGER;
  if (value === undefined || (!step.decimals && !Number.isInteger(value))) return retry(turn, step, input, turn.texts.numberInvalid);
  if (value < min || value > max) return retry(turn, step, input, turn.texts.numberRange(min, max));
  turn.state.slots[step.slot] = value;
  return goto(turn.nextOf(step));
}

async function receiveChoice(turn: Turn, step: AskChoiceStep | AskConfirmStep, input: Input): Promise<Transition> {
  const choice = pick(input, choicesOf(turn, step));
  if (!choice) return retry(turn, step, input, turn.texts.chooseOne);
  if (step.input === "confirm") {
    const yes = choice.payload === "yes";
    turn.state.slots[step.slot] = yes;
    return goto((yes ? step.yes : step.no) ?? turn.nextOf(step));
  }
  turn.state.slots[step.slot] = choice.payload;
  return goto(step.routes?.[choice.payload] ?? turn.nextOf(step));
}

export const ask: StepHandler<AskStep> = {
  async enter(turn, step) {
    await prompt(turn, step);
    return WAIT;
  },
  async prompt(turn, step) {
    await prompt(turn, step);
  },
  async receive(turn, step, input) {
    switch (step.input) {
      case "text":
        return receiveText(turn, step, input);
      case "number":
        return receiveNumber(turn, step, input);
      case "choice":
      case "confirm":
        return receiveChoice(turn, step, input);
    }
  },
};

export { parseNumber };
