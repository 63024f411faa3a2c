export { Emulator, EmulatedCustomer, EmulatorError } from "./emulator.ts";
export type { EmulatorOptions } from "./emulator.ts";
export { EmulatorChannel, EMULATOR_CHANNEL } from "./channel.ts";
export { runJsonl, parseJsonlLine, toJsonl } from "./jsonl.ts";
export { runTerminalChat, renderForTerminal } from "./terminal.ts";
