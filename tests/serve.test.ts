import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/index.ts";
import { useHarness } from "./helpers.ts";

const ROOT = resolve(import.meta.dirname, "..");

/** Starts `kiosk serve` on port 0 and resolves once it printed its address. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; output: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [join(ROOT, "bin/kiosk.js"), "serve", ...args], {
    cwd: ROOT,
    env: { ...process.env, KIOSK_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exit = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`kiosk serve did not start:\n${out}`)), 15_000);
    const look = () => {
      const match = /Kiosk is running: emulator at (http:\/\/\S+)\/emulator/.exec(out);
      // The bots line is a write of its own: it may arrive in a later chunk.
      if (match?.[1] && /^bots: .*\n/m.test(out)) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout?.on("data", look);
    void exit.then(() => fail(new Error(`kiosk serve exited early:\n${out}`)));
  });
  return { child, url, output: () => out, exit };
}

async function post(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe("kiosk serve", () => {
  const harness = useHarness();

  /** A bots folder holding only the cafe, so bots being written elsewhere in bots/ do not matter here. */
  function botsDir(): string {
    const dir = join(harness.dir, "bots");
    mkdirSync(join(dir, "cafe"), { recursive: true });
    // ESM like the repository: the cafe's index.ts uses top-level await.
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(join(dir, "cafe", "index.ts"), `export { default } from ${JSON.stringify(pathToFileURL(join(ROOT, "bots/cafe/index.ts")).href)};\n`);
    return dir;
  }

  it("serves every bot, and on SIGTERM finishes the request in flight, delivers the pending payment and exits 0", async () => {
    const db = join(harness.db);
    // A slow payment that would take a minute: closing must deliver it, not drop it.
    const server = await serve(["--port", "0", "--db", db, "--bots", botsDir()], { KIOSK_SLOW_PAYMENT_MS: "60000" });
    harness.defer(() => server.child.kill("SIGKILL"));
    expect(server.output()).toContain("bots: cafe (Café Lumière)");

    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", bots: ["cafe"], db: "ok" });

    const events = `${server.url}/api/emulator/bots/cafe/customers/alice/events`;
    for (const text of ["/start", "croissant", "3", "no"]) expect((await post(events, { text })).status).toBe(200);
    expect((await post(events, { press: "Place order" })).status).toBe(200);
    expect(await post(events, { pay: "slow" })).toEqual({ status: 202, body: { messages: [], pending: true } });

    // A request whose body is still on its way when SIGTERM comes.
    const inFlight = new Promise<{ status: number; body: string; connection: string | undefined }>((done, fail) => {
      const req = request(`${events}`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => done({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }));
      });
      req.on("error", fail);
      req.flushHeaders();
      req.write('{"text":');
      setTimeout(() => {
        server.child.kill("SIGTERM");
        setTimeout(() => req.end('"my orders"}'), 300);
      }, 200);
    });
    const answered = await inFlight;
    expect(answered.status, answered.body).toBe(200);
    // Told to hang up, so a kept-alive connection does not hold the shutdown open.
    expect(answered.connection).toBe("close");
    expect(JSON.parse(answered.body)).toMatchObject({ messages: expect.arrayContaining([expect.objectContaining({ to: "alice" })]) });

    expect(await server.exit).toBe(0);
    expect(server.output()).toContain("Kiosk stopped");

    const store = openSqliteStore({ file: db });
    try {
      expect((await store.listOrders({ botId: "cafe" })).map((o) => o.status)).toEqual(["paid"]);
      const outbox = await store.conversationOutbox({ botId: "cafe", channel: "emulator", userId: "alice" });
      // The in-flight turn was saved, and every message was sent before the store closed.
      expect(outbox.some((r) => /Paid, thank you/.test(r.message.text ?? ""))).toBe(true);
      expect(outbox.every((r) => r.sentAt !== null)).toBe(true);
    } finally {
      await store.close();
    }
  }, 60_000); // a server process and its graceful shutdown: slow on a loaded machine

  it("refuses a bad setting with a message naming it, exit 2", async () => {
    const child = spawn(process.execPath, [join(ROOT, "bin/kiosk.js"), "serve", "--bots", botsDir()], {
      cwd: ROOT,
      env: { ...process.env, KIOSK_PORT: "abc" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((done) => child.on("exit", done));
    expect(code).toBe(2);
    expect(err).toContain("KIOSK_PORT must be an integer 0–65535, got 'abc'");
  });

  it("refuses to start with a one-character secret, naming the variable and never the value, exit 2", async () => {
    const child = spawn(process.execPath, [join(ROOT, "bin/kiosk.js"), "serve", "--bots", botsDir()], {
      cwd: ROOT,
      env: { ...process.env, KIOSK_TELEGRAM_SECRET: "Q", KIOSK_META_VERIFY_TOKEN: "verify-me-Z" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((done) => child.on("exit", done));
    expect(code).toBe(2);
    expect(err).toContain("KIOSK_TELEGRAM_SECRET is 1 character; a secret must be at least 16 characters");
    expect(err).toContain("KIOSK_META_VERIFY_TOKEN is 11 characters; a secret must be at least 16 characters");
    expect(err).not.toContain("verify-me-Z");
  });
});
