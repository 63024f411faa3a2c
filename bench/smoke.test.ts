// The benchmark at a small size: it runs, every system gets many turns in
// flight, and the figures it prints are well formed. No timing is asserted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { drive, eachConversation, SCRIPT } from "./drive.ts";
import { runBotbuilderDialogs } from "./peers/botbuilder-dialogs.ts";
import { runGrammyConversations } from "./peers/grammy-conversations.ts";
import type { PeerOptions, PeerResult } from "./types.ts";
import { runFloor } from "./workloads/floor.ts";
import { runKiosk } from "./workloads/kiosk.ts";

const dir = mkdtempSync(join(tmpdir(), "kiosk-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the driver", () => {
  it("keeps each conversation's turns in order while many conversations are in flight", async () => {
    const seen: Array<[number, number]> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const result = await drive(
      { dbFile: "", conversations: 12, concurrency: 4, warmUp: 0 },
      (customer, turn) => ({ customer, turn }),
      async ({ customer, turn }) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((resolve) => setImmediate(resolve));
        inFlight -= 1;
        seen.push([customer, turn]);
        return 1;
      },
    );
    expect(maxInFlight).toBe(4);
    expect(result.maxInFlight).toBe(4);
    expect(result.turns).toBe(12 * SCRIPT.length);
    for (let customer = 0; customer < 12; customer++) {
      expect(seen.filter(([c]) => c === customer).map(([, t]) => t)).toEqual(SCRIPT.map((_, turn) => turn));
    }
    // Interleaved, not one conversation after another.
    expect(seen.slice(0, 4).map(([c]) => c)).toEqual([0, 1, 2, 3]);
  });

  it("counts turns that got no reply", async () => {
    const result = await drive({ dbFile: "", conversations: 3, concurrency: 2, warmUp: 0 }, (_c, turn) => turn, async (turn) => (turn === 2 ? 0 : 1));
    expect(result.turnsWithoutReply).toBe(3);
    expect(result.replies).toBe(3 * (SCRIPT.length - 1));
  });

  it("refuses a concurrency that is not a positive integer", async () => {
    await expect(eachConversation(3, 0, async () => {})).rejects.toThrow(/concurrency must be a positive integer, got 0/);
  });
});

const systems: ReadonlyArray<readonly [string, (opts: PeerOptions) => Promise<PeerResult>]> = [
  ["floor", runFloor],
  ["kiosk", runKiosk],
  ["grammy-conversations", runGrammyConversations],
  ["botbuilder-dialogs", runBotbuilderDialogs],
];

describe.each(systems)("%s on the coffee order, small", (name, run) => {
  it("answers every turn, persists state every turn, places every order, with 8 conversations in flight", async () => {
    const r = await run({ dbFile: join(dir, `${name}.db`), conversations: 40, concurrency: 8, warmUp: 4 });
    expect(r.name).toBe(name);
    expect(r.turns).toBe(40 * SCRIPT.length);
    expect(r.latenciesMs).toHaveLength(r.turns);
    expect(r.maxInFlight).toBe(8);
    expect(r.turnsWithoutReply).toBe(0);
    expect(r.replies).toBeGreaterThanOrEqual(r.turns);
    expect(r.conversationsRun).toBe(44);
    expect(r.orders).toBe(44);
    expect(r.ordersCorrect).toBe(44);
    expect(r.stateWrites).toBeGreaterThanOrEqual(44 * SCRIPT.length);
    expect(r.cpuMs).toBeGreaterThan(0);
    expect(r.elapsedMs).toBeGreaterThan(0);
  });
});
