/** The flow versions a turn reads: the IR a conversation started on, when the flow changed since. */
export interface FlowVersionTx {
  /** A kept flow version's IR (see Store.saveFlowVersion), or undefined. */
  loadFlowVersion(botId: string, flowId: string, key: string): Promise<unknown>;
}

/** Keeping and pruning flow versions. */
export interface FlowVersionStore {
  /** Keeps a flow version (IR as JSON); saving one already kept changes nothing. */
  saveFlowVersion(version: { botId: string; flowId: string; key: string; flow: unknown; at: Date }): Promise<void>;
  /** Drops the bot's versions that are neither in `current` nor used by any conversation; returns how many. */
  pruneFlowVersions(botId: string, current: ReadonlyArray<{ flowId: string; key: string }>): Promise<number>;
}
