/**
 * For Messenger's and WhatsApp's end-to-end tests: a real server (cafe bot,
 * SQLite file) with one Graph channel set up against a fake Graph API,
 * hosted checkout on a fake checkout API, and webhook bodies posted signed
 * as Meta signs them.
 */
import { expect } from "vitest";
import { hubSignature } from "../adapters/graph/index.ts";
import type { Channel } from "../adapters/channel.ts";
import { settingsOf } from "../adapters/registry.ts";
import { resolveConfig } from "../server/config.ts";
import { FakeCheckoutApi } from "./fakes/checkout-api.ts";
import { FakeGraphApi, type GraphCall } from "./fakes/graph-api.ts";
import { settleOutbox, type Harness } from "./helpers.ts";
import { startTestServer, type TestServer } from "./test-server.ts";


/** A server with a Graph channel, and the fakes it calls. */
export interface GraphSetup {
  readonly server: TestServer;
  readonly graph: FakeGraphApi;
  readonly checkout: FakeCheckoutApi;
}

/**
 * Starts the fakes and a server whose `channel` reads `env` (the app
 * secret, verify token and the channel's bots) with KIOSK_GRAPH_API_BASE
 * pointing at the fake Graph API. Hosted checkout runs (public URL
 * https://shop.example) unless `checkout` is false; all close after the test.
 */
export async function startGraphServer<Settings>(
  harness: Harness,
  options: { readonly channel: Channel<Settings>; readonly env: Readonly<Record<string, string>>; readonly checkout?: boolean },
): Promise<GraphSetup> {
  const graph = await FakeGraphApi.start();
  harness.defer(() => graph.close());
  const checkout = await FakeCheckoutApi.start();
  harness.defer(() => checkout.close());
  const settings = settingsOf(resolveConfig({ env: { KIOSK_GRAPH_API_BASE: graph.url, ...options.env } }), options.channel);
  const withCheckout = options.checkout !== false;
  const server = await startTestServer(harness, {
    ...(withCheckout ? { publicUrl: "https://shop.example" } : {}),
    channels: { ...(settings ? { [options.channel.name]: settings } : {}), ...(withCheckout ? { checkout: checkout.settings() } : {}) },
  });
  return { server, graph, checkout };
}

/** How a test posts a webhook: `raw` is sent instead of the body's JSON; `signature` replaces the right one (null: no header). */
export interface SignedPostOptions {
  readonly raw?: string;
  readonly signature?: string | null;
}

/** POSTs a webhook body to `url` signed with `appSecret` (X-Hub-Signature-256), or as `options` say; the answer's status and text. */
export async function postSigned(url: string, appSecret: string, body: unknown, options: SignedPostOptions = {}): Promise<{ status: number; text: string }> {
  const raw = options.raw ?? JSON.stringify(body);
  const signature = options.signature === undefined ? hubSignature(raw, appSecret) : options.signature;
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature === null ? {} : { "x-hub-signature-256": signature }) },
    body: raw,
  });
  return { status: response.status, text: await response.text() };
}

/** Waits until the outbox has sent (or given up on) every message due now. */
export const settle = (server: TestServer): Promise<void> => settleOutbox(server);

/**
 * A customer on a Graph channel: what Meta accepted for them, and their
 * messages delivered as the channel's signed webhook, each answered 200
 * and its replies sent before `deliver` returns.
 */
export abstract class GraphCustomer {
  constructor(
    readonly s: GraphSetup,
    /** Their id on the channel: a PSID, a WhatsApp id. */
    readonly userId: string,
  ) {}

  /** The message sends Meta accepted for this customer. */
  calls(): GraphCall[] {
    return this.s.graph.sent(this.userId);
  }

  /** Posts the webhook that carries one message of this customer; the answer. */
  protected abstract post(message: Record<string, unknown>): Promise<{ status: number; text: string }>;

  async deliver(message: Record<string, unknown>): Promise<void> {
    const res = await this.post(message);
    expect(res.status, res.text).toBe(200);
    await settle(this.s.server);
  }
}
