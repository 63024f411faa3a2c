/**
 * Inbound bounds: every field a channel turns into a turn's input is
 * checked against the limit its platform documents. An update over a limit
 * is not what the platform sends; a channel acknowledges it (so the
 * platform does not deliver it again for days) but runs no turn, and the
 * server logs a warning naming the field and the sizes, never the value.
 */
export interface OverLimit {
  /** The field's path in the platform's payload, e.g. `message.text`. */
  readonly field: string;
  readonly size: number;
  readonly limit: number;
  readonly unit: "characters" | "bytes";
}

/**
 * The field over its limit, or undefined. Characters are Unicode code
 * points (the platforms count characters, and a JS string's length counts
 * an emoji twice), so a text within the limit is never refused for its emoji.
 */
export function overLimit(field: string, value: string | undefined, limit: number, unit: "characters" | "bytes"): OverLimit | undefined {
  if (value === undefined) return undefined;
  if (unit === "bytes") {
    const size = Buffer.byteLength(value, "utf8");
    return size > limit ? { field, size, limit, unit } : undefined;
  }
  // A string's UTF-16 length is at least its code points: only a long one needs counting.
  if (value.length <= limit) return undefined;
  let size = 0;
  for (let i = 0; i < value.length; i++) {
    size++;
    // A high surrogate followed by a low one is one character.
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return size > limit ? { field, size, limit, unit } : undefined;
}

/** The first of several checks that fails. */
export function firstOver(...checks: ReadonlyArray<OverLimit | undefined>): OverLimit | undefined {
  return checks.find((c) => c !== undefined);
}

/** "message.text is 900000 characters, over Telegram's limit of 4096": what the log and an ignored reason say. */
export function describeOverLimit(platform: string, over: OverLimit): string {
  return `${over.field} is ${over.size} ${over.unit}, over ${platform}'s limit of ${over.limit}`;
}
