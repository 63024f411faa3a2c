/** What an admin API key may do: `read` lists and exports; `write` also changes (and reads). */
export type ApiKeyScope = "read" | "write";

/** A key as the store keeps it: never the key itself, only its hash. */
export interface ApiKeyRow {
  readonly id: number;
  readonly botId: string;
  readonly scope: ApiKeyScope;
  readonly label: string | null;
  readonly createdAt: Date;
  /** When it was revoked; null while it works. */
  readonly revokedAt: Date | null;
}

/** A key to record: its hash (see `apiKeyHash`), never the key. */
export interface NewApiKey {
  readonly botId: string;
  readonly scope: ApiKeyScope;
  readonly hash: string;
  readonly label?: string;
  readonly at: Date;
}

/** Admin API keys: created by `kiosk keys create`, looked up by hash on each request, revoked for good. */
export interface ApiKeyStore {
  createApiKey(key: NewApiKey): Promise<ApiKeyRow>;
  /** The key with this hash, revoked or not, or undefined. */
  apiKeyByHash(hash: string): Promise<ApiKeyRow | undefined>;
  /** Keys by id, of one bot when `botId` is given. */
  listApiKeys(filter: { readonly botId?: string }): Promise<ApiKeyRow[]>;
  /** Revokes a key; false when there is no such key or it was revoked before (its revocation time is kept). */
  revokeApiKey(id: number, at: Date): Promise<boolean>;
}
