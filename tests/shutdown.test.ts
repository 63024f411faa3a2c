/**
 * Shutdown through a real `kiosk serve` process: Messenger configured
 * against the fake Graph API, thousands of messages in the outbox, SIGTERM.
 * The process must exit 0 within its grace period, say how many messages it
 * left, leave exactly those unsent in the SQLite file, and send each message
 * once across the shutdown and the next start.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/index.ts";
import { FakeGraphApi } from "./fakes/graph-api.ts";
import { useHarness, type Harness } from "./helpers.ts";

const ROOT = resolve(import.meta.dirname, "..");
const customer = (n: number) => `psid-${1000 + n}`;
const address = (n: number) => ({ botId: "cafe", channel: "messenger", userId: customer(n) });

interface Served {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exit: Promise<number | null>;
}

/** Waits for `check`, looking every 10 ms; fails with `what` after `ms`. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !(await check()); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

/** Starts `kiosk serve` with the cafe bot on Messenger, answered by `graph`; resolves once it runs (its signal handlers are set). */
async function serve(harness: Harness, graph: FakeGraphApi, graceMs: number): Promise<Served> {
  const bots = join(harness.dir, "bots");
  mkdirSync(join(bots, "cafe"), { recursive: true });
  writeFileSync(join(bots, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(bots, "cafe", "index.ts"), `export { default } from ${JSON.stringify(pathToFileURL(join(ROOT, "bots/cafe/index.ts")).href)};\n`);
  const child = spawn(process.execPath, [join(ROOT, "bin/kiosk.js"), "serve", "--port", "0", "--db", harness.db, "--bots", bots], {
    cwd: harness.dir,
    env: {
      ...process.env,
      KIOSK_LOG_LEVEL: "info",
      KIOSK_SHUTDOWN_GRACE_MS: String(graceMs),
      KIOSK_GRAPH_API_BASE: graph.url,
      KIOSK_GRAPH_API_VERSION: "v21.0",
      KIOSK_META_APP_SECRET: "0123456789abcdef0123456789abcdef",
      KIOSK_META_VERIFY_TOKEN: "kiosk-verify-token-0123456789",
      KIOSK_MESSENGER_CAFE_PAGE_TOKEN: "EAAGtestPageAccessTokenForKioskTests0001",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exit = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  let exited = false;
  void exit.then(() => (exited = true));
  // The banner is written in the same synchronous step that sets the signal handlers.
  await until("kiosk serve to start", () => {
    if (exited) throw new Error(`kiosk serve exited early:\n${out}`);
    return /Kiosk is running/.test(out);
  });
  return { child, output: () => out, exit };
}

/** Writes `perCustomer` texts to each of `customers` Messenger customers who wrote a minute ago, as turns would. */
async function fillOutbox(file: string, customers: number, perCustomer: number): Promise<string[]> {
  const store = openSqliteStore({ file });
  const texts: string[] = [];
  try {
    const now = new Date();
    for (let n = 0; n < customers; n++) {
      await store.recordInbound(address(n), new Date(now.getTime() - 60_000));
      const mine = Array.from({ length: perCustomer }, (_, i) => `message ${i + 1} to customer ${n}`);
      texts.push(...mine);
      await store.transaction((tx) => tx.enqueue(address(n), mine.map((text) => ({ text })), now));
    }
  } finally {
    await store.close();
  }
  return texts;
}

/** The outbox as the SQLite file holds it: texts sent and texts not sent. */
async function outboxOf(file: string, customers: number): Promise<{ sent: string[]; unsent: string[]; unsentCount: number }> {
  const store = openSqliteStore({ file });
  try {
    const rows = [];
    for (let n = 0; n < customers; n++) rows.push(...(await store.conversationOutbox(address(n), { limit: 1000 })));
    return {
      sent: rows.filter((r) => r.sentAt !== null).map((r) => r.message.text ?? ""),
      unsent: rows.filter((r) => r.sentAt === null).map((r) => r.message.text ?? ""),
      unsentCount: await store.unsentOutboxCount(),
    };
  } finally {
    await store.close();
  }
}

/** What the fake Graph API took as message sends, by text. */
const delivered = (graph: FakeGraphApi) => graph.sent().map((c) => String((c.body.message as { text?: unknown }).text));

/** The number in "shutdown: N messages left in the outbox". */
function leftInLog(output: string): number | undefined {
  const match = /shutdown: (\d+) messages? left in the outbox/.exec(output);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

describe("kiosk serve on SIGTERM", () => {
  const harness = useHarness();

  it("sends what fits in the grace period, logs how many are left, exits 0, and the next start sends the rest, each message once", async () => {
    const graph = await FakeGraphApi.start();
    harness.defer(() => graph.close());
    // A slow platform: each message is answered 50 ms after it arrived.
    graph.answerAfterMs = 50;
    const first = await serve(harness, graph, 1000);
    harness.defer(() => first.child.kill("SIGKILL"));

    const texts = await fillOutbox(harness.db, 100, 20);
    await until("the outbox to be sending", () => delivered(graph).length >= 5);
    const signalled = Date.now();
    first.child.kill("SIGTERM");
    expect(await first.exit, first.output()).toBe(0);
    const took = Date.now() - signalled;
    // The grace period (1 s) and a few calls in flight, well before the kill timeout (8 s).
    expect(took, first.output()).toBeLessThan(5000);
    expect(first.output()).not.toContain("killed by timeout");

    const left = leftInLog(first.output());
    const after = await outboxOf(harness.db, 100);
    expect(left, first.output()).toBeGreaterThan(0);
    expect(left).toBe(after.unsent.length);
    expect(after.unsentCount).toBe(after.unsent.length);
    expect(after.sent.length + after.unsent.length).toBe(texts.length);
    expect(first.output()).toContain(`shutdown: ${left} messages left in the outbox; they are sent at the next start`);
    // What the platform got is exactly what the file says was sent: nothing twice, nothing sent but left unsent.
    expect(delivered(graph).sort()).toEqual([...after.sent].sort());

    // The next start, on a fast platform, sends the rest and nothing again.
    graph.answerAfterMs = 0;
    const second = await serve(harness, graph, 1000);
    harness.defer(() => second.child.kill("SIGKILL"));
    await until("the rest to be sent", () => delivered(graph).length >= texts.length);
    second.child.kill("SIGTERM");
    expect(await second.exit, second.output()).toBe(0);
    expect(leftInLog(second.output())).toBe(0);
    expect(delivered(graph).sort()).toEqual([...texts].sort());
    expect((await outboxOf(harness.db, 100)).unsent).toEqual([]);
  }, 90_000); // two server processes and thousands of sends: slow on a loaded machine

  it("sends everything before it exits when the grace period allows, and says none is left", async () => {
    const graph = await FakeGraphApi.start();
    harness.defer(() => graph.close());
    const release = graph.hold();
    const server = await serve(harness, graph, 30_000);
    harness.defer(() => server.child.kill("SIGKILL"));

    const texts = await fillOutbox(harness.db, 30, 10);
    // One message is on its way and the platform does not answer yet: the rest wait in the outbox.
    await until("the first send", () => delivered(graph).length === 1);
    server.child.kill("SIGTERM");
    await until("the shutdown to begin", () => /SIGTERM: closing/.test(server.output()));
    release();

    expect(await server.exit, server.output()).toBe(0);
    expect(server.output()).toContain("shutdown: 0 messages left in the outbox; every message was sent");
    expect(delivered(graph).sort()).toEqual([...texts].sort());
    const after = await outboxOf(harness.db, 30);
    expect(after.unsent).toEqual([]);
    expect(after.sent).toHaveLength(texts.length);
  }, 60_000);

  it("ends the grace period at a second signal: exits at once, with every message it sent recorded", async () => {
    const graph = await FakeGraphApi.start();
    harness.defer(() => graph.close());
    graph.answerAfterMs = 50;
    const server = await serve(harness, graph, 120_000);
    harness.defer(() => server.child.kill("SIGKILL"));

    const texts = await fillOutbox(harness.db, 50, 10);
    await until("the outbox to be sending", () => delivered(graph).length >= 5);
    server.child.kill("SIGTERM");
    await until("the shutdown to begin", () => /SIGTERM: closing/.test(server.output()));
    const second = Date.now();
    server.child.kill("SIGTERM");
    expect(await server.exit, server.output()).toBe(0);
    // Not the 120 s grace period.
    expect(Date.now() - second).toBeLessThan(5000);
    expect(server.output()).toContain("second SIGTERM: ending the grace period now");
    const left = leftInLog(server.output());
    const after = await outboxOf(harness.db, 50);
    expect(left).toBeGreaterThan(0);
    expect(left).toBe(after.unsent.length);
    expect(after.sent.length + after.unsent.length).toBe(texts.length);
    expect(delivered(graph).sort()).toEqual([...after.sent].sort());
  }, 60_000);
});
