/**
 * What every fake platform server shares: real HTTP on 127.0.0.1 with a free
 * port, a handler whose failure answers 500 (so a fake's own bug shows in the
 * test rather than hanging it), and the base URL to point an adapter at.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Makes a fake around a new server and listens on 127.0.0.1, port 0; each
 * request goes to `handle(fake, …)`.
 *
 * @example
 * static start() { return startFake((server) => new FakeBotApi(server), (fake, req, res) => fake.handle(req, res)); }
 */
export async function startFake<T>(make: (server: Server) => T, handle: (fake: T, request: IncomingMessage, response: ServerResponse) => Promise<void>): Promise<T> {
  const server = createServer();
  const fake = make(server);
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    handle(fake, request, response).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return fake;
}

/** `http://127.0.0.1:<port>` of a listening server. */
export function loopbackUrl(server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}
