import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useHarness } from "./helpers.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const kioskBin = join(repoRoot, "bin/kiosk.js");
const execFileAsync = promisify(execFile);

/** Runs `kiosk` with `input` on stdin; resolves to its exit code and output. */
function kiosk(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kioskBin, ...args], { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const lines = (...values: unknown[]) => values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join("\n") + "\n";

describe("kiosk chat --jsonl", () => {
  const harness = useHarness();

  it("speaks the protocol: replies per message, done per line, errors in place, timers on advance", async () => {
    const input = lines(
      { user: "alice", text: "/start" },
      { user: "alice", text: "Latte" },
      { user: "alice", text: "2" },
      { user: "alice", press: "M" },
      { user: "alice", text: "no" },
      { user: "alice", press: "Place order" },
      "this is not json",
      { user: "alice", pay: "maybe" },
      { advance: "PT16M" },
      { user: "alice", pay: "succeed" },
    );
    const { code, stdout } = await kiosk(["chat", "bots/cafe", "--jsonl", "--db", harness.db, "--clock", "2026-11-24T09:00:00Z"], input);
    expect(code).toBe(0);
    const out = stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const dones = out.filter((o) => "done" in o).map((o) => o.done);
    expect(dones).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    expect(out[0]).toEqual({ to: "alice", text: "Welcome to Café Lumière! ☕" });
    expect(out[1]).toEqual({
      to: "alice",
      text: "What would you like? Pick a category, or just type what you want.",
      buttons: [
        { label: "Drinks", payload: "category:drinks" },
        { label: "Pastries", payload: "category:pastries" },
        { label: "To take home", payload: "category:take-home" },
      ],
    });
    const placed = out.find((o) => "invoice" in o);
    expect(placed?.invoice).toEqual({ order: "1", title: "Café Lumière order #1", amount: 640, currency: "EUR" });
    // Each bad line gets exactly one error, before its own done.
    const errorAt = out.findIndex((o) => "error" in o);
    expect(out[errorAt]).toEqual({ error: "line is not valid JSON" });
    expect(out[errorAt + 1]).toEqual({ done: 7 });
    expect(out[errorAt + 2]).toMatchObject({ error: expect.stringContaining("pay") });
    expect(out[errorAt + 3]).toEqual({ done: 8 });
    // The advance fired the expiry before its done; paying afterwards finds no invoice.
    expect(out[errorAt + 4]).toEqual({ to: "alice", text: "Order #1 expired unpaid, and its items were released. Type menu to order again." });
    expect(out[errorAt + 5]).toEqual({ done: 9 });
    expect(out[errorAt + 6]).toEqual({ error: "alice has no open invoice to pay" });
    expect(out.at(-1)).toEqual({ done: 10 });

    const orders = await execFileAsync(process.execPath, [kioskBin, "orders", "--db", harness.db, "--json"], { cwd: repoRoot });
    expect(JSON.parse(orders.stdout)).toEqual([
      {
        id: "1",
        bot: "cafe",
        channel: "emulator",
        customer: "alice",
        status: "expired",
        items: [{ productId: "latte", name: "Latte", options: { size: "m" }, quantity: 2, unitPrice: 320, lineTotal: 640 }],
        total: 640,
        currency: "EUR",
        createdAt: "2026-11-24T09:00:00.000Z",
        updatedAt: "2026-11-24T09:16:00.000Z",
      },
    ]);
  });

  it("reads an order typed as one sentence through the protocol (issue 15), in the customer's language", async () => {
    const input = lines(
      { user: "marie", text: "/start" },
      // The protocol carries no locale: the customer picks French as a Telegram customer would.
      { user: "marie", text: "/language" },
      { user: "marie", press: "Français" },
      { user: "marie", text: "bonjour, deux croissants et un grand café crème s'il vous plaît" },
    );
    const { code, stdout } = await kiosk(["chat", "bots/cafe", "--jsonl", "--db", harness.db, "--clock", "2026-11-24T09:00:00Z"], input);
    expect(code).toBe(0);
    const texts = stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { text?: string }).flatMap((o) => (o.text === undefined ? [] : [o.text]));
    expect(texts.slice(-3)).toEqual([
      "Ajouté : 2 × Croissant — 3,60\u00a0€. Total du panier : 3,60\u00a0€.",
      "Ajouté : 1 × Café au lait (L) — 3,70\u00a0€. Total du panier : 7,30\u00a0€.",
      "Autre chose ?",
    ]);
  });

  it("books the salon from one sentence through the protocol (issue 15): 'any' answers the only question left", async () => {
    const input = lines({ user: "sam", text: "/start" }, { user: "sam", text: "I'd like a haircut tomorrow at 10" }, { user: "sam", text: "any" }, { user: "sam", text: "yes" });
    // Monday 22 March 2027, 09:00 in Paris.
    const { code, stdout } = await kiosk(["chat", "bots/salon", "--jsonl", "--db", harness.db, "--clock", "2027-03-22T08:00:00Z"], input);
    expect(code).toBe(0);
    const texts = stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { text?: string }).flatMap((o) => (o.text === undefined ? [] : [o.text]));
    expect(texts.slice(1)).toEqual([
      "Noted: Haircut · Tuesday 23 March · 10:00.\nWho would you like for your haircut?",
      "Haircut with Ana, Tuesday 23 March at 10:00 (30 min). Price: €25.00.\nA deposit of €5.00 confirms it; I'll hold the time for 10 minutes while you pay. Free cancellation up to 24 h before (deposit refunded).\nShall I book it?",
      "Booking #1 is held for 10 minutes. Pay the deposit of €5.00 to confirm it.",
    ]);
  });

  it("refuses an advance over P366D, as the HTTP API does, and the clock does not move", async () => {
    const input = lines(
      { user: "al", text: "/start" },
      { user: "al", text: "croissant" },
      { user: "al", text: "1" },
      { user: "al", text: "no" },
      { user: "al", press: "Place order" },
      { advance: "P100000D" },
      { advance: "P367D" },
      { user: "al", text: "menu" },
      { advance: "PT16M" },
    );
    const { code, stdout } = await kiosk(["chat", "bots/cafe", "--jsonl", "--db", harness.db, "--clock", "2026-11-24T09:00:00Z"], input);
    expect(code).toBe(0);
    const out = stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const errors = out.filter((o) => "error" in o).map((o) => o.error);
    expect(errors).toEqual(["'P100000D' is more than P366D; move the clock at most P366D at a time", "'P367D' is more than P366D; move the clock at most P366D at a time"]);
    // The order expires only with the last advance: the refused ones did not move the clock.
    const expired = out.findIndex((o) => typeof o.text === "string" && o.text.startsWith("Order #1 expired unpaid"));
    expect(out.slice(expired + 1)).toEqual([{ done: 9 }]);
  });

  it("renders cards with prices, and a sold-out card without its button", async () => {
    const { stdout } = await kiosk(["chat", "bots/cafe", "--jsonl", "--db", harness.db], lines({ user: "bo", text: "hi" }, { user: "bo", press: "Pastries" }));
    const cards = stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { cards?: unknown[] })
      .find((o) => o.cards)?.cards;
    expect(cards).toEqual([
      { title: "Croissant", price: { amount: 180, currency: "EUR" }, buttons: [{ label: "Add", payload: "product:croissant" }] },
      { title: "Pain au chocolat", subtitle: "Sold out", price: { amount: 210, currency: "EUR" } },
    ]);
  });
});

