import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const require = createRequire(import.meta.url);

// Plain JS run in a worker thread with its own connection to the file.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 5000");
const checkpoint = () => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch { /* busy: the next tick tries again */ }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "close") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage("closed");
});
`;

/**
 * Moves WAL checkpoints (page copies and fsyncs) off the turn's thread: a
 * worker checkpoints passively every `intervalMs`, so no turn pays for one.
 * The main connection keeps a large autocheckpoint only as a backstop.
 */
export class Checkpointer {
  readonly #worker: Worker;
  #closed: Promise<void> | undefined;

  constructor(file: string, intervalMs = 250) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, intervalMs, driver: require.resolve("better-sqlite3") },
    });
    this.#worker.unref();
    // A worker that cannot open the file only loses its checkpoints; the main
    // connection's autocheckpoint still bounds the WAL, so this is no crash.
    this.#worker.on("error", () => undefined);
  }

  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      const done = () => {
        void this.#worker.terminate().then(() => resolve());
      };
      this.#worker.once("message", done);
      this.#worker.once("error", done);
      this.#worker.postMessage("close");
    });
    return this.#closed;
  }
}
