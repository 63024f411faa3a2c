import { extname } from "node:path";
import type { LoadedBot } from "../../flows/index.ts";
import { OffsetClock, type Clock } from "../../jobs/index.ts";
import { Runtime } from "../../jobs/runtime.ts";
import { openSqliteStore, type Store } from "../../store/index.ts";
import { EmulatorSender } from "./sender.ts";
import { EmulatorService } from "./service.ts";

/** The sandbox's SQLite file beside the main one: data/kiosk.db → data/kiosk.emulator.db (no extension: + .emulator.db). */
export function sandboxDbPath(db: string): string {
  const ext = extname(db);
  return ext === "" ? `${db}.emulator.db` : `${db.slice(0, -ext.length)}.emulator${ext}`;
}

/**
 * The emulator's clock over `realTime`: at the offset the store saved (a
 * restart keeps the emulator's time), else starting at `startAt` (`--clock`)
 * or at real time. `resumed` says which.
 */
export async function openEmulatorClock(store: Store, realTime: Clock, startAt: Date | undefined): Promise<{ clock: OffsetClock; resumed: boolean }> {
  const saved = await store.emulatorClockOffset();
  if (saved !== undefined) return { clock: new OffsetClock(realTime, { offsetMs: saved }), resumed: true };
  const clock = new OffsetClock(realTime, startAt === undefined ? {} : { startAt });
  await store.saveEmulatorClockOffset(clock.offsetMs);
  return { clock, resumed: false };
}

export interface SandboxOptions {
  /** The sandbox's SQLite file (see `sandboxDbPath`). */
  readonly db: string;
  readonly bots: readonly LoadedBot[];
  /** Real time, that the sandbox's clock runs ahead of. */
  readonly realTime: Clock;
  readonly startAt: Date | undefined;
  readonly slowPaymentMs: number;
  readonly pollIntervalMs: number;
  readonly onError: (error: unknown, context: string) => void;
}

/**
 * The emulator beside real channels: its own store (stock seeded from the
 * catalogs, its own calendar bookings), its own clock, and its own runtime
 * (timers, outbox to the emulator channel only, test payments and refunds).
 * Nothing done in it reaches the real runtime's store, clock or senders.
 * Closing the returned service closes the sandbox's runtime and store.
 */
export async function openEmulatorSandbox(options: SandboxOptions): Promise<{ service: EmulatorService; resumed: boolean }> {
  const store = openSqliteStore({ file: options.db });
  try {
    const { clock, resumed } = await openEmulatorClock(store, options.realTime, options.startAt);
    const sender = new EmulatorSender({ keep: false });
    const runtime = new Runtime({ store, clock, bots: options.bots, senders: [sender], pollIntervalMs: options.pollIntervalMs, onError: options.onError });
    const service = new EmulatorService({ runtime: () => runtime, sender, clock, store, bots: options.bots, slowPaymentMs: options.slowPaymentMs, ownsRuntime: true, onError: options.onError });
    await runtime.start();
    return { service, resumed };
  } catch (error) {
    await store.close();
    throw error;
  }
}
