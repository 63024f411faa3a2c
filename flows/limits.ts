/**
 * Steps one turn may enter before it must wait: a loop in a flow is a bug,
 * not a hang. The interpreter stops a turn past it; `kiosk validate`
 * refuses a flow whose chain of steps that do not wait is longer (see
 * validate-limits.ts).
 */
export const MAX_STEPS_PER_TURN = 100;
