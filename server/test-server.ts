/**
 * For the server's tests: a real server on 127.0.0.1, port 0, over a SQLite
 * file in the test's temp folder, and a small JSON client for it.
 */
import type { Harness } from "../tests/helpers.ts";
import cafe from "../bots/cafe/index.ts";
import type { LoadedBot } from "../flows/index.ts";
import { resolveConfig, type ServerConfig } from "./config.ts";
import { startServer, type RunningServer, type StartOptions } from "./serve.ts";

export interface TestServer extends RunningServer {
  /** Sends JSON (or a raw string body) and reads the JSON answer (undefined for an empty one). */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown; text: string }>;
}

/** Starts a server for one test (cafe only unless `bots` says otherwise); it closes after the test. */
export async function startTestServer(
  harness: Harness,
  overrides: Partial<ServerConfig> = {},
  bots: readonly LoadedBot[] = [cafe],
  options: { readonly logger?: StartOptions["logger"] } = {},
): Promise<TestServer> {
  const config = { ...resolveConfig({ env: {} }), port: 0, host: "127.0.0.1", db: harness.db, slowPaymentMs: 150, ...overrides };
  const server = await startServer({ config, bots, logger: options.logger ?? false });
  harness.defer(() => server.close());
  return {
    ...server,
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
