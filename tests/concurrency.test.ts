import { describe, expect, it } from "vitest";
import type { OutboundMessage } from "../core/index.ts";
import type { EmulatedCustomer } from "../adapters/emulator/emulator.ts";
import { CROISSANT_STOCK, textsOf, useHarness } from "./helpers.ts";

type Outcome =
  | { readonly kind: "ordered"; readonly quantity: number }
  | { readonly kind: "refused"; readonly quantity: number; readonly told: string };

const SHORT = /^Sorry, (only (\d+) Croissant (is|are) left|Croissant is sold out today)\.$/;

function refusal(replies: readonly OutboundMessage[]): string | undefined {
  return textsOf(replies).find((t) => SHORT.test(t));
}

/**
 * One customer browses a little (`browse` turns, so checkouts do not land in
 * lockstep), then tries to buy `quantity` croissants, giving up at the first refusal.
 */
async function tryToBuy(customer: EmulatedCustomer, browse: number, quantity: number, pay: boolean): Promise<Outcome> {
  await customer.send("/start");
  for (let i = 0; i < browse; i++) await customer.press(i % 2 === 0 ? "Drinks" : "Back");
  for (const turn of [() => customer.send("croissant"), () => customer.send(String(quantity)), () => customer.send("no"), () => customer.press("Place order")]) {
    const replies = await turn();
    const told = refusal(replies);
    if (told) return { kind: "refused", quantity, told };
    if (replies.some((m) => m.invoice)) {
      if (pay) await customer.pay("succeed");
      return { kind: "ordered", quantity };
    }
  }
  throw new Error(`${customer.userId} neither ordered nor was refused: ${JSON.stringify(customer.inbox.slice(-3))}`);
}

describe("concurrency", () => {
  const harness = useHarness();

  it("never oversells when 20 customers race for the last croissants", async () => {
    const emulator = await harness.open();
    const customers = Array.from({ length: 20 }, (_, i) => ({
      customer: emulator.customer(`c${i}`),
      browse: (i * 7) % 5,
      quantity: (i % 3) + 1,
      pay: i % 2 === 0,
    }));

    // All 20 conversations run at once: their turns interleave in the store.
    const outcomes = await Promise.all(customers.map(({ customer, browse, quantity, pay }) => tryToBuy(customer, browse, quantity, pay)));

    const left = await emulator.stockLeft("croissant");
    expect(left).not.toBeNull();
    expect(left).toBeGreaterThanOrEqual(0);
    const orders = await emulator.orders();
    const holding = orders.filter((o) => o.status === "awaiting_payment" || o.status === "paid");
    const sold = holding.reduce((n, o) => n + o.items.reduce((m, item) => m + item.quantity, 0), 0);
    expect(sold + (left ?? 0)).toBe(CROISSANT_STOCK);
    expect(orders).toHaveLength(holding.length);

    // Everyone who got an invoice has an order for exactly what they asked; 40 wanted, so many lost.
    const winners = outcomes.flatMap((o, i) => (o.kind === "ordered" ? [{ user: `c${i}`, quantity: o.quantity }] : []));
    expect(holding.map((o) => ({ user: o.userId, quantity: o.items[0]?.quantity })).sort((a, b) => a.user.localeCompare(b.user))).toEqual(
      winners.sort((a, b) => a.user.localeCompare(b.user)),
    );
    expect(orders.filter((o) => o.status === "paid").length).toBeGreaterThan(0);

    // Everyone who lost was told how many were left, and asked for more than that.
    const losers = outcomes.filter((o) => o.kind === "refused");
    expect(losers.length).toBeGreaterThan(0);
    for (const loser of losers) {
      const match = SHORT.exec(loser.told);
      const wasLeft = match?.[2] === undefined ? 0 : Number(match[2]);
      expect(wasLeft).toBeLessThan(loser.quantity);
    }
    // Stock only went down, so what is left is less than what any loser asked for.
    expect(left).toBeLessThan(Math.min(...losers.map((l) => l.quantity)));
  });
});
