/**
 * A pino logger for a test server that keeps what it writes, so a test can
 * assert a refusal was logged (and what the line does not carry).
 */
export interface CapturedLog {
  /** Fastify's `logger` option: pino at `level`, writing here. */
  readonly logger: { readonly level: string; readonly stream: { write(line: string): void } };
  /** Every record written, parsed. */
  readonly records: Array<{ level: number; msg: string; [field: string]: unknown }>;
  /** The messages of records at warn (40) or above. */
  warnings(): string[];
}

export function captureLog(level = "warn"): CapturedLog {
  const records: CapturedLog["records"] = [];
  return {
    logger: { level, stream: { write: (line: string) => void records.push(JSON.parse(line) as CapturedLog["records"][number]) } },
    records,
    warnings: () => records.filter((r) => r.level >= 40).map((r) => r.msg),
  };
}
