/**
 * A fake Bot Framework connector service (what an activity's `serviceUrl`
 * points at) for tests: real HTTP on 127.0.0.1, port 0. It records every
 * `POST /v3/conversations/{conversationId}/activities` and
 * `.../activities/{replyToId}`, answers like the real service (200 with a
 * ResourceResponse `{ id }`), and can be told to rate-limit (429 with
 * Retry-After) or fail (500, or 403 "the bot is not part of the conversation").
 *
 * It also plays Microsoft's login endpoint (`loginUrl`), on its own HTTPS
 * port of 127.0.0.1 (MSAL refuses an http authority) with a self-signed
 * certificate made by `openssl` at start (`certificate`, to be trusted by
 * the test): the OpenID configuration MSAL reads, and
 * `POST /botframework.com/oauth2/v2.0/token`, which answers a client
 * credentials grant with `{ token_type: "Bearer", expires_in, access_token }`
 * and records each request in `tokenRequests`.
 */
import { execFileSync } from "node:child_process";
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { globalAgent, createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { loopbackUrl, startFake } from "./loopback.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import type { BotFrameworkConfig } from "../../adapters/botframework/config.ts";

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

/** A client credentials request to the fake login endpoint, its form fields as sent. */
export interface TokenRequest {
  readonly grantType: string | null;
  readonly clientId: string | null;
  readonly clientSecret: string | null;
  readonly scope: string | null;
}

/** A key and self-signed certificate for 127.0.0.1 (subjectAltName IP), from the openssl command. */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "kiosk-fake-login-"));
  try {
    const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "pipe" });
    return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  /** Every client credentials request to the login endpoint, in arrival order. */
  readonly tokenRequests: TokenRequest[] = [];
  /** The access token the login endpoint hands out; a fresh one for each request. */
  accessToken = "";
  /** The login endpoint's self-signed certificate (PEM), made on the first `loginUrl`. */
  #login: { server: Server; certificate: string } | undefined;
  /** The global agent's CAs before `appRegistration()` trusted the login endpoint; put back by `close()`. */
  #trusted: { ca: typeof globalAgent.options.ca } | undefined;

  private constructor(server: Server) {
    this.#server = server;
  }

  static start(): Promise<FakeConnector> {
    return startFake((server) => new FakeConnector(server), (fake, request, response) => fake.handle(request, response));
  }

  /** Starts the HTTPS login endpoint (an openssl call and a port), for the tests that send with an app id. */
  async startLogin(): Promise<void> {
    if (this.#login) return;
    const { key, cert } = selfSignedCertificate();
    const server = createHttpsServer({ key, cert });
    server.on("request", (request: IncomingMessage, response: ServerResponse) => this.serve(request, response, (req, res) => this.handleLogin(req, res)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.#login = { server, certificate: cert };
  }

  /**
   * An app registration this fake authenticates, for a server in production
   * mode (where Bot Framework needs an app id): a fresh app id (botbuilder
   * caches the bot's tokens per app id for the whole process), the fake's
   * signing keys and login endpoint. The login endpoint's certificate is
   * trusted in the global agent, as NODE_EXTRA_CA_CERTS would, until `close()`.
   * Activities then carry `channelToken({ aud: appId, serviceurl: url })`.
   */
  async appRegistration(): Promise<BotFrameworkConfig & { readonly appId: string }> {
    await this.startLogin();
    if (!this.#trusted) {
      this.#trusted = { ca: globalAgent.options.ca };
      globalAgent.options.ca = this.loginCertificate;
    }
    return {
      appId: randomUUID(),
      appPassword: "fake-client-secret-for-kiosk-tests-0001",
      appType: "MultiTenant",
      openIdMetadataUrl: this.openIdMetadataUrl,
      loginUrl: this.loginUrl,
    };
  }

  /** The authority to give as KIOSK_BOTFRAMEWORK_LOGIN_URL, like https://login.microsoftonline.com/botframework.com. */
  get loginUrl(): string {
    return `${this.#loginBase()}/botframework.com`;
  }

  /** The login endpoint's certificate, to trust as NODE_EXTRA_CA_CERTS would. */
  get loginCertificate(): string {
    if (!this.#login) throw new Error("FakeConnector: call startLogin() first");
    return this.#login.certificate;
  }

  #loginBase(): string {
    if (!this.#login) throw new Error("FakeConnector: call startLogin() first");
    const { port } = this.#login.server.address() as AddressInfo;
    return `https://127.0.0.1:${port}`;
  }

  private serve(request: IncomingMessage, response: ServerResponse, handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>): void {
    handler(request, response).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  }

  /** The serviceUrl to put in activities, with the trailing slash channels send. */
  get url(): string {
    return `${loopbackUrl(this.#server)}/`;
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

  async close(): Promise<void> {
    if (this.#trusted) {
      globalAgent.options.ca = this.#trusted.ca;
      this.#trusted = undefined;
    }
    const servers = [this.#server, ...(this.#login ? [this.#login.server] : [])];
    await Promise.all(
      servers.map((server) => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      }),
    );
  }

  /**
   * Microsoft's login endpoint as MSAL uses it for a client credentials grant:
   * the authority's OpenID configuration, then a form POST to its token endpoint.
   */
  private async handleLogin(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      response.end(JSON.stringify(body));
    };
    const base = this.#loginBase();
    const url = new URL(request.url ?? "/", base);
    if (request.method === "GET" && url.pathname === "/botframework.com/v2.0/.well-known/openid-configuration") {
      return send(200, {
        issuer: `${base}/botframework.com/v2.0`,
        authorization_endpoint: `${base}/botframework.com/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/botframework.com/oauth2/v2.0/token`,
        jwks_uri: `${base}/botframework.com/discovery/v2.0/keys`,
        end_session_endpoint: `${base}/botframework.com/oauth2/v2.0/logout`,
        response_types_supported: ["code", "id_token", "token"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (request.method === "POST" && url.pathname === "/botframework.com/oauth2/v2.0/token") {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      this.tokenRequests.push({ grantType: form.get("grant_type"), clientId: form.get("client_id"), clientSecret: form.get("client_secret"), scope: form.get("scope") });
      this.accessToken = `fake-access-token-${randomUUID()}`;
      return send(200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: this.accessToken });
    }
    return send(404, { error: "not_found", error_description: `no route ${request.method ?? ""} ${url.pathname}` });
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

/**
 * Call at the top of a describe: starts a fake connector before each test,
 * hands it to `take`, and closes it after the test.
 *
 * @example
 * let fake: FakeConnector;
 * useFakeConnector((started) => (fake = started));
 */
export function useFakeConnector(take: (fake: FakeConnector) => void): void {
  let current: FakeConnector | undefined;
  beforeEach(async () => {
    current = await FakeConnector.start();
    take(current);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
}
