import { afterEach, describe, expect, it, vi } from "vitest";
import { apiKeyHash, openSqliteStore } from "../store/index.ts";
import { captureStdio, useHarness } from "../tests/helpers.ts";
import { keysCommand } from "./keys.ts";

describe("kiosk keys", () => {
  const harness = useHarness();
  afterEach(() => vi.restoreAllMocks());

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = captureStdio();
    const code = await keysCommand([...args, "--db", harness.db]);
    vi.restoreAllMocks();
    return { code, out: io.out(), err: io.err() };
  }

  it("creates a key shown once, lists keys without them, and revokes one for good", async () => {
    const created = await run(["create", "--bot", "cafe", "--scope", "write", "--label", "stock sync"]);
    expect(created.code).toBe(0);
    const key = /^(kiosk_cafe_[A-Za-z0-9_-]{43})$/m.exec(created.out)?.[1];
    expect(created.out).toMatch(/^key #1 for bot cafe, scope write:\n/);
    if (key === undefined) throw new Error(`no key printed:\n${created.out}`);
    const read = await run(["create", "--bot", "salon", "--scope", "read", "--json"]);
    const readJson = JSON.parse(read.out) as { id: number; bot: string; scope: string; key: string };
    expect(readJson).toMatchObject({ id: 2, bot: "salon", scope: "read", revokedAt: null });

    // The store holds the key's hash, which finds it.
    const store = openSqliteStore({ file: harness.db });
    expect((await store.apiKeyByHash(apiKeyHash(key)))?.id).toBe(1);
    expect((await store.apiKeyByHash(apiKeyHash(readJson.key)))?.botId).toBe("salon");
    await store.close();

    const listed = await run(["list"]);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^#1\tcafe\twrite\tcreated \S+Z\tactive\tstock sync\n#2\tsalon\tread\tcreated \S+Z\tactive\n$/);
    expect(listed.out).not.toContain(key);
    const json = await run(["list", "--bot", "cafe", "--json"]);
    expect(JSON.parse(json.out)).toEqual([expect.objectContaining({ id: 1, bot: "cafe", scope: "write", label: "stock sync", revokedAt: null })]);
    expect(json.out).not.toContain("kiosk_");

    expect(await run(["revoke", "1"])).toMatchObject({ code: 0, out: "key #1 revoked\n" });
    expect((await run(["list", "--bot", "cafe"])).out).toMatch(/\trevoked \S+Z\tstock sync\n$/);
    expect((await run(["revoke", "1"])).err).toMatch(/^kiosk keys: key #1 was revoked already/);
    expect(await run(["revoke", "9"])).toMatchObject({ code: 1, err: "kiosk keys: no key #9; see kiosk keys list\n" });
  });

  it("refuses a missing bot or scope, and a bad id, with what to write", async () => {
    expect((await run(["create", "--bot", "cafe"])).err).toMatch(/^kiosk keys: create needs --scope read or --scope write\n/);
    expect((await run(["create", "--bot", "cafe", "--scope", "admin"])).err).toMatch(/got 'admin'/);
    expect((await run(["create", "--scope", "read"])).code).toBe(2);
    expect((await run(["revoke", "one"])).err).toMatch(/^kiosk keys: revoke needs one key id/);
    expect((await run(["rotate"])).err).toMatch(/^kiosk keys: unknown action 'rotate'/);
    expect((await run(["list"])).out).toBe("no keys\n");
  });
});
