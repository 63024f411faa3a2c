import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { availableSlots, CommerceError, depositFor } from "../commerce/index.ts";
import type { Booking, BookingCalendar } from "../commerce/index.ts";
import { openSqliteStore } from "./index.ts";
import type { NewBooking, Store } from "./index.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const raceScript = fileURLToPath(new URL("../tests/fixtures/hold-race.ts", import.meta.url));

// 2025-03-03 is a Monday; Paris is UTC+1 then, so 10:00 local is 09:00Z.
const at = (time: string) => new Date(`2025-03-03T${time}:00.000Z`);
const NOW = at("07:00");

const salon: BookingCalendar = {
  timeZone: "Europe/Paris",
  currency: "EUR",
  granularityMinutes: 30,
  services: [{ id: "haircut", name: "Haircut", durationMinutes: 30, price: 2500, depositPercent: 20 }],
  resources: [
    { id: "ana", name: "Ana", weeklyHours: { mon: [{ from: "09:00", to: "12:00" }] } },
    { id: "ben", name: "Ben", weeklyHours: { mon: [{ from: "09:00", to: "12:00" }] } },
  ],
};

function hold(start: string, end: string, extra: Partial<NewBooking> = {}): NewBooking {
  return {
    botId: "salon",
    channel: "emulator",
    userId: "alice",
    serviceId: "haircut",
    resourceId: "ana",
    start: at(start),
    end: at(end),
    price: 2500,
    deposit: 500,
    currency: "EUR",
    freeCancelUntil: null,
    cause: "customer picked a slot",
    at: NOW,
    ...extra,
  };
}

/** Runs the hold-race fixture in a process of its own; resolves once it printed "ready". */
function raceProcess(db: string, prefix: string, holds: number) {
  const child = spawn(process.execPath, ["--import", "tsx", raceScript, db, prefix, String(holds), at("09:00").toISOString(), at("09:30").toISOString()], {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve((JSON.parse(out.split("\n").filter(Boolean).at(-1) ?? "{}") as { held: number }).held) : reject(new Error(`race process failed (${code}): ${err}`))));
  });
  const ready = new Promise<void>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith("ready\n")) resolve();
    });
  });
  return { ready, go: () => child.stdin.end("go\n"), exited };
}

