/**
 * What the Bot Framework's own payloads showed (issue 13, part 5), one test
 * per finding: activities shaped as the Activity spec, Web Chat and Teams
 * send them (Adaptive Card Action.Submit data, Universal Actions'
 * `adaptiveCard/action` invoke), posted to /api/messages of a real server;
 * replies captured at a fake connector service the serviceUrl points at.
 */
import { describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./test-server.ts";
import { useFakeConnector, type ConnectorCall, type FakeConnector } from "./fakes/botframework-connector.ts";
import { useHarness } from "./helpers.ts";

const BOT_ACCOUNT = { id: "kiosk-bot-id", name: "Kiosk", role: "bot" };

interface Sent {
  readonly text?: string;
  readonly replyToId?: string;
  readonly suggestedActions?: { actions: Array<{ title: string }> };
}

/** One customer: one conversation of one channel, posting activities as its channel does. */
class Conversation {
  #next = 0;
  constructor(
    readonly server: TestServer,
    readonly fake: FakeConnector,
    readonly id: string,
    readonly channelId = "emulator",
  ) {}

  activity(fields: Record<string, unknown>, id = `${this.id}-act${++this.#next}`): Record<string, unknown> {
    return {
      type: "message",
      id,
      timestamp: new Date().toISOString(),
      channelId: this.channelId,
      serviceUrl: this.fake.url,
      from: { id: `${this.id}-user`, name: "Alice", role: "user" },
      conversation: { id: this.id },
      recipient: BOT_ACCOUNT,
      locale: "en-US",
      ...fields,
    };
  }

  /** Posts an activity; the turn is committed by the answer, then the outbox is left to drain. */
  async post(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const { status, body } = await this.server.request("POST", "/api/messages", activity);
    await this.settle();
    return { status, body };
  }

  async settle(timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.server.store.pendingOutbox(new Date(Date.now() + 3_600_000), 1)).length > 0) {
      if (Date.now() > deadline) throw new Error(`the outbox still holds messages after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  calls(): ConnectorCall[] {
    return this.fake.accepted(this.id);
  }

  replies(): Sent[] {
    return this.calls().map((c) => c.activity as Sent);
  }

  texts(): string[] {
    return this.replies().flatMap((r) => (r.text === undefined ? [] : [r.text]));
  }
}

describe("Bot Framework: what the platform's payloads showed", () => {
  const harness = useHarness();
  let fake: FakeConnector;
  useFakeConnector((started) => (fake = started));

  it("replies carry replyToId, the id of the customer's activity they answer, and go to that activity's reply route; a welcome answers none", async () => {
    const server = await startTestServer(harness);
    const alice = new Conversation(server, fake, "alice-conv|livechat");
    await alice.post(alice.activity({ type: "conversationUpdate", membersAdded: [{ id: "alice-conv|livechat-user", name: "Alice" }] }, "join-1"));
    const welcome = alice.calls();
    expect(welcome.length).toBeGreaterThan(0);
    for (const call of welcome) {
      expect(call.replyToId).toBeUndefined();
      expect((call.activity as Sent).replyToId).toBeUndefined();
    }
    await alice.post(alice.activity({ text: "Pastries" }, "msg-7"));
    const replies = alice.calls().slice(welcome.length);
    expect(replies.length).toBeGreaterThan(0);
    for (const call of replies) {
      expect(call.replyToId).toBe("msg-7");
      expect(call.path).toBe("/v3/conversations/alice-conv%7Clivechat/activities/msg-7");
      expect((call.activity as Sent).replyToId).toBe("msg-7");
    }
  });

  it("dedupes an activity id per conversation: the same id in two conversations is two activities, the same id again in one is dropped", async () => {
    const server = await startTestServer(harness);
    const alice = new Conversation(server, fake, "conv-alice");
    const bob = new Conversation(server, fake, "conv-bob");
    // Activity ids are unique within a conversation only (Direct Line numbers them per conversation: "<conversation>|0000001").
    await alice.post(alice.activity({ text: "/start" }, "0000001"));
    await bob.post(bob.activity({ text: "/start" }, "0000001"));
    expect(alice.texts()[0]).toBe("Welcome to Café Lumière! ☕");
    expect(bob.texts()[0]).toBe("Welcome to Café Lumière! ☕");
    const before = bob.calls().length;
    await bob.post(bob.activity({ text: "/start" }, "0000001"));
    expect(bob.calls()).toHaveLength(before);
  });

  it("answers an Adaptive Card submit without a payload, and an attachment, and asks the step again", async () => {
    const server = await startTestServer(harness);
    const alice = new Conversation(server, fake, "conv-alice");
    await alice.post(alice.activity({ text: "/start" }));
    const prompt = alice.texts().at(-1);
    expect(prompt).toBe("What would you like? Pick a category, or just type what you want.");
    // Action.Submit of a card with an input and no `payload` in its data: `value` holds the inputs, there is no text.
    const before = alice.texts().length;
    expect((await alice.post(alice.activity({ value: { size: "M" } }))).status).toBe(200);
    expect(alice.texts().slice(before)).toEqual(["Sorry, I didn't get that.", prompt]);
    expect(alice.replies().at(-1)?.suggestedActions?.actions.map((a) => a.title)).toEqual(expect.arrayContaining(["Pastries"]));
    // A picture sent in Web Chat: an attachment, no text.
    const picture = alice.texts().length;
    await alice.post(alice.activity({ attachments: [{ contentType: "image/png", contentUrl: "https://webchat.botframework.com/attachments/x/0", name: "photo.png" }] }));
    expect(alice.texts().slice(picture)).toEqual(["Sorry, I can only read text and buttons here. Please type your answer or tap a button.", prompt]);
  });

  it("answers an Action.Execute invoke (adaptiveCard/action) with an invoke response body, running the turn its data names", async () => {
    const server = await startTestServer(harness);
    const alice = new Conversation(server, fake, "a:1Xyz-teams", "msteams");
    await alice.post(alice.activity({ text: "/start" }));
    const execute = (data: Record<string, unknown>, verb?: string) =>
      alice.activity({ type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", id: "pick", ...(verb === undefined ? {} : { verb }), data }, trigger: "manual" } });

    const taken = await alice.post(execute({ payload: "category:pastries" }, "choose"));
    expect(taken).toEqual({ status: 200, body: { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: "Got it." } });
    expect(alice.texts().at(-1)).toBe("Pastries");
    // Without a payload in its data, its verb is the payload; with neither, the step is asked again and the answer says so.
    const byVerb = await alice.post(execute({}, "back"));
    expect(byVerb.body).toMatchObject({ statusCode: 200, value: "Got it." });
    expect(alice.texts().at(-1)).toBe("What would you like? Pick a category, or just type what you want.");
    const before = alice.texts().length;
    const empty = await alice.post(execute({ note: "no choice" }));
    expect(empty).toEqual({ status: 200, body: { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: "Sorry, I didn't get that." } });
    expect(alice.texts().slice(before)).toEqual(["Sorry, I didn't get that.", "What would you like? Pick a category, or just type what you want."]);
  });
});
