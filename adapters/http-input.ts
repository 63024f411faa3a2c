import type { z } from "zod";
import { HttpError } from "./errors.ts";

/**
 * Validates `value` (a request's params, query or body) with a zod schema; a
 * mismatch is a 400 `invalid_request` naming each field, after `hint` when
 * given (what a good body looks like).
 *
 * @example
 * const body = parseInput(eventBody, request.body, "body");
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string, hint?: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => `${[what, ...i.path.map(String)].join(".")}: ${i.message}`).join("; ");
  throw new HttpError(400, "invalid_request", hint ? `${hint} (${details})` : details);
}
