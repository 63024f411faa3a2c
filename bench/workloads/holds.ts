import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { availableSlots, depositFor, type Slot } from "../../commerce/index.ts";
import { calendar } from "../../bots/salon/calendar.ts";
import { openSqliteStore } from "../../store/index.ts";
import { InFlight } from "../drive.ts";
import { percentile } from "../serve-process.ts";

const CLIENTS = 200;
const ATTEMPTS = 20_000;

/**
 * Hold attempts on one slot set: Salon Lila's haircut starts for Ana and Ben
 * on one Friday (overlapping 30-minute slots every 15 minutes), attempted by
 * 200 concurrent clients, 20,000 attempts in all, each a real turn
 * transaction on a SQLite file (check overlap + insert). Verifies afterwards
 * that no two held bookings of a resource overlap.
 */
export async function runHoldBench(dbFile: string): Promise<{
  attempts: number;
  perSecond: number;
  cpuMsPerAttempt: number;
  p50Ms: number;
  p99Ms: number;
  concurrency: number;
  maxInFlight: number;
  held: number;
  slots: number;
  overlaps: number;
}> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const store = openSqliteStore({ file: dbFile });
  const day = { from: new Date("2027-03-25T23:00:00Z"), to: new Date("2027-03-26T23:00:00Z") };
  const haircut = calendar.services.find((s) => s.id === "haircut");
  if (!haircut) throw new Error("the salon calendar has no haircut");
  const slots: Slot[] = calendar.resources.flatMap((r) => availableSlots(calendar, { serviceId: "haircut", resourceId: r.id, ...day, busy: [] }));
  let next = 0;
  let seed = 20_270_326;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const latencies: number[] = [];
  const inFlight = new InFlight();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      while (next < ATTEMPTS) {
        const attempt = next++;
        const slot = slots[Math.floor(random() * slots.length)];
        if (!slot) continue;
        inFlight.enter();
        const t0 = performance.now();
        await store.transaction((tx) =>
          tx.holdSlot({
            botId: "salon",
            channel: "bench",
            userId: `client-${client}-${attempt}`,
            serviceId: haircut.id,
            resourceId: slot.resourceId,
            start: slot.start,
            end: slot.end,
            price: haircut.price,
            deposit: depositFor(haircut),
            currency: calendar.currency,
            freeCancelUntil: null,
            cause: "bench",
            at: new Date(),
          }),
        );
        latencies.push(performance.now() - t0);
        inFlight.leave();
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const held = await store.listBookings({ botId: "salon", status: "held" });
  let overlaps = 0;
  for (const a of held) for (const b of held) if (a.id < b.id && a.resourceId === b.resourceId && a.start < b.end && b.start < a.end) overlaps++;
  await store.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const sorted = latencies.sort((x, y) => x - y);
  return {
    attempts: ATTEMPTS,
    perSecond: ATTEMPTS / (elapsedMs / 1000),
    cpuMsPerAttempt: (cpu.user + cpu.system) / 1000 / ATTEMPTS,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    concurrency: CLIENTS,
    maxInFlight: inFlight.max,
    held: held.length,
    slots: slots.length,
    overlaps,
  };
}
