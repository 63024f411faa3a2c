export type FlowErrorCode = "flow_invalid" | "step_failed" | "unknown_bot";

/**
 * An error a developer reads: it names the bot, flow and step, and says how to
 * fix it. The customer only ever sees a short apology.
 */
export class FlowError extends Error {
  override readonly name = "FlowError";
  constructor(
    readonly code: FlowErrorCode,
    message: string,
    readonly where: { readonly bot?: string; readonly flow?: string; readonly step?: string; readonly field?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Formats "bot 'cafe', flow 'order', step 'qty'" for error messages. */
export function describeWhere(where: FlowError["where"]): string {
  const parts: string[] = [];
  if (where.bot) parts.push(`bot '${where.bot}'`);
  if (where.flow) parts.push(`flow '${where.flow}'`);
  if (where.step) parts.push(`step '${where.step}'`);
  if (where.field) parts.push(`field '${where.field}'`);
  return parts.join(", ");
}
