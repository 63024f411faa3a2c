import { createHash } from "node:crypto";
import type { Store, TurnTx } from "../store/index.ts";
import { loadFlow, type LoadedBot, type LoadedFlow } from "./bot.ts";
import type { Flow } from "./ir.ts";

const keys = new WeakMap<Flow, { key: string; serializable: boolean }>();

function fingerprint(flow: Flow): { key: string; serializable: boolean } {
  let cached = keys.get(flow);
  if (!cached) {
    let serializable = true;
    // A TS text function is part of what the flow says: its source goes into the hash.
    const json = JSON.stringify(flow, (_key, value: unknown) => {
      if (typeof value !== "function") return value;
      serializable = false;
      return `fn:${String(value)}`;
    });
    const hash = createHash("sha256").update(json).digest("hex").slice(0, 12);
    cached = { key: `${flow.version}@${hash}`, serializable };
    keys.set(flow, cached);
  }
  return cached;
}

/**
 * The version a conversation records: the author's version plus a hash of
 * the flow's content, so an edited file is a new version even when its
 * author forgot to bump `version`.
 */
export function versionKey(flow: Flow): string {
  return fingerprint(flow).key;
}

function isFlow(value: unknown): value is Flow {
  return typeof value === "object" && value !== null && "id" in value && "version" in value && Array.isArray((value as { steps?: unknown }).steps);
}

/**
 * Keeps every version of a bot's flows that a conversation still uses. The
 * current versions are saved to the store at start (data-only flows; a flow
 * with TS text functions cannot be saved and lives only as long as the
 * process), and versions no conversation uses any more are dropped.
 */
export class FlowVersions {
  readonly #store: Store;
  readonly #loaded = new Map<string, LoadedFlow | null>();

  constructor(store: Store) {
    this.#store = store;
  }

  /** Saves the bot's current flow versions and prunes those nobody uses; returns how many were pruned. */
  async register(bot: LoadedBot, at: Date): Promise<number> {
    const current: Array<{ flowId: string; key: string }> = [];
    for (const { flow } of bot.flows.values()) {
      const { key, serializable } = fingerprint(flow);
      current.push({ flowId: flow.id, key });
      if (serializable) await this.#store.saveFlowVersion({ botId: bot.id, flowId: flow.id, key, flow, at });
    }
    return this.#store.pruneFlowVersions(bot.id, current);
  }

  /** The version `key` of a flow, from the bot when current, else from the turn's store; undefined when unknown. */
  async find(bot: LoadedBot, flowId: string, key: string, tx: Pick<TurnTx, "loadFlowVersion">): Promise<LoadedFlow | undefined> {
    const current = bot.flows.get(flowId);
    if (current && versionKey(current.flow) === key) return current;
    const cacheKey = `${bot.id}\u0000${flowId}\u0000${key}`;
    let loaded = this.#loaded.get(cacheKey);
    if (loaded === undefined) {
      const saved = await tx.loadFlowVersion(bot.id, flowId, key);
      loaded = isFlow(saved) ? loadFlow(saved) : null;
      // The parsed copy must answer to the key it was saved under, not a hash of itself.
      if (loaded) keys.set(loaded.flow, { key, serializable: true });
      this.#loaded.set(cacheKey, loaded);
    }
    return loaded ?? undefined;
  }
}
