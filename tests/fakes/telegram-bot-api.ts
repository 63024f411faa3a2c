/**
 * A fake Telegram Bot API server for tests: real HTTP on 127.0.0.1, port 0,
 * at the paths grammY calls (`<root>/bot<token>/<method>`). It records every
 * call, answers like Telegram (`{ ok: true, result: { message_id, … } }`),
 * and can be told to rate-limit (429 with `parameters.retry_after`), fail
 * (500) or answer slowly. `getUpdates` answers from a queue the test fills
 * (`queueUpdates`), holding the call open like Telegram while it is empty.
 * Bodies may be JSON or multipart/form-data (grammY uploads files that way):
 * an uploaded file is recorded by its file name. It keeps the messages it
 * sent and edited (`message(id)`), as a chat would show them.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { afterEach, beforeEach } from "vitest";
import { loopbackUrl, startFake } from "./loopback.ts";

export interface BotApiCall {
  /** The token in the URL: which bot called. */
  readonly token: string;
  readonly method: string;
  readonly params: Record<string, unknown>;
  /** What the fake answered: 200, or the failure it was told to give. */
  readonly status: number;
  /** Names of the files uploaded with the call (multipart), e.g. ["latte.jpg"]. */
  readonly files: readonly string[];
  /** The message_id of the message the call sent or edited, when it answered one. */
  messageId?: number;
}

/** A message as the fake keeps it: the Bot API's Message fields Kiosk sends or edits. */
export type FakeMessage = Record<string, unknown> & { readonly message_id: number; readonly chat: { readonly id: number } };

interface Fault {
  readonly status: 429 | 500 | 403 | 400;
  /** For 429: the seconds Telegram asks to wait. */
  readonly retryAfter: number;
  /** Fails while Date.now() is before this. */
  readonly until: number;
  /** Or fails this many more calls. */
  remaining: number;
  /** Only these methods fail; all when absent. */
  readonly methods?: readonly string[];
}

/**
 * A request body's parameters: JSON, or multipart/form-data as grammY writes
 * it (fields holding JSON for objects; each file a part referred to as
 * `attach://<part>`, which becomes the file's name here).
 */
