/**
 * A Bot Framework test harness: a real server's /api/messages, posted
 * activities shaped as the Bot Framework Emulator and the Bot Framework
 * Service send them, and the replies captured at a fake connector service
 * (tests/fakes/botframework-connector.ts) that the activities' serviceUrl
 * points at.
 */
import { expect } from "vitest";
import cafe from "../bots/cafe/index.ts";
import type { LoadedBot } from "../flows/index.ts";
import type { OffsetClock } from "../jobs/index.ts";
import type { RunningServer } from "../server/serve.ts";
import { startTestServer, type TestOverrides } from "./test-server.ts";
import type { ConnectorCall, FakeConnector } from "./fakes/botframework-connector.ts";
import { settleOutbox, type Harness } from "./helpers.ts";

/** The bot's account, as the channel names it in the activities it sends. */
export const BOT_ACCOUNT = { id: "kiosk-bot-id", name: "Kiosk", role: "bot" };

interface CardAction {
  type: string;
  title: string;
  value: unknown;
}
interface Attachment {
  contentType: string;
  content: { title?: string; subtitle?: string; text?: string; buttons?: CardAction[] };
}
interface SentActivity {
  type: string;
  text?: string;
  attachments?: Attachment[];
  attachmentLayout?: string;
  suggestedActions?: { actions: CardAction[] };
  conversation?: { id: string };
  recipient?: { id: string };
}

/** The Bot Framework Service (or the Emulator) in front of one running server. */
export class BotFramework {
  #activity = 0;
  constructor(
    /** A test server, or any running server whose clock the test moves (a Telegram harness's). */
    readonly server: RunningServer & { readonly clock: OffsetClock },
    readonly fake: FakeConnector,
    /** The server's app id: its customers' activities carry the fake's channel token for it, as the Bot Framework Service sends them. */
    readonly appId?: string,
  ) {}

  /** Web Chat's channel through the Bot Framework Service with an app id; the Bot Framework Emulator's without. */
  get channelId(): string {
    return this.appId === undefined ? "emulator" : "webchat";
  }

  /** The Authorization header the Bot Framework Service would send (none without an app id). */
  authorization(): Record<string, string> {
    return this.appId === undefined ? {} : { authorization: `Bearer ${this.fake.channelToken({ aud: this.appId, serviceurl: this.fake.url })}` };
  }

  async post(activity: unknown, options: { path?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string }> {
    const response = await fetch(`${this.server.url}${options.path ?? "/api/messages"}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify(activity),
    });
    return { status: response.status, text: await response.text() };
  }

  nextId(): string {
    return `act${++this.#activity}`;
  }

  customer(name: string, options: { bot?: string; locale?: string } = {}): Customer {
    return new Customer(this, name, options.bot, options.locale ?? "en-US");
  }

  /** Waits until the outbox has sent (or given up on) every message. */
  async settle(timeoutMs = 8000): Promise<void> {
    await settleOutbox(this.server, timeoutMs);
  }
}

/** One customer: one conversation, posting activities and reading the replies the connector received. */
export class Customer {
  /** Like the Emulator's ids, with a character that must be URL-encoded in the connector's path. */
  readonly conversationId: string;
  readonly userId: string;
  constructor(
    readonly bf: BotFramework,
    readonly name: string,
    readonly bot: string | undefined,
    readonly locale: string,
  ) {
    this.conversationId = `${name}-conv-0001|livechat`;
    this.userId = `${name}-user-id`;
  }

  /** The customer id Kiosk keeps: channel and conversation. */
  get kioskId(): string {
    return `${this.bf.channelId}:${this.conversationId}`;
  }

  get path(): string {
    return this.bot === undefined ? "/api/messages" : `/api/messages/${this.bot}`;
  }

  activity(fields: Record<string, unknown>, id = this.bf.nextId()): Record<string, unknown> {
    return {
      type: "message",
      id,
      timestamp: new Date().toISOString(),
      localTimestamp: new Date().toISOString(),
      channelId: this.bf.channelId,
      serviceUrl: this.bf.fake.url,
      from: { id: this.userId, name: this.name, role: "user" },
      conversation: { id: this.conversationId },
      recipient: BOT_ACCOUNT,
      locale: this.locale,
      ...fields,
    };
  }

  async expectOk(activity: Record<string, unknown>): Promise<void> {
    const res = await this.bf.post(activity, { path: this.path, headers: this.bf.authorization() });
    expect(res.status, res.text).toBe(200);
    await this.bf.settle();
  }

  async send(text: string, id?: string): Promise<void> {
    await this.expectOk(this.activity({ text, textFormat: "plain" }, id));
  }

  calls(): ConnectorCall[] {
    return this.bf.fake.accepted(this.conversationId);
  }

  replies(): SentActivity[] {
    return this.calls().map((c) => c.activity as unknown as SentActivity);
  }

  texts(): string[] {
    return this.replies().flatMap((a) => (a.text === undefined ? [] : [a.text]));
  }

  /** The newest action (suggested, or a card's button) whose title or payload matches. */
  action(match: string | RegExp): CardAction {
    const payload = (a: CardAction) => (a.value as { payload?: string } | undefined)?.payload ?? "";
    const test = (a: CardAction) => (typeof match === "string" ? a.title === match || payload(a) === match : match.test(payload(a)));
    for (const reply of this.replies().reverse()) {
      const actions = [...(reply.suggestedActions?.actions ?? []), ...(reply.attachments ?? []).flatMap((a) => a.content.buttons ?? [])];
      const found = actions.find(test);
      if (found) return found;
    }
    throw new Error(`no action ${String(match)} for ${this.name}; texts: ${JSON.stringify(this.texts())}`);
  }

  /** Presses a button as Web Chat and the Emulator post a messageBack: its text and value, and the display text in channelData. */
  async press(match: string | RegExp): Promise<void> {
    const action = this.action(match) as CardAction & { text?: string; displayText?: string };
    expect(action.type).toBe("messageBack");
    await this.expectOk(this.activity({ text: action.text, value: action.value, channelData: { messageBack: { displayText: action.displayText } } }));
  }
}

/** Starts a test server with the given settings and bots, and the Bot Framework in front of it. */
export async function startBotFramework(
  harness: Harness,
  fake: FakeConnector,
  overrides: TestOverrides = {},
  bots: readonly LoadedBot[] = [cafe],
  options: { readonly realTimeStart?: Date } = {},
): Promise<BotFramework> {
  const server = await startTestServer(harness, overrides, bots, options);
  const registration = overrides.channels?.botframework as { readonly appId?: string } | undefined;
  return new BotFramework(server, fake, registration?.appId);
}
