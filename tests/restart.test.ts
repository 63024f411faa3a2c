import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { ChannelSender, Envelope, OutboundMessage } from "../core/index.ts";
import cafe, { order } from "../bots/cafe/index.ts";
import { defineBot } from "../flows/index.ts";
import { ManualClock } from "../jobs/index.ts";
import { Runtime } from "../jobs/runtime.ts";
import { openSqliteStore } from "../store/index.ts";
import { CROISSANT_STOCK, T0, conversationOf, labelsOf, placeCroissantOrder, say, textsOf, useHarness } from "./helpers.ts";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const nextTurnScript = fileURLToPath(new URL("./fixtures/next-turn.ts", import.meta.url));

const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe("restart", () => {
  const harness = useHarness();

  it("continues a conversation mid-order after the emulator is reopened on the same file", async () => {
    const first = await harness.open();
    await say(first.customer("alice"), "/start", "latte");
    const saved = await conversationOf(first, "alice");
    expect(saved).toMatchObject({ stepId: "quantity", version: 2 });
    await first.close();

    const second = await harness.open({ clock: minutes(5) });
    const sizes = await second.customer("alice").send("2");
    expect(textsOf(sizes)).toEqual(["Which size for your Latte?"]);
    expect(labelsOf(sizes.at(-1) ?? {})).toEqual(["S (−€0.30)", "M", "L (+€0.50)"]);
    expect(await conversationOf(second, "alice")).toMatchObject({ stepId: "options", version: 3 });
  });

  it("continues the conversation in another process, then back here", async () => {
    const first = await harness.open();
    await say(first.customer("alice"), "/start", "latte", "2");
    await first.close();

    const { stdout } = await run(process.execPath, ["--import", "tsx", nextTurnScript, harness.db, minutes(1).toISOString(), "alice", "M"], {
      cwd: repoRoot,
    });
    const replies = JSON.parse(stdout) as OutboundMessage[];
    expect(textsOf(replies)).toEqual(["Added 2 × Latte (M) — €6.40. Cart total: €6.40.", "Anything else?"]);

    const third = await harness.open({ clock: minutes(2) });
    expect(await conversationOf(third, "alice")).toMatchObject({ stepId: "more", version: 4, data: { cart: [{ productId: "latte", quantity: 2 }] } });
    expect(textsOf(await third.customer("alice").send("no"))).toEqual(["Your order:\n1. 2 × Latte (M) — €6.40\nTotal: €6.40"]);
  });

  it("fires an expiry that came due while the process was down, on start", async () => {
    const first = await harness.open();
    await placeCroissantOrder(first.customer("bob"), 5);
    expect(await first.stockLeft("croissant")).toBe(CROISSANT_STOCK - 5);
    await first.close();

    const second = await harness.open({ clock: minutes(16) });
    expect(textsOf(second.customer("bob").inbox)).toEqual(["Order #1 expired unpaid, and its items were released. Type menu to order again."]);
    expect((await second.orders())[0]?.status).toBe("expired");
    expect(await second.stockLeft("croissant")).toBe(CROISSANT_STOCK);
  });

  it("expires the order and starts over when a redeploy removed the flow the customer was in", async () => {
    const first = await harness.open();
    await placeCroissantOrder(first.customer("eve"), 2);
    await first.close();

    // The same bot, redeployed with its flow renamed: the conversation's flow is gone.
    const renamed = defineBot({ ...cafe.definition, flows: [{ ...order, id: "order-v2" }] });
    const second = await harness.open({ bot: renamed, clock: minutes(16) });
    expect(textsOf(second.customer("eve").inbox)).toEqual(["Order #1 expired unpaid, and its items were released. Type menu to order again."]);
    expect(await second.stockLeft("croissant")).toBe(CROISSANT_STOCK);

    const replies = await second.customer("eve").send("hello");
    expect(textsOf(replies)[0]).toBe("Welcome to Café Lumière! ☕");
    expect(await conversationOf(second, "eve")).toMatchObject({ flowId: "order-v2", stepId: "menu" });
  });

  it("keeps a timer that is not yet due across a restart, and fires it on time", async () => {
    const first = await harness.open();
    await placeCroissantOrder(first.customer("cleo"), 5);
    await first.close();

    const second = await harness.open({ clock: minutes(10) });
    expect(second.customer("cleo").inbox).toEqual([]);
    expect(await second.advance("PT4M")).toEqual([]);
    const fired = await second.advance("PT1M");
    expect(fired.map((e) => e.message.text)).toEqual(["Order #1 expired unpaid, and its items were released. Type menu to order again."]);
    expect(await second.stockLeft("croissant")).toBe(CROISSANT_STOCK);
  });
});

/** A channel whose platform fails the first `failures` sends. */
class FlakySender implements ChannelSender {
  readonly channel = "flaky";
  readonly attempts: Envelope[] = [];
  readonly delivered: Envelope[] = [];

  constructor(private failures: number) {}

  async send(envelope: Envelope): Promise<void> {
    this.attempts.push(envelope);
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("502 Bad Gateway from the platform");
    }
    this.delivered.push(envelope);
  }
}

describe("outbox", () => {
  const harness = useHarness();

  function openRuntime(sender: ChannelSender, clock: ManualClock): Runtime {
    const runtime = new Runtime({ store: openSqliteStore({ file: harness.db }), clock, bots: [cafe], senders: [sender] });
    harness.defer(() => runtime.close());
    return runtime;
  }

  const start = { key: "flaky:1", botId: "cafe", channel: "flaky", userId: "u1", input: { kind: "text", text: "/start" } } as const;
  const WELCOME = "Welcome to Café Lumière! ☕";
  const MENU = "What would you like? Pick a category, or just type what you want.";

  it("retries a message that failed to send, once the backoff has passed, and sends it once", async () => {
    const clock = new ManualClock(T0);
    const sender = new FlakySender(1);
    const runtime = openRuntime(sender, clock);
    await runtime.start();

    expect(await runtime.handle(start)).toMatchObject({ status: "handled", messages: 2 });
    expect(sender.attempts.map((e) => e.message.text)).toEqual([WELCOME]);
    // What follows a failed message waits behind it: the customer never reads them out of order.
    expect(sender.delivered).toEqual([]);

    await runtime.tick();
    expect(sender.delivered).toEqual([]);

    clock.advance(999);
    await runtime.tick();
    expect(sender.delivered).toEqual([]);

    clock.advance(1);
    await runtime.tick();
    expect(sender.delivered.map((e) => e.message.text)).toEqual([WELCOME, MENU]);

    clock.advance(60 * 60_000);
    await runtime.tick();
    expect(sender.delivered.map((e) => e.message.text)).toEqual([WELCOME, MENU]);
    expect(sender.attempts).toHaveLength(3);
  });

  it("sends a message that failed before a restart exactly once after it", async () => {
    const clock = new ManualClock(T0);
    const before = new FlakySender(1);
    const first = openRuntime(before, clock);
    await first.start();
    await first.handle(start);
    expect(before.delivered).toEqual([]);
    await first.close();

    const after = new FlakySender(0);
    const second = openRuntime(after, new ManualClock(minutes(1)));
    await second.start();
    expect(after.delivered.map((e) => [e.userId, e.message.text])).toEqual([
      ["u1", WELCOME],
      ["u1", MENU],
    ]);
    await second.tick();
    expect(after.delivered).toHaveLength(2);
    expect(before.delivered).toEqual([]);
  });
});
