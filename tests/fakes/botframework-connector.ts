/**
 * A fake Bot Framework connector service (what an activity's `serviceUrl`
 * points at) for tests: real HTTP on 127.0.0.1, port 0. It records every
 * `POST /v3/conversations/{conversationId}/activities` and
 * `.../activities/{replyToId}`, answers like the real service (200 with a
 * ResourceResponse `{ id }`), and can be told to rate-limit (429 with
 * Retry-After) or fail (500, or 403 "the bot is not part of the conversation").
 */
import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ConnectorCall {
  /** The conversation id, URL-decoded from the path. */
  readonly conversationId: string;
  /** For `/activities/{replyToId}`: the activity replied to. */
  readonly replyToId?: string;
  readonly activity: Record<string, unknown>;
  /** The request path as sent (the conversation id still encoded). */
  readonly path: string;
  readonly authorization: string | undefined;
  /** What the fake answered. */
  readonly status: number;
}

interface Fault {
  readonly status: 429 | 500 | 403;
  readonly retryAfter: number;
  remaining: number;
}

const PATH = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

export class FakeConnector {
  /** Every call in arrival order, answered or failed. */
  readonly calls: ConnectorCall[] = [];
  readonly #server: Server;
  readonly #faults: Fault[] = [];
  #activityId = 0;
  /** The key this fake signs channel tokens with; its public half is published at `openIdMetadataUrl`. */
  readonly #keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  readonly #kid = "fake-channel-key";

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<FakeConnector> {
    const server = createServer();
    const fake = new FakeConnector(server);
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      fake.handle(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  /** The serviceUrl to put in activities, with the trailing slash channels send. */
  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/`;
  }

  /** The OpenID configuration document whose jwks_uri lists this fake's signing key (KIOSK_BOTFRAMEWORK_OPENID_METADATA_URL). */
  get openIdMetadataUrl(): string {
    return `${this.url}v1/.well-known/openidconfiguration`;
  }

  /**
   * A token as the Bot Framework Service sends it to a bot (RS256, issuer
   * https://api.botframework.com, audience the app id, the serviceurl
   * claim), signed with this fake's published key, or with `otherKey`.
   */
  channelToken(claims: Record<string, unknown>, options: { otherKey?: boolean } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: "RS256", typ: "JWT", kid: this.#kid };
    const payload = { iss: "https://api.botframework.com", nbf: now - 60, exp: now + 3600, ...claims };
    const input = [header, payload].map((part) => Buffer.from(JSON.stringify(part)).toString("base64url")).join(".");
    const key: KeyObject = options.otherKey ? generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey : this.#keys.privateKey;
    const signature = createSign("RSA-SHA256").update(input).sign(key).toString("base64url");
    return `${input}.${signature}`;
  }

  /** Activities the fake accepted, optionally only those to one conversation. */
  accepted(conversationId?: string): ConnectorCall[] {
    return this.calls.filter((c) => c.status === 200 && (conversationId === undefined || c.conversationId === conversationId));
  }

  /** Answers the next `times` posts with `status` (429 with Retry-After: `retryAfter` seconds). */
  fail(options: { times: number; status: 429 | 500 | 403; retryAfter?: number }): void {
    this.#faults.push({ status: options.status, retryAfter: options.retryAfter ?? 1, remaining: options.times });
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      response.end(JSON.stringify(body));
    };
    const url = new URL(request.url ?? "/", "http://fake");
    if (request.method === "GET" && url.pathname === "/v1/.well-known/openidconfiguration") {
      return send(200, { issuer: "https://api.botframework.com", jwks_uri: `${this.url}v1/keys`, id_token_signing_alg_values_supported: ["RS256"] });
    }
    if (request.method === "GET" && url.pathname === "/v1/keys") {
      const jwk = this.#keys.publicKey.export({ format: "jwk" });
      return send(200, { keys: [{ kty: "RSA", use: "sig", kid: this.#kid, n: jwk.n, e: jwk.e, endorsements: ["emulator", "webchat", "msteams"] }] });
    }
    const match = PATH.exec(url.pathname);
    if (request.method !== "POST" || !match) return send(404, { error: { code: "NotFound", message: `no route ${request.method ?? ""} ${url.pathname}` } });
    const conversationId = decodeURIComponent(match[1] ?? "");
    const replyToId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const activity = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    const record = (status: number) =>
      this.calls.push({ conversationId, ...(replyToId === undefined ? {} : { replyToId }), activity, path: url.pathname, authorization: request.headers.authorization, status });

    const fault = this.#faults.find((f) => f.remaining > 0);
    if (fault) {
      fault.remaining -= 1;
      record(fault.status);
      if (fault.status === 429) return send(429, { error: { code: "TooManyRequests", message: "Too many requests" } }, { "retry-after": String(fault.retryAfter) });
      if (fault.status === 403) return send(403, { error: { code: "BotNotInConversationRoster", message: "The bot is not part of the conversation roster." } });
      return send(500, { error: { code: "ServiceError", message: "Internal server error" } });
    }
    record(200);
    return send(200, { id: `act-${++this.#activityId}` });
  }
}
