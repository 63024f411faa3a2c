/**
 * A fake of Meta's Graph API for tests: real HTTP on 127.0.0.1, port 0. It
 * records every call and answers like the Messenger Send API
 * (`POST /{version}/me/messages` → `{ recipient_id, message_id }`) and the
 * WhatsApp Cloud API (`POST /{version}/{phone-number-id}/messages` →
 * `{ messaging_product, contacts, messages: [{ id }] }`), and can be told to
 * fail the next calls with a Graph error (`{ error: { message, type, code,
 * fbtrace_id } }`).
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { loopbackUrl, startFake } from "./loopback.ts";

export interface GraphCall {
  readonly version: string;
  /** "me" for Messenger, the phone number ID for WhatsApp. */
  readonly node: string;
  /** Messenger's access_token query parameter, or WhatsApp's bearer token. */
  readonly token: string | undefined;
  readonly body: Record<string, unknown>;
  readonly status: number;
  /** The message id answered, when accepted. */
  readonly messageId?: string;
}

interface Fault {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  remaining: number;
}

export class FakeGraphApi {
  readonly calls: GraphCall[] = [];
  /**
   * A slow platform: each accepted message send is recorded (delivered) at
   * once and answered this many ms later. Sender actions are answered at once.
   */
  answerAfterMs = 0;
  readonly #server: Server;
  readonly #faults: Fault[] = [];
  #next = 1;
  /** While set, accepted message sends are recorded but answered only once it resolves (see `hold`). */
  #held: Promise<void> | undefined;

  private constructor(server: Server) {
    this.#server = server;
  }

  static start(): Promise<FakeGraphApi> {
    return startFake((server) => new FakeGraphApi(server), (fake, request, response) => fake.handle(request, response));
  }

  get url(): string {
    return loopbackUrl(this.#server);
  }

  /** Accepted message sends (not sender actions), optionally to one recipient (PSID or wa_id). */
  sent(recipient?: string): GraphCall[] {
    return this.calls.filter((c) => c.status === 200 && c.body.sender_action === undefined && (recipient === undefined || recipientOf(c) === recipient));
  }

  /**
   * Fails the next `times` calls: 400 with code 100 by default, or as told
   * (e.g. 429 / 613 for a rate limit, 500 / 2 for a temporary failure).
   */
  fail(options: { times: number; status?: number; code?: number; message?: string }): void {
    this.#faults.push({ status: options.status ?? 400, code: options.code ?? 100, message: options.message ?? "(#100) Invalid parameter", remaining: options.times });
  }

  /** Answers no message send until the returned function is called (each is still recorded as it arrives). */
  hold(): () => void {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    this.#held = held;
    return () => {
      if (this.#held === held) this.#held = undefined;
      release();
    };
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? "/", "http://fake");
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(url.pathname);
    if (request.method !== "POST" || !match) return send(404, { error: { message: "Unknown path components", type: "OAuthException", code: 2500, fbtrace_id: "Afake" } });
    const [, version = "", node = ""] = match;
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const token = url.searchParams.get("access_token") ?? bearer;
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return send(400, { error: { message: "(#100) The parameter body is not valid JSON", type: "OAuthException", code: 100, fbtrace_id: "Afake" } });
    }
    if (token === undefined) return send(400, { error: { message: "An active access token must be used", type: "OAuthException", code: 2500, fbtrace_id: "Afake" } });
    const fault = this.#faults.find((f) => f.remaining > 0);
    if (fault) {
      fault.remaining -= 1;
      this.calls.push({ version, node, token, body, status: fault.status });
      return send(fault.status, { error: { message: fault.message, type: "OAuthException", code: fault.code, fbtrace_id: "Afake" } });
    }
    if (node === "me") {
      const recipient = String((body.recipient as { id?: unknown } | undefined)?.id ?? "");
      if (body.sender_action !== undefined) {
        this.calls.push({ version, node, token, body, status: 200 });
        return send(200, { recipient_id: recipient });
      }
      const messageId = `m_fake${this.#next++}`;
      this.calls.push({ version, node, token, body, status: 200, messageId });
      await this.#slowly();
      return send(200, { recipient_id: recipient, message_id: messageId });
    }
    const to = String(body.to ?? "");
    const messageId = `wamid.FAKE${String(this.#next++).padStart(6, "0")}`;
    this.calls.push({ version, node, token, body, status: 200, messageId });
    return send(200, { messaging_product: "whatsapp", contacts: [{ input: to, wa_id: to }], messages: [{ id: messageId }] });
  }

  /** Waits as a slow platform would before answering a message send. */
  async #slowly(): Promise<void> {
    await this.#held;
    if (this.answerAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, this.answerAfterMs));
  }
}

function recipientOf(call: GraphCall): string {
  return call.node === "me" ? String((call.body.recipient as { id?: unknown } | undefined)?.id ?? "") : String(call.body.to ?? "");
}

/** The test WhatsApp Business Account the webhook bodies below come from. */
export const WHATSAPP_BUSINESS_ACCOUNT_ID = "102290129340398";

/** A WhatsApp Cloud API webhook body, its metadata typed so a test may change it. */
export interface WhatsAppWebhookBody {
  readonly object: "whatsapp_business_account";
  readonly entry: Array<{
    readonly id: string;
    readonly changes: Array<{
      readonly field: "messages";
      readonly value: { readonly messaging_product: "whatsapp"; readonly metadata: { display_phone_number: string; phone_number_id: string }; readonly [key: string]: unknown };
    }>;
  }>;
}

/**
 * A WhatsApp Cloud API webhook body as Meta posts it: one `messages` change
 * whose `value` (contacts, messages or statuses) sits beside the metadata of
 * the business number `phoneNumberId`.
 */
export function whatsappWebhook(phoneNumberId: string, value: Record<string, unknown>): WhatsAppWebhookBody {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: WHATSAPP_BUSINESS_ACCOUNT_ID,
        changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId }, ...value } }],
      },
    ],
  };
}
