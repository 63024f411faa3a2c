import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useHarness } from "../tests/helpers.ts";
import { apiKeyHash, newApiKey, openSqliteStore } from "./index.ts";

const at = new Date("2027-01-04T08:00:00Z");

describe("admin API keys in the store", () => {
  const harness = useHarness();

  it("keeps only a key's hash, finds it by that hash, lists and revokes it once, across a reopen", async () => {
    const store = openSqliteStore({ file: harness.db });
    harness.defer(() => store.close());
    const read = newApiKey("cafe");
    const write = newApiKey("cafe");
    const salon = newApiKey("salon");
    expect(read.key).toMatch(/^kiosk_cafe_[A-Za-z0-9_-]{43}$/);
    expect(read.key).not.toBe(write.key);
    expect(read.hash).toBe(apiKeyHash(read.key));
    expect(read.hash).toMatch(/^[0-9a-f]{64}$/);

    const created = await store.createApiKey({ botId: "cafe", scope: "read", hash: read.hash, label: "accounting", at });
    await store.createApiKey({ botId: "cafe", scope: "write", hash: write.hash, at });
    await store.createApiKey({ botId: "salon", scope: "read", hash: salon.hash, at });
    expect(created).toEqual({ id: 1, botId: "cafe", scope: "read", label: "accounting", createdAt: at, revokedAt: null });

    expect(await store.apiKeyByHash(apiKeyHash(read.key))).toEqual(created);
    expect(await store.apiKeyByHash(apiKeyHash(`${read.key}x`))).toBeUndefined();
    expect((await store.listApiKeys({ botId: "cafe" })).map((k) => [k.id, k.scope])).toEqual([
      [1, "read"],
      [2, "write"],
    ]);
    expect(await store.listApiKeys({})).toHaveLength(3);

    const later = new Date(at.getTime() + 60_000);
    expect(await store.revokeApiKey(1, later)).toBe(true);
    expect(await store.revokeApiKey(1, new Date(later.getTime() + 1))).toBe(false);
    expect(await store.revokeApiKey(99, later)).toBe(false);
    await store.close();

    const reopened = openSqliteStore({ file: harness.db });
    harness.defer(() => reopened.close());
    expect((await reopened.apiKeyByHash(read.hash))?.revokedAt).toEqual(later);
    expect((await reopened.apiKeyByHash(write.hash))?.revokedAt).toBeNull();
    await reopened.close();

    // The file holds hashes, never a key.
    const file = readFileSync(harness.db).toString("latin1") + readFileSync(`${harness.db}-wal`, { flag: "a+" }).toString("latin1");
    for (const key of [read.key, write.key, salon.key]) expect(file).not.toContain(key.slice("kiosk_cafe_".length));
    expect(file).toContain(read.hash);
  });
});
