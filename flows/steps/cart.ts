import { priceCart, removeLine, setLineQuantity, type PricedLine, type SelectedOptions } from "../../commerce/index.ts";
import type { CartAddStep, CartReviewStep, JsonValue } from "../ir.ts";
import { allNames } from "../locale.ts";
import type { ScreenChoice } from "../match.ts";
import { goto, WAIT, type Transition, type Turn } from "../turn.ts";
import { parseNumber } from "./numbers.ts";
import { startItems } from "./catalog.ts";
import { inputText, pick, type Input, type StepHandler } from "./types.ts";
import { addRememberedLine } from "./last-line.ts";
import { finishItem } from "./understood.ts";

/** "2 × Latte (M)" */
export function describeLine(line: Pick<PricedLine, "quantity" | "name" | "optionLabels">): string {
  const options = line.optionLabels.length > 0 ? ` (${line.optionLabels.join(", ")})` : "";
  return `${line.quantity} × ${line.name}${options}`;
}

/** "2 × Latte (M) — €6.40": a priced line in the customer's language, with its total. */
export function describePricedLine(turn: Turn, line: PricedLine, currency: string): string {
  return `${describeLine(turn.localLine(line))} — ${turn.money(line.lineTotal, currency)}`;
}

/**
 * Whether line `line` of the cart may hold `value`: a whole number from 1
 * to `max`, and no more than the stock left beside the product's other
 * lines. The quantity, or why not, said as the customer is told it.
 */
export async function checkLineQuantity(turn: Turn, line: number, value: number | undefined, max: number): Promise<{ quantity: number } | { refusal: string }> {
  if (value === undefined || !Number.isInteger(value) || value < 1 || value > max) return { refusal: turn.texts.numberRange(1, max) };
  const cartLine = turn.state.cart[line];
  if (!cartLine) return { quantity: value };
  const left = await turn.tx.stockLeft(turn.bot.id, cartLine.productId);
  const elsewhere = turn.state.cart.reduce((n, l, i) => (i !== line && l.productId === cartLine.productId ? n + l.quantity : n), 0);
  if (left !== null && value + elsewhere > left) return { refusal: turn.texts.onlyLeft(Math.max(0, left - elsewhere), turn.productName(cartLine.productId)) };
  return { quantity: value };
}

function selectedOptions(value: JsonValue | undefined): SelectedOptions {
  const options: Record<string, string> = {};
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [group, choice] of Object.entries(value)) if (typeof choice === "string") options[group] = choice;
  }
  return options;
}

export const cartAdd: StepHandler<CartAddStep> = {
  async enter(turn, step) {
    const { slots } = turn.state;
    const productId = String(slots[step.productSlot] ?? "");
    const quantity = Number(slots[step.quantitySlot] ?? 1);
    const options = selectedOptions(slots[step.optionsSlot]);
    addRememberedLine(turn, turn.state.cart, { productId, options, quantity });
    const unit = turn.catalog.unitPrice(productId, options);
    const summary = describeLine({ quantity, ...turn.localLine({ productId, name: "", options, optionLabels: [] }) });
    const { total, currency } = priceCart(turn.catalog, turn.state.cart);
    turn.say(turn.texts.added(`${summary} — ${turn.money(unit * quantity, currency)}`, turn.money(total, currency)));
    delete slots[step.productSlot];
    delete slots[step.optionsSlot];
    delete slots[step.quantitySlot];
    // "two cappuccinos and a croissant": the next item named starts after its catalog step.
    const rest = finishItem(turn);
    const from = rest ? turn.flow.steps.get(rest.from) : undefined;
    if (rest && from?.type === "catalog") {
      const started = await startItems(turn, from, rest.items);
      if (started) return started;
    }
    return goto(turn.nextOf(step));
  },
};

type ReviewPhase = { mode: "change" | "remove"; line?: number } | null;

function reviewPhase(turn: Turn): ReviewPhase {
  const p = turn.state.phase;
  if (!p || typeof p !== "object" || Array.isArray(p)) return null;
  if (p.mode !== "change" && p.mode !== "remove") return null;
  return typeof p.line === "number" ? { mode: p.mode, line: p.line } : { mode: p.mode };
}