describe("bookings in the SQLite store", () => {
  let dir = "";
  let file = "";
  let stores: Store[] = [];
  const open = () => {
    const store = openSqliteStore({ file });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kiosk-bookings-"));
    file = join(dir, "kiosk.db");
    stores = [];
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds a free slot and blocks every overlapping hold on the same resource", async () => {
    const store = open();
    const first = await store.transaction((tx) => tx.holdSlot(hold("09:00", "10:00")));
    expect(first).toMatchObject({ status: "held", resourceId: "ana", start: at("09:00"), end: at("10:00"), deposit: 500, depositPaid: 0, depositRefunded: 0 });

    const clashes = [
      ["09:00", "10:00"], // the same slot
      ["08:30", "09:30"], // overlaps its start
      ["09:30", "10:30"], // overlaps its end
      ["09:15", "09:45"], // inside it
      ["08:00", "11:00"], // contains it
    ] as const;
    for (const [start, end] of clashes) {
      expect(await store.transaction((tx) => tx.holdSlot(hold(start, end, { userId: "bob" }))), `${start}–${end}`).toBeUndefined();
    }
    expect(await store.listBookings({ botId: "salon" })).toHaveLength(1);
  });

  it("does not block another resource, an adjacent slot or another bot", async () => {
    const store = open();
    await store.transaction((tx) => tx.holdSlot(hold("09:00", "10:00")));
    const others = await store.transaction(async (tx) => [
      await tx.holdSlot(hold("09:00", "10:00", { resourceId: "ben" })),
      await tx.holdSlot(hold("10:00", "10:30")),
      await tx.holdSlot(hold("08:30", "09:00")),
      await tx.holdSlot(hold("09:00", "10:00", { botId: "barber" })),
    ]);
    expect(others.every((b) => b?.status === "held")).toBe(true);
    expect(await store.listBookings({ botId: "salon", resourceId: "ana" })).toHaveLength(3);
  });

  it("frees the slot when a hold is cancelled or expires, but not when it is confirmed", async () => {
    const store = open();
    for (const to of ["cancelled", "expired"] as const) {
      const held = await store.transaction((tx) => tx.holdSlot(hold("09:00", "10:00")));
      if (!held) throw new Error("the slot should be free");
      expect(await store.transaction((tx) => tx.transitionBooking(held.id, "held", to, `hold ${to}`, at("07:10")))).toBe(true);
    }
    const held = await store.transaction((tx) => tx.holdSlot(hold("09:00", "10:00")));
    if (!held) throw new Error("the slot should be free");
    await store.transaction((tx) => tx.transitionBooking(held.id, "held", "confirmed", "deposit paid", at("07:20"), { depositPaid: 500 }));
    expect(await store.transaction((tx) => tx.holdSlot(hold("09:30", "10:00", { userId: "bob" })))).toBeUndefined();
    expect((await store.listBookings({ status: "confirmed" })).map((b) => b.depositPaid)).toEqual([500]);
  });

  it("records every transition with its cause and refuses moves the state machine forbids", async () => {
    const store = open();
    const held = await store.transaction((tx) => tx.holdSlot(hold("09:00", "09:30")));
    if (!held) throw new Error("the slot should be free");
    await store.transaction(async (tx) => {
      expect(await tx.transitionBooking(held.id, "held", "confirmed", "deposit paid", at("07:05"), { depositPaid: 500 })).toBe(true);
      // Compare-and-swap: a second confirm (a duplicate webhook, say) finds it no longer held.
      expect(await tx.transitionBooking(held.id, "held", "confirmed", "deposit paid again", at("07:06"))).toBe(false);
      expect(await tx.transitionBooking(held.id, "confirmed", "cancelled", "customer cancelled", at("07:30"), { depositRefunded: 500 })).toBe(true);
    });
    const invalid = store.transaction((tx) => tx.transitionBooking(held.id, "cancelled", "confirmed", "resurrect", at("07:40")));
    await expect(invalid).rejects.toBeInstanceOf(CommerceError);
    await expect(invalid).rejects.toMatchObject({ code: "invalid_transition" });
    await expect(store.transaction((tx) => tx.transitionBooking(held.id, "held", "completed", "skip", at("07:40")))).rejects.toMatchObject({ code: "invalid_transition" });

    expect(await store.transaction((tx) => tx.getBooking(held.id))).toMatchObject({ status: "cancelled", depositPaid: 500, depositRefunded: 500, updatedAt: at("07:30") });
    expect(await store.bookingHistory(held.id)).toEqual([
      { from: "held", to: "held", cause: "customer picked a slot", at: NOW },
      { from: "held", to: "confirmed", cause: "deposit paid", at: at("07:05") },
      { from: "confirmed", to: "cancelled", cause: "customer cancelled", at: at("07:30") },
    ]);
  });

  it("gives exactly one of 50 customers racing for the same slot a hold", async () => {
    const store = open();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.transaction((tx) => tx.holdSlot(hold("09:00", "09:30", { userId: `customer-${i}` })))),
    );
    expect(results.filter((b): b is Booking => b !== undefined)).toHaveLength(1);
    expect(results.filter((b) => b === undefined)).toHaveLength(49);
    expect(await store.listBookings({ resourceId: "ana" })).toHaveLength(1);
  });

  it("gives exactly one hold when two processes race 25 holds each on the same file", async () => {
    // Migrate once up front, so the racers only race for the slot.
    await open().close();
    const racers = [raceProcess(file, "left-", 25), raceProcess(file, "right-", 25)];
    await Promise.all(racers.map((r) => r.ready));
    for (const racer of racers) racer.go();
    const held = await Promise.all(racers.map((r) => r.exited));
    expect(held.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await open().listBookings({ botId: "salon" })).toHaveLength(1);
  });

  it("feeds held and confirmed bookings to slot generation, which drops the taken slots", async () => {
    const store = open();
    const window = { from: at("08:00"), to: at("11:00") };
    const free = (busy: Parameters<typeof availableSlots>[1]["busy"]) =>
      availableSlots(salon, { serviceId: "haircut", resourceId: "ana", ...window, busy, now: NOW }).map((s) => s.start.toISOString());
    const before = free(await store.transaction((tx) => tx.busyAppointments("salon", window.from, window.to)));
    expect(before).toContain(at("09:00").toISOString());

    const kept = await store.transaction(async (tx) => {
      const first = await tx.holdSlot(hold("09:00", "09:30"));
      const second = await tx.holdSlot(hold("10:00", "10:30"));
      const dropped = await tx.holdSlot(hold("10:30", "11:00"));
      if (!first || !second || !dropped) throw new Error("the slots should be free");
      await tx.transitionBooking(second.id, "held", "confirmed", "deposit paid", at("07:05"));
      await tx.transitionBooking(dropped.id, "held", "expired", "hold timed out", at("07:20"));
      await tx.holdSlot(hold("09:00", "09:30", { resourceId: "ben" }));
      return tx.busyAppointments("salon", window.from, window.to);
    });
    expect(kept.filter((a) => a.resourceId === "ana")).toEqual([
      { resourceId: "ana", start: at("09:00"), end: at("09:30") },
      { resourceId: "ana", start: at("10:00"), end: at("10:30") },
    ]);
    expect(before.filter((s) => !free(kept).includes(s))).toEqual([at("09:00").toISOString(), at("10:00").toISOString()]);
  });
});

describe("depositFor", () => {
  const service = { id: "colour", price: 2599, depositPercent: 20 };

  it("takes the service's percent by default and rounds half up to whole minor units", () => {
    expect(depositFor(service)).toBe(520); // 519.8
    expect(depositFor(service, 50)).toBe(1300); // 1299.5 rounds up
    expect(depositFor({ id: "cut", price: 2500 })).toBe(0);
    expect(depositFor(service, 100)).toBe(2599);
  });

  it("refuses a percent outside 0–100", () => {
    expect(() => depositFor(service, 101)).toThrow(CommerceError);
    expect(() => depositFor(service, -1)).toThrow(CommerceError);
    expect(() => depositFor(service, Number.NaN)).toThrow(CommerceError);
  });
});
