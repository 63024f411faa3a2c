import type { Api } from "grammy";

/** The AbortSignal type grammY's Node build declares (the abort-controller package's). */
export type GrammySignal = Parameters<Api["sendMessage"]>[3];

/** A standard AbortSignal as grammY's methods take it: the types differ, the objects work the same at run time. */
export function grammySignal(signal: AbortSignal | undefined): GrammySignal {
  return signal as GrammySignal;
}
