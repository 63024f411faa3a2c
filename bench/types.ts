import type { DriveResult } from "./drive.ts";

export interface PeerOptions {
  dbFile: string;
  /** Conversations in the measured window. */
  conversations: number;
  /** Conversations in flight at once. */
  concurrency: number;
  /** Conversations run untimed first (JIT, caches); default a tenth of `conversations`, at most 500. */
  warmUp?: number;
}

export interface PeerResult extends DriveResult {
  name: string;
  orders: number;
  /** Orders read back from SQLite at the end whose total matches the script's expected total. */
  ordersCorrect: number;
  /** Conversation-state writes that reached SQLite, warm-up included (divide by every turn run). */
  stateWrites: number;
}
