/** Stable codes a client may branch on; the message says what to do. */
export type HttpErrorCode =
  | "bad_request"
  | "invalid_json"
  | "invalid_request"
  | "invalid_signature"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "body_too_large"
  | "unsupported_media_type"
  | "unavailable"
  | "internal";

/**
 * An error the server answers with its status and `{ error: { code, message } }`.
 * Thrown by routes for what the client got wrong (4xx); anything else is a 500
 * whose details stay in the log.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly statusCode: number,
    readonly code: HttpErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Configuration that cannot be used; `problems` each name the variable, key or flag and what to set it to. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "config_invalid";
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? (problems[0] ?? "") : `the configuration has ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}
