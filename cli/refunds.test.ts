import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openSqliteStore } from "../store/index.ts";
import { captureStdio } from "../tests/helpers.ts";
import { refundsCommand } from "./refunds.ts";

describe("kiosk refunds", () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("lists refunds owed, filtered by status, with what the business must do by hand", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kiosk-refunds-"));
    dirs.push(dir);
    const db = join(dir, "kiosk.db");
    const store = openSqliteStore({ file: db });
    const at = new Date("2027-03-22T07:00:00Z");
    const owed = { botId: "cafe", channel: "telegram", userId: "42", orderId: "7", provider: "telegram", amount: 1940, currency: "EUR", reason: "payment arrived after the order was expired", at };
    await store.transaction(async (tx) => {
      await tx.recordRefund({ ...owed, paymentReference: "tg1", providerReference: "ch_tg1" });
      await tx.recordRefund({ ...owed, paymentReference: "stx2", amount: 750, currency: "XTR" });
      // The same payment again: still one refund.
      await tx.recordRefund({ ...owed, paymentReference: "tg1", providerReference: "ch_tg1" });
    });
    const [first] = await store.pendingRefunds(at, 10);
    if (!first) throw new Error("no pending refund");
    await store.settleRefund(first.id, "manual", "refund ch_tg1 in the provider's dashboard", at);
    await store.close();

    const all = captureStdio();
    expect(await refundsCommand(["--db", db, "--json"])).toBe(0);
    expect(JSON.parse(all.out()).map((r: { payment: string; status: string }) => [r.payment, r.status])).toEqual([
      ["tg1", "manual"],
      ["stx2", "pending"],
    ]);
    vi.restoreAllMocks();

    const manual = captureStdio();
    expect(await refundsCommand(["--db", db, "--status", "manual"])).toBe(0);
    expect(manual.out()).toBe("#1\tmanual\t1940 EUR\torder #7\ttelegram/tg1\ttelegram:42\tpayment arrived after the order was expired\trefund ch_tg1 in the provider's dashboard\n");
    vi.restoreAllMocks();

    const wrong = captureStdio();
    expect(await refundsCommand(["--db", db, "--status", "owed"])).toBe(2);
    expect(wrong.err()).toBe("kiosk refunds: --status must be one of pending, refunded, manual, failed, got 'owed'\n");
  });
});