function showSummary(turn: Turn): void {
  const { texts } = turn;
  const priced = priceCart(turn.catalog, turn.state.cart);
  const lines = priced.lines.map((l, i) => `${i + 1}. ${describePricedLine(turn, l, priced.currency)}`);
  turn.state.phase = null;
  const choices: ScreenChoice[] = [
    { label: texts.placeOrder, payload: "checkout", aliases: texts.placeOrderWords },
    { label: texts.changeQuantity, payload: "change" },
    { label: texts.removeItem, payload: "remove" },
    { label: texts.addMore, payload: "more" },
  ];
  turn.ask([texts.cartHeader, ...lines, texts.cartTotal(turn.money(priced.total, priced.currency))].join("\n"), choices);
}

function askWhichLine(turn: Turn, mode: "change" | "remove"): void {
  const priced = priceCart(turn.catalog, turn.state.cart);
  turn.state.phase = { mode };
  turn.ask(
    turn.texts.whichItem,
    priced.lines.map((l, i) => ({ label: describeLine(turn.localLine(l)), payload: `line:${i}`, aliases: allNames(l.name, turn.catalog.product(l.productId)) })),
  );
}

function askLineQuantity(turn: Turn, line: number): void {
  const priced = priceCart(turn.catalog, turn.state.cart).lines[line];
  turn.state.phase = { mode: "change", line };
  turn.ask(turn.texts.newQuantity(priced ? turn.productName(priced.productId) : ""));
}

async function changeQuantity(turn: Turn, step: CartReviewStep, line: number, input: Input): Promise<Transition> {
  const value = parseNumber(inputText(input));
  const cartLine = turn.state.cart[line];
  if (!cartLine) {
    showSummary(turn);
    return WAIT;
  }
  const checked = await checkLineQuantity(turn, line, value, step.maxQuantity);
  if ("refusal" in checked) {
    turn.refuse();
    turn.say(checked.refusal);
    askLineQuantity(turn, line);
    return WAIT;
  }
  turn.state.cart = [...setLineQuantity(turn.state.cart, line, checked.quantity)];
  showSummary(turn);
  return WAIT;
}

function pickedLine(turn: Turn, input: Input): number | undefined {
  const choice = pick(input, turn.state.screen);
  return choice?.payload.startsWith("line:") ? Number(choice.payload.slice(5)) : undefined;
}

function enterReview(turn: Turn, step: CartReviewStep): Transition {
  if (turn.state.cart.length === 0) {
    turn.say(turn.texts.cartEmpty);
    return goto(step.more);
  }
  showSummary(turn);
  return WAIT;
}

function removeAt(turn: Turn, step: CartReviewStep, line: number): Transition {
  const removed = priceCart(turn.catalog, turn.state.cart).lines[line];
  if (removed) {
    turn.state.cart = [...removeLine(turn.state.cart, line)];
    turn.say(turn.texts.removed(describeLine(turn.localLine(removed))));
  }
  return enterReview(turn, step);
}

export const cartReview: StepHandler<CartReviewStep> = {
  async enter(turn, step) {
    return enterReview(turn, step);
  },
  async prompt(turn) {
    const phase = reviewPhase(turn);
    if (phase?.mode === "change" && phase.line !== undefined) askLineQuantity(turn, phase.line);
    else if (phase) askWhichLine(turn, phase.mode);
    else showSummary(turn);
  },
  async receive(turn, step, input) {
    const phase = reviewPhase(turn);
    if (phase?.mode === "change" && phase.line !== undefined) return changeQuantity(turn, step, phase.line, input);
    if (phase) {
      const line = pickedLine(turn, input);
      if (line === undefined) {
        turn.refuse();
        turn.say(turn.texts.chooseOne);
        askWhichLine(turn, phase.mode);
        return WAIT;
      }
      if (phase.mode === "change") {
        askLineQuantity(turn, line);
        return WAIT;
      }
      return removeAt(turn, step, line);
    }
    const choice = pick(input, turn.state.screen);
    switch (choice?.payload) {
      case "checkout":
        return goto(step.checkout);
      case "more":
        return goto(step.more);
      case "change":
      case "remove": {
        const mode = choice.payload;
        // With one line there is nothing to pick.
        if (turn.state.cart.length === 1) {
          if (mode === "remove") return removeAt(turn, step, 0);
          askLineQuantity(turn, 0);
          return WAIT;
        }
        askWhichLine(turn, mode);
        return WAIT;
      }
      default:
        turn.refuse();
        turn.say(turn.texts.chooseOne);
        showSummary(turn);
        return WAIT;
    }
  },
};
