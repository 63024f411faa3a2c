/**
 * A fake Telegram Bot API server for tests: real HTTP on 127.0.0.1, port 0,
 * at the paths grammY calls (`<root>/bot<token>/<method>`). It records every
 * call, answers like Telegram (`{ ok: true, result: { message_id, … } }`),
 * and can be told to rate-limit (429 with `parameters.retry_after`), fail
 * (500) or answer slowly. `getUpdates` answers from a queue the test fills
 * (`queueUpdates`), holding the call open like Telegram while it is empty.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { loopbackUrl, startFake } from "./loopback.ts";

export interface BotApiCall {
  /** The token in the URL: which bot called. */
  readonly token: string;
  readonly method: string;
  readonly params: Record<string, unknown>;
  /** What the fake answered: 200, or the failure it was told to give. */
  readonly status: number;
}

interface Fault {
  readonly status: 429 | 500 | 403;
  /** For 429: the seconds Telegram asks to wait. */
  readonly retryAfter: number;
  /** Fails while Date.now() is before this. */
  readonly until: number;
  /** Or fails this many more calls. */
  remaining: number;
  /** Only these methods fail; all when absent. */
  readonly methods?: readonly string[];
}

export class FakeBotApi {
  /** Every call in arrival order, answered or failed. */
  readonly calls: BotApiCall[] = [];
  readonly #server: Server;
  readonly #faults: Fault[] = [];
  #delayMs = 0;
  readonly #listeners = new Set<(call: BotApiCall) => void>();
  #messageId = 1000;
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

  /** Answers 500 (or 403, "bot was blocked by the user") to the next `times` calls (or those of `methods`). */
  fail(options: { times: number; status?: 500 | 403; methods?: readonly string[] }): void {
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
    const raw = Buffer.concat(chunks).toString("utf8");
    const params = raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>);
    if (this.#delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#delayMs));

    const fault = this.#faults.find((f) => (f.until > Date.now() || f.remaining > 0) && (!f.methods || f.methods.includes(method)));
    if (fault) {
      if (fault.remaining > 0) fault.remaining -= 1;
      this.#record({ token, method, params, status: fault.status });
      if (fault.status === 429) {
        return send(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${fault.retryAfter}`, parameters: { retry_after: fault.retryAfter } });
      }
      if (fault.status === 403) return send(403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
      return send(500, { ok: false, error_code: 500, description: "Internal Server Error" });
    }
    this.#record({ token, method, params, status: 200 });
    if (method === "getUpdates") return send(200, { ok: true, result: await this.#getUpdates(params) });
    return send(200, { ok: true, result: this.result(method, params) });
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

  /** What Telegram returns for the methods Kiosk calls: the sent Message, or true. */
  private result(method: string, params: Record<string, unknown>): unknown {
    const chat = { id: Number(params.chat_id), first_name: "Test", type: "private" };
    const base = { message_id: ++this.#messageId, date: Math.floor(Date.now() / 1000), chat, from: { id: 1, is_bot: true, first_name: "Kiosk", username: "kiosk_bot" } };
    if (method === "sendMessage") {
      return { ...base, text: params.text, ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}) };
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
