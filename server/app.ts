import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { Store } from "../store/index.ts";
import { HttpError, type HttpErrorCode } from "../adapters/index.ts";
import { safeLogger } from "./logging.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The body exactly as received, for checking a webhook's signature; set for JSON bodies. */
    rawBody?: Buffer;
  }
}

export interface AppOptions {
  /** With `bots`, adds `GET /healthz` (see `registerHealth`); Kiosk's plugin adds it otherwise (server/fastify.ts). */
  readonly store?: Store;
  /** Ids of the bots this server runs (read on each health check, so a reload shows). */
  readonly bots?: () => readonly string[];
  /** Largest accepted body in bytes; bigger ones get 413. Default 1 MiB. */
  readonly bodyLimit?: number;
  /** Fastify's logger option: false in tests, `{ level }` or `{ level, stream }` otherwise; the safe serializers of logging.ts are added. */
  readonly logger?: FastifyServerOptions["logger"];
}

/** Status codes Fastify's own errors come with, and the code a client reads for each. */
const FASTIFY_CODES: Readonly<Record<string, HttpErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "body_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_EMPTY_JSON_BODY: "invalid_json",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
};

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && "code" in error;
}

/**
 * The HTTP app without its routes for channels: JSON bodies parsed with the
 * raw bytes kept on `request.rawBody`, a body limit, `GET /healthz` (with a
 * store), and one error handler: 4xx answer `{ error: { code, message } }`,
 * 5xx answer a generic message and log the cause. No stack ever reaches a client.
 *
 * @example
 * const app = buildApp({ store, bots: () => ["cafe"], logger: false });
 * await app.listen({ port: 0, host: "127.0.0.1" });
 */
export function buildApp(options: AppOptions): FastifyInstance {
  const app = Fastify({
    // No secret or personal data in any line: query values, error payloads and tokens are taken out (see logging.ts).
    logger: safeLogger(options.logger ?? false),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Ids are generated here: a client-sent request id is not trusted.
    requestIdHeader: false,
  });
  useJsonAndErrors(app);

  // While closing, each answer tells its client to hang up: a kept-alive connection
  // would otherwise hold the shutdown open until it times out.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: "not_found", message: `no route ${request.method} ${request.url.split("?")[0] ?? ""}` } }),
  );

  if (options.store && options.bots) registerHealth(app, { store: options.store, bots: options.bots });
  return app;
}

/**
 * JSON bodies only (any other type gets 415), parsed with the raw bytes kept
 * on `request.rawBody` for signature checks, and the error handler. Set on
 * the app itself and again in Kiosk's plugin context (server/fastify.ts),
 * so Kiosk's routes behave the same inside another app; `bodyLimit` (bytes)
 * then bounds Kiosk's bodies whatever the app's own limit.
 */
export function useJsonAndErrors(app: FastifyInstance, bodyLimit?: number): void {
  // Fastify parses text/plain by default: every body here is JSON, so any other type gets 415 (FST_ERR_CTP_INVALID_MEDIA_TYPE).
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("application/json", { parseAs: "buffer", ...(bodyLimit === undefined ? {} : { bodyLimit }) }, (request, body: string | Buffer, done) => {
    const raw = typeof body === "string" ? Buffer.from(body) : body;
    request.rawBody = raw;
    if (raw.length === 0) {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(raw.toString("utf8")) as unknown);
    } catch (error) {
      done(new HttpError(400, "invalid_json", `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`), undefined);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) {
      // Its message is written for the client by construction.
      return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message } });
    }
    if (isFastifyError(error) && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      const code = FASTIFY_CODES[error.code] ?? (error.statusCode === 404 ? "not_found" : "bad_request");
      const message =
        code === "unsupported_media_type"
          ? `the body must be JSON sent with content-type application/json; got ${request.headers["content-type"] === undefined ? "no content-type" : `'${request.headers["content-type"]}'`}`
          : error.message;
      return reply.status(error.statusCode).send({ error: { code, message } });
    }
    request.log.error({ err: error }, "request failed");
    return reply.status(500).send({ error: { code: "internal", message: `internal error; see the server log for request ${request.id}` } });
  });
}

/** `GET /healthz`: 200 with the bots once the store answers a cheap indexed read, 503 when it does not. */
export function registerHealth(app: FastifyInstance, options: { readonly store: Store; readonly bots: () => readonly string[] }): void {
  app.get("/healthz", async (request, reply) => {
    const bots = [...options.bots()];
    try {
      // A cheap indexed read: proves the store answers.
      await options.store.dueTimers(new Date(0), 1);
    } catch (error) {
      request.log.error({ err: error }, "health check: the store did not answer");
      return reply.status(503).send({ status: "error", bots, db: "error" });
    }
    return { status: "ok", bots, db: "ok" };
  });
}
