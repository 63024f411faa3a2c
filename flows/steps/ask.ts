import { bookingAtChoice } from "./book-sentence.ts";
import { correctAtConfirm } from "./corrections.ts";
import { itemsAtConfirm } from "./more-items.ts";
import { parseNumber } from "./numbers.ts";
import type { AskChoiceStep, AskConfirmStep, AskLocationStep, AskNumberStep, AskPhoneStep, AskStep, AskTextStep } from "../ir.ts";
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
  else if (step.input === "phone" || step.input === "location") {
    const kind = step.input === "phone" ? "contact" : "location";
    const label = step.button === undefined ? (kind === "contact" ? turn.texts.sharePhone : turn.texts.shareLocation) : await turn.render(step.button);
    turn.ask(text, [], { request: { kind, label } });
  } else turn.ask(text);
}

/**
 * Says why the answer was refused, then asks again. In a retry text the
 * step's own slot is the answer just refused, as sent, so it can quote it
 * ("'{{ slots.age }}' is not an age I know"); it is not stored.
 */
async function retry(turn: Turn, step: AskStep, input: Input, reason: string): Promise<Transition> {
  turn.refuse();
  const custom = step.input === "text" ? undefined : step.retry;
  turn.say(custom === undefined ? reason : await turn.render(custom, { [step.slot]: inputText(input) }));
  await prompt(turn, step);
  return WAIT;
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

/** Digits a phone number has at most (E.164) and at least (the shortest national numbers). */
const PHONE_DIGITS = { min: 7, max: 15 } as const;

/**
 * A typed phone number without its separators: "+44 (20) 7946-0958" →
 * "+442079460958", "0044 20…" → "+4420…", "+33 (0)6 12…" → "+336 12…" (the
 * national trunk 0 dropped), "06 12 34 56 78" → "0612345678" (no country
 * code given, so none is guessed). Full-width digits count (NFKC).
 * Undefined when it is not a number.
 */
function parsePhone(text: string): string | undefined {
  const typed = text.normalize("NFKC").trim();
  if (!/^\+?[\d\s()./-]+$/.test(typed)) return undefined;
  const international = typed.startsWith("+") || typed.startsWith("00");
  const local = international ? typed.replace(/\(0\)/, "") : typed;
  const digits = local.replace(/\D/g, "").replace(typed.startsWith("00") ? /^00/ : /^/, "");
  if (digits.length < PHONE_DIGITS.min || digits.length > PHONE_DIGITS.max) return undefined;
  // A country code never starts with 0.
  if (international && digits.startsWith("0")) return undefined;
  return international ? `+${digits}` : digits;
}

/** A number shared from a contact card, always international; Telegram sends it with or without its `+`. */
function sharedPhone(phone: string): string | undefined {
  const digits = phone.replace(/\D/g, "");
  return /^[1-9]\d*$/.test(digits) && digits.length >= PHONE_DIGITS.min && digits.length <= PHONE_DIGITS.max ? `+${digits}` : undefined;
}

async function receivePhone(turn: Turn, step: AskPhoneStep, input: Input): Promise<Transition> {
  // Someone else's card is refused whatever the flow's retry says: the customer must know why.
  if (input.kind === "contact" && !input.own) {
    turn.refuse();
    turn.say(turn.texts.phoneNotOwn);
    await prompt(turn, step);
    return WAIT;
  }
  const phone = input.kind === "contact" ? sharedPhone(input.phone) : input.kind === "text" ? parsePhone(input.text) : undefined;
  if (phone === undefined) return retry(turn, step, input, turn.texts.phoneInvalid);
  turn.state.slots[step.slot] = phone;
  return goto(turn.nextOf(step));
}

/** How long a typed address may be. */
const ADDRESS_LENGTH = { min: 3, max: 200 } as const;

async function receiveLocation(turn: Turn, step: AskLocationStep, input: Input): Promise<Transition> {
  if (input.kind === "location") {
    const { latitude, longitude } = input;
    const valid = Number.isFinite(latitude) && Number.isFinite(longitude) && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
    if (!valid) return retry(turn, step, input, turn.texts.locationInvalid);
    turn.state.slots[step.slot] = { latitude, longitude };
    return goto(turn.nextOf(step));
  }
  const address = input.kind === "text" ? input.text.trim().replace(/\s+/g, " ") : "";
  const length = [...address].length;
  if (length < ADDRESS_LENGTH.min || length > ADDRESS_LENGTH.max || !/[\p{L}\p{N}]/u.test(address)) {
    return retry(turn, step, input, turn.texts.locationInvalid);
  }
  turn.state.slots[step.slot] = { address };
  return goto(turn.nextOf(step));
}

async function receiveChoice(turn: Turn, step: AskChoiceStep | AskConfirmStep, input: Input): Promise<Transition> {
  const choice = pick(input, choicesOf(turn, step));
  if (!choice) {
    // "Anything else?" → "remove the croissants", "make it large": the cart changes, and the question stays.
    if (step.input === "confirm" && (await correctAtConfirm(turn, step, input))) {
      await prompt(turn, step);
      return WAIT;
    }
    // "Anything else?" → "and a croissant": yes, and what.
    const items = step.input === "confirm" ? await itemsAtConfirm(turn, step, input) : undefined;
    // A menu → "a haircut tomorrow at 10": the route to the booking, and what was said.
    const booking = step.input === "choice" ? bookingAtChoice(turn, step, input) : undefined;
    return items ?? booking ?? retry(turn, step, input, turn.texts.chooseOne);
  }
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
      case "phone":
        return receivePhone(turn, step, input);
      case "location":
        return receiveLocation(turn, step, input);
    }
  },
};

export { parsePhone };
