import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openSqliteStore } from "../store/index.ts";
import { bookingsCommand } from "./bookings.ts";

describe("kiosk bookings", () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("lists bookings as JSON with ISO instants, status and deposit amounts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kiosk-bookings-"));
    dirs.push(dir);
    const db = join(dir, "kiosk.db");
    const store = openSqliteStore({ file: db });
    const at = new Date("2027-03-22T07:00:00Z");
    await store.transaction(async (tx) => {
      const held = await tx.holdSlot({
        botId: "salon",
        channel: "emulator",
        userId: "ines",
        serviceId: "haircut",
        resourceId: "ana",
        start: new Date("2027-03-22T08:00:00Z"),
        end: new Date("2027-03-22T08:30:00Z"),
        price: 2500,
        deposit: 500,
        currency: "EUR",
        freeCancelUntil: null,
        cause: "customer held the slot",
        at,
      });
      if (!held) throw new Error("the slot should be free");
      await tx.transitionBooking(held.id, "held", "confirmed", "deposit paid", at, { depositPaid: 500 });
    });
    await store.close();

    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    expect(await bookingsCommand(["--db", db, "--json"])).toBe(0);
    expect(JSON.parse(out)).toEqual([
      {
        id: "1",
        bot: "salon",
        channel: "emulator",
        customer: "ines",
        service: "haircut",
        resource: "ana",
        start: "2027-03-22T08:00:00.000Z",
        end: "2027-03-22T08:30:00.000Z",
        status: "confirmed",
        price: 2500,
        deposit: 500,
        depositPaid: 500,
        depositRefunded: 0,
        currency: "EUR",
        createdAt: "2027-03-22T07:00:00.000Z",
        updatedAt: "2027-03-22T07:00:00.000Z",
      },
    ]);
  });
});
