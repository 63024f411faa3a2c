export { ManualClock, OffsetClock, systemClock, parseIsoDuration } from "./clock.ts";
export type { Clock } from "./clock.ts";
export { OutboxDispatcher, ShutdownDeadline, IN_FLIGHT_MS } from "./outbox.ts";
export type { OutboxOptions, SendDeadline } from "./outbox.ts";
export { TimerRunner } from "./timers.ts";
export type { TimerRunnerOptions } from "./timers.ts";
export { Poller } from "./poller.ts";
export { RefundRunner } from "./refunds.ts";
export type { Refunder, RefundOutcome, RefundRunnerOptions } from "./refunds.ts";
