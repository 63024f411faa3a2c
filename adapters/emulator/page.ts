import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";

const JS = "text/javascript; charset=utf-8";

/** The page's files, read once at start: every one is known by name, so no path from a request reaches the file system. */
const ASSETS: Readonly<Record<string, string>> = {
  "index.html": "text/html; charset=utf-8",
  "app.js": JS,
  "actions.js": JS,
  "api.js": JS,
  "bubbles.js": JS,
  "channels.js": JS,
  "chat.js": JS,
  "clock.js": JS,
  "conversation.js": JS,
  "diagram.js": JS,
  "diagram-view.js": JS,
  "dom.js": JS,
  "inspector.js": JS,
  "state.js": JS,
  "tabs.js": JS,
  "time.js": JS,
  "transcript.js": JS,
  "style.css": "text/css; charset=utf-8",
  "favicon.svg": "image/svg+xml",
};

/**
 * Same-origin scripts and styles only, no inline script or style, no frames,
 * no forms posting elsewhere; the page talks to this server alone.
 */
export const EMULATOR_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Serves the emulator page at `/emulator` and its assets at `/emulator/<file>`
 * from adapters/emulator/page/, each with its content type and a strict
 * Content-Security-Policy.
 */
export function registerEmulatorPage(app: FastifyInstance): void {
  const dir = new URL("./page/", import.meta.url);
  const files = new Map(Object.entries(ASSETS).map(([name, type]) => [name, { type, body: readFileSync(new URL(name, dir)) }]));
  const headers = {
    "content-security-policy": EMULATOR_PAGE_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
  };
  app.get("/emulator", async (_request, reply) => {
    const file = files.get("index.html");
    return reply.headers(headers).type(file?.type ?? "text/html").send(file?.body);
  });
  app.get("/emulator/", async (_request, reply) => reply.redirect("/emulator"));
  app.get<{ Params: { file: string } }>("/emulator/:file", async (request, reply) => {
    const file = files.get(request.params.file);
    if (!file) {
      return reply.status(404).send({ error: { code: "not_found", message: `no file '${request.params.file}' in the emulator page; files are: ${Object.keys(ASSETS).join(", ")}` } });
    }
    return reply.headers(headers).type(file.type).send(file.body);
  });
}
