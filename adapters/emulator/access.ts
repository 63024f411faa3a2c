import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/** The loopback names the emulator answers for by default, with the port it listens on. */
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"] as const;

export interface EmulatorAccessOptions {
  /** The bearer token API requests must carry; undefined lets them in without one (emulator mode on loopback). */
  readonly token: string | undefined;
  /** Extra Host names (`name` for any port, `name:port` for one), lower case. */
  readonly hosts: readonly string[];
  /** The port the server listens on (known once it listens). */
  readonly port: () => number;
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * Whether `host` (a Host header) is one the emulator is bound to: a loopback
 * name with the server's port, or one of `hosts`. A page on any other name
 * (DNS rebinding: evil.example resolving to 127.0.0.1) gets nothing.
 */
export function emulatorHostAllowed(host: string | undefined, options: Pick<EmulatorAccessOptions, "hosts" | "port">): boolean {
  if (host === undefined) return false;
  const wanted = host.trim().toLowerCase();
  const port = options.port();
  for (const name of LOOPBACK_NAMES) {
    if (wanted === `${name}:${port}` || (port === 80 && wanted === name)) return true;
  }
  const name = wanted.replace(/:\d+$/, "");
  return options.hosts.some((allowed) => allowed === wanted || (!/:\d+$/.test(allowed) && allowed === name));
}

/**
 * The emulator routes' guard, an onRequest hook: a foreign Host gets 421,
 * an API request without the bearer token (when one is set) 401; either
 * changes nothing. The page's files load without the token (the page then
 * asks for it); the token is compared in constant time.
 */
export function emulatorAccessHook(options: EmulatorAccessOptions): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const expected = options.token === undefined ? undefined : digest(options.token);
  return async (request, reply) => {
    if (!emulatorHostAllowed(request.headers.host, options)) {
      const names = LOOPBACK_NAMES.map((n) => `${n}:${options.port()}`).concat(options.hosts);
      await reply.status(421).send({
        error: {
          code: "misdirected_request",
          message: `the emulator answers only for the hosts ${names.join(", ")}; to reach it under another name, add it to KIOSK_EMULATOR_HOSTS`,
        },
      });
      return reply;
    }
    if (expected === undefined || !request.url.startsWith("/api/")) return;
    const header = request.headers.authorization;
    const given = typeof header === "string" && header.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      await reply
        .status(401)
        .header("www-authenticate", 'Bearer realm="kiosk-emulator"')
        .send({ error: { code: "unauthorized", message: "the emulator API needs Authorization: Bearer <KIOSK_EMULATOR_TOKEN>; the page asks for the token once per browser session" } });
      return reply;
    }
  };
}