describe("kiosk chat bots/salon --jsonl", () => {
  const harness = useHarness();

  it("books, pays the deposit and fires the reminder in the protocol; kiosk bookings --json lists the booking", async () => {
    const input = lines(
      { user: "ana-fan", text: "hi" },
      { user: "ana-fan", press: "Book an appointment" },
      { user: "ana-fan", press: "service:haircut" },
      { user: "ana-fan", press: "Ana" },
      { user: "ana-fan", text: "friday" },
      { user: "ana-fan", text: "10:30" },
      { user: "ana-fan", text: "yes" },
      { user: "ana-fan", pay: "succeed" },
      { advance: "P3DT2H" },
    );
    const { code, stdout } = await kiosk(["chat", "bots/salon", "--jsonl", "--db", harness.db, "--clock", "2027-03-22T08:00:00Z"], input);
    expect(code).toBe(0);
    const out = stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toContainEqual({ to: "ana-fan", text: "Booking #1 is held for 10 minutes. Pay the deposit of €5.00 to confirm it.", invoice: { order: "1", title: "Salon Lila: deposit for Haircut", amount: 500, currency: "EUR" } });
    expect(out).toContainEqual({
      to: "ana-fan",
      text: "Reminder: Haircut with Ana, Friday 26 March at 10:30.",
      buttons: [
        { label: "Reschedule", payload: "booking:reschedule:1" },
        { label: "Cancel booking", payload: "booking:cancel:1" },
      ],
    });
    expect(out.at(-1)).toEqual({ done: 9 });

    const listed = await execFileAsync(process.execPath, [kioskBin, "bookings", "--db", harness.db, "--json"], { cwd: repoRoot });
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        id: "1",
        customer: "ana-fan",
        service: "haircut",
        resource: "ana",
        start: "2027-03-26T09:30:00.000Z",
        end: "2027-03-26T10:00:00.000Z",
        status: "confirmed",
        depositPaid: 500,
        depositRefunded: 0,
      }),
    ]);
  }, 60_000); // three processes, each starting tsx: slow on a loaded machine
});

describe("kiosk chat in a terminal", () => {
  const harness = useHarness();

  it("numbers the buttons, presses them by number, pays and continues after a restart", async () => {
    const first = await kiosk(["chat", "bots/cafe", "--db", harness.db], "Latte\n2\n2\nno\n1\n/pay succeed\n/quit\n");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("[1] S (−€0.30)   [2] M   [3] L (+€0.50)");
    expect(first.stdout).toContain("Added 2 × Latte (M) — €6.40.");
    expect(first.stdout).toContain("🧾 Café Lumière order #1: €6.40");
    expect(first.stdout).toContain("Paid, thank you! Receipt for order #1:");

    // A new process on the same file picks the conversation up where it was.
    await kiosk(["chat", "bots/cafe", "--db", harness.db], "espresso\n/quit\n");
    const again = await kiosk(["chat", "bots/cafe", "--db", harness.db], "/quit\n");
    expect(again.stdout).toContain("How many Espresso? (1–10)");
    expect(again.stdout).not.toContain("Welcome to Café Lumière");
  });

  it("refuses a command it does not know with usage and exit code 2", async () => {
    const { code, stderr } = await kiosk(["order"], "");
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'order'");
    expect(stderr).toContain("kiosk chat <botDir>");
  });
});