function readBody(body: Buffer, contentType: string): { params: Record<string, unknown>; files: string[] } {
  const boundary = /boundary=(\S+)/.exec(contentType)?.[1];
  if (!contentType.startsWith("multipart/form-data") || boundary === undefined) {
    return { params: body.length === 0 ? {} : (JSON.parse(body.toString("utf8")) as Record<string, unknown>), files: [] };
  }
  const fields: Record<string, string> = {};
  const attached = new Map<string, string>();
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // after CRLF, before the CRLF that ends it
    const split = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, split).toString("utf8");
    const name = /name="([^"]+)"/.exec(headers)?.[1] ?? "";
    const filename = /filename="?([^";\r\n]+)"?/.exec(headers)?.[1];
    if (filename !== undefined) attached.set(name, filename);
    else fields[name] = part.subarray(split + 4).toString("utf8");
    at = next;
  }
  const resolve = (value: unknown): unknown => {
    if (typeof value === "string" && value.startsWith("attach://")) return attached.get(value.slice("attach://".length)) ?? value;
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  const params: Record<string, unknown> = {};
  // Objects are JSON, numbers are written out; texts stay as they are.
  const json = (key: string, value: string) => /^[[{]/.test(value) || (/^-?\d+$/.test(value) && key !== "text" && key !== "caption");
  for (const [key, value] of Object.entries(fields)) params[key] = resolve(json(key, value) ? JSON.parse(value) : value);
  return { params, files: [...attached.values()] };
}

export class FakeBotApi {
  /** Every call in arrival order, answered or failed. */
  readonly calls: BotApiCall[] = [];
  readonly #server: Server;
  readonly #faults: Fault[] = [];
  #delayMs = 0;
  readonly #listeners = new Set<(call: BotApiCall) => void>();
  #messageId = 1000;
  #fileId = 0;
  /** Stars charges refunded (refundStarPayment). */
  readonly #refunded = new Set<string>();
  /** Every message sent, as last edited, by message_id. */
  readonly #messages = new Map<number, FakeMessage>();
  /** Updates not confirmed yet (getUpdates with a greater offset confirms them). */
  #updates: Array<{ update_id: number }> = [];
  /** getUpdates calls waiting for an update. */
  readonly #waiting = new Set<() => void>();

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Starts on 127.0.0.1 with a free port. */
  static start(): Promise<FakeBotApi> {
    return startFake((server) => new FakeBotApi(server), (fake, request, response) => fake.handle(request, response));
  }

  /** The apiRoot to give grammY. */
  get url(): string {
    return loopbackUrl(this.#server);
  }

  /** Calls Telegram accepted (status 200), optionally of one method. */
  accepted(method?: string): BotApiCall[] {
    return this.calls.filter((c) => c.status === 200 && (method === undefined || c.method === method));
  }

  /** Answers 429 with `retry_after` seconds to every call (or those `methods`) for `forMs`. */
  rateLimit(options: { forMs: number; retryAfter: number; methods?: readonly string[] }): void {
    this.#faults.push({ status: 429, retryAfter: options.retryAfter, until: Date.now() + options.forMs, remaining: 0, ...(options.methods ? { methods: options.methods } : {}) });
  }

  /** Answers 500 (or 403, "bot was blocked by the user"; or 400, a photo Telegram cannot use) to the next `times` calls (or those of `methods`). */
  fail(options: { times: number; status?: 500 | 403 | 400; methods?: readonly string[] }): void {
    this.#faults.push({ status: options.status ?? 500, retryAfter: 0, until: 0, remaining: options.times, ...(options.methods ? { methods: options.methods } : {}) });
  }

  /** Tells `listener` about every call as it is recorded; returns a function that stops it. */
  onCall(listener: (call: BotApiCall) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Waits this long before answering each call (0: at once). */
  slow(ms: number): void {
    this.#delayMs = ms;
  }

  /** Queues updates for getUpdates; a call waiting for one answers at once. */
  queueUpdates(...updates: Array<{ update_id: number }>): void {
    this.#updates.push(...updates);
    for (const wake of this.#waiting) wake();
  }

  /** A message the fake sent, as last edited. */
  message(id: number): FakeMessage | undefined {
    return this.#messages.get(id);
  }

  /** The messages sent to `chatId`, oldest first, each as last edited. */
  messagesIn(chatId: number | string): FakeMessage[] {
    return [...this.#messages.values()].filter((m) => String(m.chat.id) === String(chatId));
  }

  /** Updates queued and not yet confirmed by a getUpdates offset past them. */
  get pendingUpdates(): ReadonlyArray<{ update_id: number }> {
    return this.#updates;
  }

  close(): Promise<void> {
    for (const wake of this.#waiting) wake();
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(request.url ?? "");
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (!match) return send(404, { ok: false, error_code: 404, description: "Not Found" });
    const [, token = "", method = ""] = match;
    const body = Buffer.concat(chunks);
    const { params, files } = readBody(body, request.headers["content-type"] ?? "");
    if (this.#delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#delayMs));

    const fault = this.#faults.find((f) => (f.until > Date.now() || f.remaining > 0) && (!f.methods || f.methods.includes(method)));
    if (fault) {
      if (fault.remaining > 0) fault.remaining -= 1;
      this.#record({ token, method, params, status: fault.status, files });
      if (fault.status === 429) {
        return send(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${fault.retryAfter}`, parameters: { retry_after: fault.retryAfter } });
      }
      if (fault.status === 403) return send(403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
      if (fault.status === 400) return send(400, { ok: false, error_code: 400, description: "Bad Request: IMAGE_PROCESS_FAILED" });
      return send(500, { ok: false, error_code: 500, description: "Internal Server Error" });
    }
    const call: BotApiCall = { token, method, params, status: 200, files };
    this.#record(call);
    if (method === "getUpdates") return send(200, { ok: true, result: await this.#getUpdates(params) });
    if (method === "refundStarPayment") {
      // Like Telegram: a charge is refunded once; asking again is a 400.
      const charge = String(params.telegram_payment_charge_id);
      if (this.#refunded.has(charge)) return send(400, { ok: false, error_code: 400, description: "Bad Request: CHARGE_ALREADY_REFUNDED" });
      this.#refunded.add(charge);
    }
    const result = this.result(method, params, files);
    if (result === undefined) return send(400, { ok: false, error_code: 400, description: "Bad Request: message to edit not found" });
    if (typeof result === "object" && result !== null && "message_id" in result && typeof result.message_id === "number") {
      call.messageId = result.message_id;
      this.#messages.set(result.message_id, result as FakeMessage);
    }
    return send(200, { ok: true, result });
  }

  /** Like Telegram: confirms updates below `offset`, then answers what is left, or holds the call up to `timeout` seconds for some. */
  async #getUpdates(params: Record<string, unknown>): Promise<unknown[]> {
    const offset = typeof params.offset === "number" ? params.offset : undefined;
    if (offset !== undefined) this.#updates = this.#updates.filter((u) => u.update_id >= offset);
    const limit = typeof params.limit === "number" ? params.limit : 100;
    if (this.#updates.length === 0 && typeof params.timeout === "number" && params.timeout > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Number(params.timeout) * 1000);
        this.#waiting.add(wake);
      });
    }
    return this.#updates.slice(0, limit);
  }

  #record(call: BotApiCall): void {
    this.calls.push(call);
    for (const listener of this.#listeners) listener(call);
  }

  /** A photo as Telegram describes it: sizes with file_ids; an upload or a URL gets a new file_id, a file_id stays. */
  #photo(photo: unknown, files: readonly string[]): Array<Record<string, unknown>> {
    const given = String(photo);
    const fileId = given.startsWith("AgAC") && !files.includes(given) ? given : `AgACfake${++this.#fileId}`;
    return [{ file_id: fileId, file_unique_id: `u${fileId}`, width: 320, height: 320, file_size: 3000 }];
  }

  /** What Telegram returns for the methods Kiosk calls: the sent or edited Message, or true. */
  private result(method: string, params: Record<string, unknown>, files: readonly string[]): unknown {
    const chat = { id: Number(params.chat_id), first_name: "Test", type: "private" };
    const base = { message_id: ++this.#messageId, date: Math.floor(Date.now() / 1000), chat, from: { id: 1, is_bot: true, first_name: "Kiosk", username: "kiosk_bot" } };
    const markup = params.reply_markup ? { reply_markup: params.reply_markup } : {};
    if (method === "sendMessage") {
      return { ...base, text: params.text, ...markup };
    }
    if (method === "sendPhoto") {
      return { ...base, photo: this.#photo(params.photo, files), ...(params.caption === undefined ? {} : { caption: params.caption }), ...markup };
    }
    if (method.startsWith("editMessage")) {
      const old = this.#messages.get(Number(params.message_id));
      if (!old || String(old.chat.id) !== String(params.chat_id)) return undefined;
      // Like Telegram, an edit without reply_markup takes the inline keyboard away.
      const edited: Record<string, unknown> = { ...old, edit_date: Math.floor(Date.now() / 1000) };
      delete edited.reply_markup;
      Object.assign(edited, markup);
      if (method === "editMessageText") Object.assign(edited, { text: params.text, entities: params.entities });
      if (method === "editMessageCaption") Object.assign(edited, { caption: params.caption, caption_entities: params.caption_entities });
      if (method === "editMessageMedia") {
        const media = params.media as { media?: unknown; caption?: unknown };
        Object.assign(edited, { photo: this.#photo(media.media, files), caption: media.caption });
      }
      return edited;
    }
    if (method === "sendInvoice") {
      const prices = (params.prices as Array<{ amount: number }> | undefined) ?? [];
      return {
        ...base,
        invoice: {
          title: params.title,
          description: params.description,
          start_parameter: "",
          currency: params.currency,
          total_amount: prices.reduce((sum, p) => sum + p.amount, 0),
        },
      };
    }
    if (method === "getMe") return { id: 1, is_bot: true, first_name: "Kiosk", username: "kiosk_bot" };
    return true;
  }
}

/**
 * Call at the top of a describe: starts a fake Bot API before each test,
 * hands it to `take`, and closes it after the test.
 *
 * @example
 * let fake: FakeBotApi;
 * useFakeBotApi((started) => (fake = started));
 */
export function useFakeBotApi(take: (fake: FakeBotApi) => void): void {
  let current: FakeBotApi | undefined;
  beforeEach(async () => {
    current = await FakeBotApi.start();
    take(current);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
}
