import { drive, EXPECTED_TOTAL_MINOR } from "../drive.ts";
import { OrderBook, TEXT, cartSummary, openFreshDb, type CartLine, type Product, type Size } from "../peers/shop.ts";
import type { PeerOptions, PeerResult } from "../types.ts";

type FloorState =
  | { step: "menu" }
  | { step: "quantity"; product: Product }
  | { step: "size"; product: Product; quantity: number }
  | { step: "more" | "confirm"; cart: CartLine[] }
  | { step: "done" };

/** What the floor answers once in `state`: the next question, the cart or the confirmation. */
function reply(state: FloorState): string {
  switch (state.step) {
    case "menu":
      return TEXT.askProduct;
    case "quantity":
      return TEXT.askQuantity;
    case "size":
      return TEXT.askSize;
    case "more":
      return TEXT.askMore;
    case "confirm":
      return cartSummary(state.cart);
    case "done":
      return TEXT.placed;
  }
}

/**
 * The floor: a hand-written switch on the step, one SQLite read and one write
 * per turn in one transaction, the reply text returned. No validation beyond
 * the script's needs, no outbox, no dedupe: the least a persistent bot can do
 * per turn.
 */
export async function runFloor(opts: PeerOptions): Promise<PeerResult> {
  const db = openFreshDb(opts.dbFile);
  db.exec("CREATE TABLE conv (id TEXT PRIMARY KEY, state TEXT NOT NULL)");
  const load = db.prepare<[string], { state: string }>("SELECT state FROM conv WHERE id = ?");
  const save = db.prepare<[string, string]>("INSERT INTO conv (id, state) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state");
  const book = new OrderBook(db);
  let stateWrites = 0;
  const turn = db.transaction((customer: string, text: string) => {
    const row = load.get(customer);
    const state: FloorState = row ? (JSON.parse(row.state) as FloorState) : { step: "menu" };
    let next: FloorState = state;
    switch (state.step) {
      case "menu":
        if (text === "Latte" || text === "Espresso" || text === "Cappuccino") next = { step: "quantity", product: text };
        break;
      case "quantity": {
        const quantity = Number(text);
        if (Number.isInteger(quantity) && quantity >= 1 && quantity <= 10) next = { step: "size", product: state.product, quantity };
        break;
      }
      case "size":
        if (text === "S" || text === "M" || text === "L") {
          next = { step: "more", cart: [{ product: state.product, size: text as Size, quantity: state.quantity }] };
        }
        break;
      case "more":
        next = text === "no" ? { step: "confirm", cart: state.cart } : { step: "menu" };
        break;
      case "confirm":
        if (text === "yes") {
          book.place(customer, state.cart);
          next = { step: "done" };
        }
        break;
      case "done":
        break;
    }
    save.run(customer, JSON.stringify(next));
    stateWrites += 1;
    return reply(next);
  });
  const result = await drive(
    opts,
    (customer, _turn, text) => ({ customer: `c${customer}`, text }),
    async ({ customer, text }) => (turn(customer, text).length > 0 ? 1 : 0),
  );
  const counted = book.count(EXPECTED_TOTAL_MINOR);
  db.close();
  return { name: "floor", ...result, ...counted, stateWrites };
}
