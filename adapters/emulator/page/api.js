/* global fetch, prompt, sessionStorage */
// The emulator API's client: JSON in and out, and the emulator's token, asked
// for once when the server refuses a call and kept for this browser session.

/** Where every emulator route lives. */
export const API = "/api/emulator";

/** A refused call: the HTTP status and the API's error code and message. */
export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Where the emulator's token is kept: this tab's session only, never on disk beyond it. */
const TOKEN_KEY = "kiosk-emulator-token";
/** @type {Promise<string|null>|undefined} one question at a time, however many calls were refused */
let asking;

/** Asks for the token once (calls refused meanwhile wait for the same answer); null when the person cancels. */
function askToken() {
  asking ??= Promise.resolve().then(() => {
    const answer = prompt("This emulator runs beside real channels and needs its token (KIOSK_EMULATOR_TOKEN). It is kept for this browser session only.");
    const token = answer === null ? "" : answer.trim();
    if (token !== "") sessionStorage.setItem(TOKEN_KEY, token);
    asking = undefined;
    return token === "" ? null : token;
  });
  return asking;
}

/**
 * Calls the emulator API with the token; throws an ApiError when refused.
 * @param {string} method @param {string} path @param {unknown} [body] @param {boolean} [retried]
 */
export async function api(method, path, body, retried = false) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch(path, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401 && !retried) {
    // Another call got the token meanwhile: use it. Else a wrong or missing token: forget it, ask once, and try again.
    const current = sessionStorage.getItem(TOKEN_KEY);
    if (current !== null && current !== token) return api(method, path, body, true);
    sessionStorage.removeItem(TOKEN_KEY);
    if ((await askToken()) !== null) return api(method, path, body, true);
  }
  const text = await response.text();
  let parsed;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    const error = parsed && typeof parsed === "object" && "error" in parsed ? parsed.error : { code: "http", message: `${response.status} ${response.statusText}` };
    throw new ApiError(response.status, error.code, error.message);
  }
  return { status: response.status, body: parsed, text };
}
