/**
 * Reading one KIOSK_* setting from the environment, a CLI flag or
 * kiosk.config.ts, checked by a zod schema, with a problem that says what to
 * set (a secret's value is never shown). The server's own settings and each
 * channel's use it.
 */
import { z } from "zod";
import { describeSecret } from "./secrets.ts";

/** One setting: its variable, its flag if any, and what a valid value is. */
export interface Field {
  readonly env: string;
  readonly flag?: string;
  /** What a valid value is, to finish "X must be …". */
  readonly expected: string;
  readonly schema: z.ZodType;
  /** Reads the environment's string; returns it unchanged when it cannot, so the schema reports it. */
  readonly fromText: (text: string) => unknown;
  /** A secret: a problem shows its length, never its value. */
  readonly secret?: true;
}

/** Readers of a variable's or flag's text: each returns the text unchanged when it cannot read it, so the schema reports it. */
export const asInteger = (text: string): unknown => (/^\s*-?\d+\s*$/.test(text) ? Number(text) : text);
export const asBoolean = (text: string): unknown => {
  const t = text.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(t)) return true;
  if (["0", "false", "no", "off"].includes(t)) return false;
  return text;
};
export const asText = (text: string): unknown => text;
export const asList = (text: string): unknown => text.split(",").map((part) => part.trim()).filter((part) => part !== "");

/** An http(s) URL; a trailing slash is dropped. With `path`, a path prefix is allowed (a server behind a proxy). */
export function baseUrl(path: boolean) {
  return z
    .string()
    .trim()
    .refine((text) => {
      try {
        const url = new URL(text);
        return (url.protocol === "http:" || url.protocol === "https:") && url.search === "" && url.hash === "" && (path || url.pathname === "/");
      } catch {
        return false;
      }
    })
    .transform((text) => text.replace(/\/+$/, ""));
}

/** A value as a problem quotes it. */
export const shown = (value: unknown) => (typeof value === "string" ? `'${value}'` : JSON.stringify(value) ?? String(value));

/** Where a value came from: a file key (`kiosk.config.ts: 'port'`), a variable or a flag. */
export type FieldSource = { readonly file: string; readonly key: string } | { readonly name: string };

/**
 * Checks `value` against the field: `{ value }` when it fits, else the
 * problem to report. Text from the environment or a flag goes through
 * `fromText` first; a file's value is taken as it is.
 */
export function readField(field: Field, value: unknown, source: FieldSource): { readonly value: unknown } | { readonly problem: string } {
  const text = "name" in source && typeof value === "string";
  const parsed = field.schema.safeParse(text ? field.fromText(value) : value);
  if (parsed.success) return { value: parsed.data };
  const where = "name" in source ? source.name : `${source.file}: '${source.key}'`;
  return { problem: `${where} must be ${field.expected}, got ${field.secret ? describeSecret(value) : shown(value)}` };
}
