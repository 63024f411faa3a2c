/**
 * Moving a conversation through its flow: the step it is at, entering the
 * next steps until one waits for the customer, asking again, starting over.
 * The interpreter, the global commands and the order and booking actions all
 * move through here.
 */
import { FlowError } from "./errors.ts";
import type { Step } from "./ir.ts";
import { MAX_STEPS_PER_TURN } from "./limits.ts";
import { handlerOf } from "./steps/index.ts";
import type { Transition, Turn } from "./turn.ts";
import { versionKey } from "./versions.ts";

/** The step waiting for input; undefined when none is, or when a redeploy removed its flow or step. */
export function currentStep(turn: Turn): Step | undefined {
  const id = turn.state.stepId;
  return id === null ? undefined : turn.findFlow()?.steps.get(id);
}

/** Shows the current step's prompt again, so the customer is back where they were. */
export async function reprompt(turn: Turn): Promise<void> {
  const step = currentStep(turn);
  if (!step) return;
  const handler = handlerOf(step);
  if (handler.prompt) await handler.prompt(turn, step);
}

/** Runs `enter` of each step the flow moves through, until one waits or the flow ends. */
export async function follow(turn: Turn, transition: Transition): Promise<void> {
  let next = transition;
  // One more round than steps: the last step entered may still wait or end the flow.
  for (let entered = 0; entered <= MAX_STEPS_PER_TURN; entered++) {
    if ("wait" in next) return;
    const { state } = turn;
    state.phase = null;
    if (next.goto === null) {
      state.stepId = null;
      state.screen = [];
      return;
    }
    if (entered === MAX_STEPS_PER_TURN) break;
    const step = turn.flow.steps.get(next.goto);
    if (!step) {
      throw new FlowError("step_failed", `flow '${state.flowId}' has no step '${next.goto}'`, { bot: turn.bot.id, flow: state.flowId });
    }
    state.stepId = step.id;
    turn.entered(state.flowId, step.id);
    next = await handlerOf(step).enter(turn, step);
  }
  throw new FlowError(
    "step_failed",
    `bot '${turn.bot.id}', flow '${turn.state.flowId}': passed ${MAX_STEPS_PER_TURN} steps in one turn without waiting for the customer; a loop has no ask step in it`,
    { bot: turn.bot.id, flow: turn.state.flowId, step: turn.state.stepId ?? undefined },
  );
}

/** Starts the bot's main flow from its first step. */
export async function startMain(turn: Turn, at?: string): Promise<void> {
  const { main } = turn.bot;
  turn.state.flowId = main.flow.id;
  turn.state.flowVersion = versionKey(main.flow);
  turn.state.stack = [];
  await follow(turn, { goto: at ?? main.start });
}
