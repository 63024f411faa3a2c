/**
 * For the server's tests: a real server on 127.0.0.1, port 0, over a SQLite
 * file in the test's temp folder, and a small JSON client for it.
 */
import type { Harness } from "./helpers.ts";
import cafe from "../bots/cafe/index.ts";
import type { LoadedBot } from "../flows/index.ts";
import { OffsetClock } from "../jobs/index.ts";
import { resolveConfig, type ServerConfig } from "../server/config.ts";
import { startServer, type RunningServer, type StartOptions } from "../server/serve.ts";

/** Where tests' emulator clocks start: Monday 30 November 2026, 06:00 in Paris, three hours before the salon opens. */
export const TEST_CLOCK_START = new Date("2026-11-30T05:00:00Z");

export interface TestServer extends RunningServer {
  /** The runtime's clock, that the test moves: "real time" the test controls in production mode, the emulator clock in emulator mode. */
  readonly clock: OffsetClock;
  /** The server's real time (the production runtime reads it); tests advance it instead of waiting. */
  readonly realTime: OffsetClock;
  /** Sends JSON (or a raw string body) and reads the JSON answer (undefined for an empty one). */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown; text: string }>;
}

/**
 * Starts a server for one test (cafe only unless `bots` says otherwise); it
 * closes after the test. Its real time is a clock the test moves (from the
 * real now, or from `options.realTimeStart`: a test whose outcome depends on
 * the hour, such as a booking's reminders, passes `TEST_CLOCK_START`); the
 * emulator clock starts at `overrides.emulatorClock` when given.
 */
/** What a test sets: the server's settings, and channels' settings by name (merged over those of an empty environment). */
export type TestOverrides = Partial<Omit<ServerConfig, "channels">> & { readonly channels?: Readonly<Record<string, unknown>> };

export async function startTestServer(
  harness: Harness,
  overrides: TestOverrides = {},
  bots: readonly LoadedBot[] = [cafe],
  options: { readonly realTimeStart?: Date; readonly logger?: StartOptions["logger"] } = {},
): Promise<TestServer> {
  const base = resolveConfig({ env: {} });
  const config = { ...base, port: 0, host: "127.0.0.1", db: harness.db, slowPaymentMs: 150, ...overrides, channels: { ...base.channels, ...overrides.channels } };
  const realTime = new OffsetClock(undefined, options.realTimeStart === undefined ? {} : { startAt: options.realTimeStart });
  const server = await startServer({ config, bots, logger: options.logger ?? false, realTime });
  harness.defer(() => server.close());
  return {
    ...server,
    clock: server.clock instanceof OffsetClock ? server.clock : realTime,
    realTime,
    async request(method, path, body, headers = {}) {
      const raw = typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body);
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: raw === undefined ? headers : { "content-type": "application/json", ...headers },
        ...(raw === undefined ? {} : { body: raw }),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed, text };
    },
  };
}
