/** Parses "3", "3.5" or "3,5"; anything else is not a number. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim().replace(",", ".");
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
}
