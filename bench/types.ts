export interface PeerOptions {
  dbFile: string;
  conversations: number;
  concurrency: number;
}

export interface PeerResult {
  name: string;
  turns: number;
  elapsedMs: number;
  latenciesMs: number[];
  orders: number;
  /** Orders read back from SQLite at the end whose total matches the script's expected total. */
  ordersCorrect: number;
}
