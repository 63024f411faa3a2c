import { open } from "node:fs/promises";

/**
 * The largest source file Kiosk reads (a flow, a transcript): 1 MiB. A flow
 * of a real business is a few kilobytes; anything near this is a mistake
 * (a log pasted in, a generated file), and parsing it whole would hold the
 * CLI or a server's start for seconds.
 */
export const MAX_SOURCE_BYTES = 1024 * 1024;

/** What reading a source file gave: its text, or its size when over the limit (then nothing was read). */
export type SourceText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly size: number; readonly limit: number };

/**
 * Reads a UTF-8 source file after checking its size on the open handle (so
 * the size checked is the size read): a file over `limit` bytes is not read.
 */
export async function readSourceFile(path: string, limit = MAX_SOURCE_BYTES): Promise<SourceText> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size > limit) return { ok: false, size, limit };
    return { ok: true, text: await handle.readFile("utf8") };
  } finally {
    await handle.close();
  }
}

/** "is 31457280 bytes (30.0 MiB), over the limit of 1048576 bytes (1 MiB) for a flow file; it was not read". */
export function describeTooLarge(size: number, limit: number, what: string): string {
  const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  return `is ${size} bytes (${mib(size)}), over the limit of ${limit} bytes (${mib(limit)}) for ${what}; it was not read`;
}
