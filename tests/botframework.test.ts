/**
 * Bot Framework end to end: activities shaped as the Bot Framework Emulator
 * and the Bot Framework Service send them, posted to /api/messages of a real
 * server over HTTP; replies captured at a fake connector service that the
 * activities' serviceUrl points at; the SQLite store checked after. The
 * endpoint's authentication is in botframework-auth.test.ts.
 */
import { describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import salon from "../bots/salon/index.ts";
import { TEST_CLOCK_START } from "./test-server.ts";
import { FakeCheckoutApi } from "./fakes/checkout-api.ts";
import { useFakeConnector, type FakeConnector } from "./fakes/botframework-connector.ts";
import { orderCroissants, useHarness } from "./helpers.ts";
import { BOT_ACCOUNT, startBotFramework } from "./botframework-harness.ts";

describe("Bot Framework: /api/messages", () => {
  const harness = useHarness();
  let fake: FakeConnector;
  useFakeConnector((started) => (fake = started));

  it("takes a cafe order: replies at the connector to the URL-encoded conversation, suggested actions, a carousel of hero cards, an invoice card", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    await orderCroissants(alice);

    const [order] = await bf.server.store.listOrders({ botId: "cafe" });
    expect(order).toMatchObject({ id: "1", channel: "botframework", userId: "emulator:alice-conv-0001|livechat", status: "awaiting_payment", total: 360 });
    // Every reply went to the conversation of the activity's serviceUrl, as a reply to the customer's activity, without a token (auth off).
    const calls = alice.calls();
    expect(calls.length).toBeGreaterThan(5);
    for (const call of calls) {
      expect(call.replyToId).toMatch(/^act\d+$/);
      expect(call).toMatchObject({ conversationId: alice.conversationId, path: `/v3/conversations/alice-conv-0001%7Clivechat/activities/${call.replyToId}`, authorization: undefined });
      expect(call.activity).toMatchObject({ type: "message", replyToId: call.replyToId, recipient: { id: alice.userId }, from: { id: BOT_ACCOUNT.id } });
    }
    expect(alice.texts()[0]).toBe("Welcome to Café Lumière! ☕");
    expect(alice.action("Pastries")).toEqual({ type: "messageBack", title: "Pastries", text: "Pastries", displayText: "Pastries", value: { payload: "category:pastries" } });
    const pastries = alice.replies().find((r) => r.text === "Pastries");
    expect(pastries?.attachmentLayout).toBe("carousel");
    expect(pastries?.attachments?.map((a) => [a.contentType, a.content.title, a.content.text])).toEqual([
      ["application/vnd.microsoft.card.hero", "Croissant", "€1.80"],
      ["application/vnd.microsoft.card.hero", "Pain au chocolat", "€2.10"],
    ]);
    const last = alice.replies().at(-1);
    expect(last?.text).toBe("Order #1 is placed: €3.60. Please pay within 15 minutes to confirm it.");
    // No checkout configured: the invoice says so, with the order number.
    expect(last?.attachments).toEqual([
      {
        contentType: "application/vnd.microsoft.card.hero",
        content: { title: "Café Lumière order #1", subtitle: "€3.60", text: "Payment is not available on this channel. Your order number is 1." },
      },
    ]);
    expect(await bf.server.store.botFrameworkReference("cafe", alice.kioskId)).toMatchObject({ serviceUrl: fake.url, conversation: { id: alice.conversationId }, user: { id: alice.userId } });
  });

  it("welcomes a customer who joins (conversationUpdate), in their locale, and not when only the bot is added", async () => {
    const bf = await startBotFramework(harness, fake, {}, [cafe, salon]);
    const bea = bf.customer("bea", { bot: "salon", locale: "fr-FR" });
    const update = (members: Array<{ id: string; name: string }>) =>
      bea.activity({ type: "conversationUpdate", membersAdded: members, from: { id: bea.userId, name: "bea" } });

    await bea.expectOk(update([{ id: BOT_ACCOUNT.id, name: "Kiosk" }]));
    expect(bea.calls()).toHaveLength(0);
    expect(await bf.server.store.transaction((tx) => tx.loadConversation({ botId: "salon", channel: "botframework", userId: bea.kioskId }))).toBeUndefined();

    await bea.expectOk(update([{ id: bea.userId, name: "bea" }, { id: BOT_ACCOUNT.id, name: "Kiosk" }]));
    expect(bea.texts()[0]).toMatch(/^Bienvenue/);
    expect(bea.action("book").value).toEqual({ payload: "book" });
    // /api/messages without a bot is the first bot (cafe): the salon's customer got nothing from it.
    expect(await bf.server.store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: "botframework", userId: bea.kioskId }))).toBeUndefined();
  });

  it("reads a card button's submit (value) as a postback, also an Adaptive Card Action.Submit's data", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    await alice.send("/start");
    await alice.press("Pastries");
    // The hero card's "Add" button, pressed: { payload: "product:croissant" } comes back in `value`.
    expect(alice.action("Add")).toEqual({ type: "messageBack", title: "Add", text: "Add", displayText: "Add", value: { payload: "product:croissant" } });
    await alice.press("Add");
    expect(alice.texts().at(-1)).toMatch(/^How many/);
    await alice.send("1");
    await alice.press("No");
    // An Adaptive Card submit posts its data (with the card's inputs) as `value`, and may echo text; the payload wins.
    await alice.expectOk(alice.activity({ text: "ignored", value: { payload: "checkout", note: "extra input" } }));
    const [order] = await bf.server.store.listOrders({ botId: "cafe" });
    expect(order).toMatchObject({ status: "awaiting_payment", total: 180 });
  });

  it("on Teams, suggests imBack actions: the label comes back as typed text and picks the choice", async () => {
    const bf = await startBotFramework(harness, fake);
    const bob = bf.customer("bob");
    await bob.expectOk(bob.activity({ text: "/start", channelId: "msteams" }));
    expect(bob.action("Pastries")).toEqual({ type: "imBack", title: "Pastries", value: "Pastries" });
    await bob.expectOk(bob.activity({ text: "Pastries", channelId: "msteams" }));
    const listing = bob.replies().at(-1);
    expect(listing?.text).toBe("Pastries");
    // Card buttons stay messageBack, which Teams supports on cards.
    expect(listing?.attachments?.[0]?.content.buttons?.[0]).toMatchObject({ type: "messageBack", value: { payload: "product:croissant" } });
    expect(await bf.server.store.botFrameworkReference("cafe", `msteams:${bob.conversationId}`)).toMatchObject({ channelId: "msteams" });
  });

  it("handles a replayed activity (same id) once", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    await alice.send("/start", "same-activity-id");
    const after = alice.calls().length;
    expect(after).toBeGreaterThan(0);
    await alice.send("/start", "same-activity-id");
    await alice.send("/start", "same-activity-id");
    expect(alice.calls()).toHaveLength(after);
    // The same id from another channel is another activity.
    const other = alice.activity({ text: "/start", channelId: "webchat" }, "same-activity-id");
    await alice.expectOk(other);
    expect(fake.accepted(alice.conversationId).length).toBeGreaterThan(after);
  });


  it("pays a salon deposit through the hosted checkout link and delivers the receipt and the reminder proactively", async () => {
    const checkout = await FakeCheckoutApi.start();
    harness.defer(() => checkout.close());
    // Hosted checkout makes this production mode, where Bot Framework needs an app id: Bea is a Web Chat customer through the Bot Framework Service.
    const bf = await startBotFramework(
      harness,
      fake,
      {
        publicUrl: "https://shop.example",
        channels: { checkout: checkout.settings(), botframework: await fake.appRegistration() },
      },
      [cafe, salon],
      // Real time starts on a Monday at 06:00 in Paris whatever the hour the tests run at: the first slot (09:00) is 3 h away.
      { realTimeStart: TEST_CLOCK_START },
    );
    const bea = bf.customer("bea", { bot: "salon" });
    await bea.send("/start");
    await bea.press("book");
    await bea.press("service:haircut");
    await bea.press("resource:any");
    await bea.press(/^day:/);
    await bea.press(/^slot:/);
    await bea.send("yes");
    const [held] = await bf.server.store.listBookings({ botId: "salon" });
    expect(held).toMatchObject({ status: "held", channel: "botframework", userId: bea.kioskId });

    // The invoice is a card whose button opens the order's hosted checkout session.
    const invoice = bea.replies().at(-1)?.attachments?.at(-1);
    const pay = invoice?.content.buttons?.[0];
    expect(pay).toMatchObject({ type: "openUrl", title: expect.stringMatching(/^Pay €/) });
    const session = [...checkout.sessions.values()].find((x) => x.url === pay?.value);
    expect(session, `no checkout session has the url ${String(pay?.value)}`).toBeDefined();

    // The provider's webhook pays it: the receipt is sent to the kept conversation, with no activity from Bea.
    const before = bea.calls().length;
    const delivered = await checkout.deliver(`${bf.server.url}/checkout/webhook`, checkout.event("checkout.session.completed", checkout.paid(session?.id ?? "")));
    expect(delivered.status).toBe(200);
    await bf.settle();
    const [confirmed] = await bf.server.store.listBookings({ botId: "salon" });
    expect(confirmed).toMatchObject({ status: "confirmed", depositPaid: held?.deposit });
    expect(bea.texts().slice(before)).toEqual([expect.stringMatching(/^Booked! #1: Haircut with /), "Which mobile number can we reach you on if anything changes?"]);
    // Web Chat has no share button: the number is typed.
    const asked = bea.calls().length;
    await bea.send("+33 6 12 34 56 78");
    expect(bea.texts().slice(asked)).toEqual(["See you soon at Salon Lila!"]);

    // Two hours before the appointment the reminder goes out, proactively, to the same conversation.
    // Hosted checkout is a real channel: this runs in production mode, on real time (the test's), with the emulator off.
    const start = confirmed?.start.getTime() ?? 0;
    bf.server.clock.advance(start - 2 * 3_600_000 - bf.server.clock.now().getTime() + 60_000);
    expect(await bf.server.runtime.tick()).toBeGreaterThanOrEqual(1);
    await bf.settle();
    const reminders = bea.texts().filter((t) => t.startsWith("Reminder: Haircut with "));
    expect(reminders.length).toBeGreaterThanOrEqual(1);
    expect(bea.calls().at(-1)).toMatchObject({ conversationId: bea.conversationId, activity: { recipient: { id: bea.userId } } });
  });

  it("acknowledges activity types it does not handle, group conversations and empty messages, changing nothing", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    for (const activity of [
      alice.activity({ type: "typing" }),
      alice.activity({ type: "messageReaction", reactionsAdded: [{ type: "like" }] }),
      alice.activity({ type: "invoke", name: "signin/verifyState", value: { state: "123456" } }),
      alice.activity({ type: "event", name: "webchat/join" }),
      alice.activity({ type: "conversationUpdate", membersRemoved: [{ id: alice.userId }] }),
      alice.activity({ text: "/start", conversation: { id: "group-1", isGroup: true } }),
      // Teams' copy of a message's text, with no text: nothing the customer sent.
      alice.activity({ attachments: [{ contentType: "text/html", content: "<p></p>" }] }),
    ]) {
      await alice.expectOk(activity);
    }
    expect(fake.calls).toHaveLength(0);
    expect(await bf.server.store.listOrders({})).toHaveLength(0);
    expect(await bf.server.store.botFrameworkReference("cafe", alice.kioskId)).toBeUndefined();
  });

  it("answers 400 for a body that is not an activity, 404 for an unknown bot, and 403 for a non-loopback serviceUrl without an app id", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    expect((await bf.post({ hello: "world" })).status).toBe(400);
    expect((await bf.post([1, 2])).status).toBe(400);
    expect((await bf.post(alice.activity({ text: "hi" }), { path: "/api/messages/nobody" })).status).toBe(404);
    const elsewhere = await bf.post(alice.activity({ text: "hi", serviceUrl: "https://attacker.example/" }));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.text).toContain("KIOSK_MS_APP_ID");
    expect(await bf.server.store.botFrameworkReference("cafe", alice.kioskId)).toBeUndefined();
    expect(fake.calls).toHaveLength(0);
  });

  it("retries a send the connector failed with 500 or 429, and gives up on one refused with 403", async () => {
    const bf = await startBotFramework(harness, fake);
    const alice = bf.customer("alice");
    fake.fail({ times: 1, status: 500 });
    await alice.send("/start");
    expect(fake.calls.map((c) => c.status).slice(0, 2)).toEqual([500, 200]);
    expect(alice.texts()[0]).toBe("Welcome to Café Lumière! ☕");
    const address = { botId: "cafe", channel: "botframework", userId: alice.kioskId };
    // The outbox did the retrying (botbuilder's HTTP pipeline did not retry behind its back).
    const [first] = await bf.server.store.conversationOutbox(address);
    expect(first?.attempts).toBe(2);

    const sent = alice.calls().length;
    fake.fail({ times: 1, status: 429, retryAfter: 1 });
    await alice.send("menu");
    expect(alice.calls().length).toBeGreaterThan(sent);
    expect(fake.calls.filter((c) => c.status === 429)).toHaveLength(1);
    // Both the 500 and the 429 were retried by the outbox: those rows took two attempts.
    expect((await bf.server.store.conversationOutbox(address)).filter((row) => row.attempts === 2)).toHaveLength(2);

    fake.fail({ times: 1, status: 403 });
    const calls = fake.calls.length;
    await alice.send("help");
    const outbox = await bf.server.store.conversationOutbox({ botId: "cafe", channel: "botframework", userId: alice.kioskId }, { newest: true, limit: 5 });
    const refused = outbox.filter((row) => row.lastError?.includes("403"));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ sentAt: null, nextAttemptAt: null });
    expect(fake.calls.slice(calls).filter((c) => c.status === 403)).toHaveLength(1);
  });
});
