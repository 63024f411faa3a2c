export { Runtime } from "./runtime.ts";
export type { RuntimeOptions } from "./runtime.ts";
