import type { ActionContext } from "../bot.ts";
import { FlowError } from "../errors.ts";
import type { ActionStep, BranchStep, Condition, EndStep, JsonValue, SayStep, When } from "../ir.ts";
import { goto, type Transition, type Turn } from "../turn.ts";
import type { StepHandler } from "./types.ts";

export const say: StepHandler<SayStep> = {
  async enter(turn, step) {
    turn.say(await turn.render(step.text));
    return goto(turn.nextOf(step));
  },
};

export const end: StepHandler<EndStep> = {
  async enter(turn, step) {
    if (step.text !== undefined) turn.say(await turn.render(step.text));
    return goto(null);
  },
};

function sameJson(a: JsonValue | undefined, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function holds(condition: Condition, slots: Readonly<Record<string, JsonValue>>): boolean {
  const value = slots[condition.slot];
  if (condition.exists !== undefined && (value !== undefined && value !== null) !== condition.exists) return false;
  if (condition.equals !== undefined && !sameJson(value, condition.equals)) return false;
  if (condition.notEquals !== undefined && sameJson(value, condition.notEquals)) return false;
  if (condition.min !== undefined && !(typeof value === "number" && value >= condition.min)) return false;
  if (condition.max !== undefined && !(typeof value === "number" && value <= condition.max)) return false;
  return true;
}

async function caseHolds(turn: Turn, when: When): Promise<boolean> {
  return typeof when === "string" ? turn.holds(when) : holds(when, turn.state.slots);
}

export const branch: StepHandler<BranchStep> = {
  async enter(turn, step) {
    // In order, stopping at the first that holds: a later condition that cannot be evaluated fails only the turns that reach it.
    for (const c of step.cases) if (await caseHolds(turn, c.when)) return goto(c.goto);
    return goto(step.otherwise);
  },
};

function actionContext(turn: Turn, step: ActionStep): ActionContext {
  const { tx, bot, address } = turn;
  return {
    botId: bot.id,
    flowId: turn.state.flowId,
    stepId: step.id,
    slots: turn.state.slots,
    cart: turn.state.cart,
    locale: turn.state.locale,
    now: turn.now,
    customer: { channel: address.channel, userId: address.userId },
    say: (message) => turn.say(message),
    stockLeft: (productId) => tx.stockLeft(bot.id, productId),
    reserveStock: (productId, quantity) => tx.reserveStock(bot.id, productId, quantity),
    releaseStock: (productId, quantity) => tx.releaseStock(bot.id, productId, quantity),
  };
}

export const action: StepHandler<ActionStep> = {
  async enter(turn, step): Promise<Transition> {
    const fn = turn.bot.actions[step.action];
    const where = { bot: turn.bot.id, flow: turn.state.flowId, step: step.id };
    if (!fn) throw new FlowError("step_failed", `action '${step.action}' is not registered`, where);
    let target: string | void;
    try {
      target = await fn(actionContext(turn, step));
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new FlowError("step_failed", `bot '${turn.bot.id}', flow '${turn.state.flowId}', step '${step.id}': action '${step.action}' threw: ${reason}`, where, { cause });
    }
    if (typeof target === "string") {
      if (!turn.flow.steps.has(target)) {
        throw new FlowError("step_failed", `action '${step.action}' returned '${target}', which is not a step of flow '${turn.state.flowId}'`, where);
      }
      return goto(target);
    }
    return goto(turn.nextOf(step));
  },
};
