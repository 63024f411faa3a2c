export { ManualClock, OffsetClock, systemClock, parseIsoDuration, MAX_ADVANCE, MAX_ADVANCE_MS } from "./clock.ts";
export type { Clock } from "./clock.ts";
export { OutboxDispatcher } from "./outbox.ts";
export type { OutboxOptions } from "./outbox.ts";
export { TimerRunner } from "./timers.ts";
export type { TimerRunnerOptions } from "./timers.ts";
export { Poller } from "./poller.ts";
export { RefundRunner } from "./refunds.ts";
export type { Refunder, RefundOutcome, RefundRunnerOptions } from "./refunds.ts";
