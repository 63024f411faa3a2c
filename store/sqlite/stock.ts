import type { Db, Queries } from "./queries.ts";
import * as schema from "./schema.ts";

/** Catalog stock: units per bot and product; a product without a row is not tracked and never runs out. */

/** Units left, or null when the product's stock is not tracked. */
export function stockLeft(q: Queries, botId: string, productId: string): number | null {
  const row = q.stockLeft.get({ botId, productId });
  return row ? row.units : null;
}

/** Takes `quantity` units if that many are left (always true for an untracked product). */
export function reserveStock(q: Queries, botId: string, productId: string, quantity: number): boolean {
  if (q.takeStock.run({ botId, productId, quantity }).changes === 1) return true;
  // Untracked products have no stock row and never run out.
  return q.stockLeft.get({ botId, productId }) === undefined;
}

/** Gives units back to a tracked product. */
export function releaseStock(q: Queries, botId: string, productId: string, quantity: number): void {
  q.returnStock.run({ botId, productId, quantity });
}

/** Inserts stock for products without a row; existing rows keep their units. */
export function seedStock(db: Db, botId: string, units: ReadonlyArray<{ productId: string; units: number }>): void {
  db.insert(schema.stock)
    .values(units.map((u) => ({ botId, productId: u.productId, units: u.units })))
    .onConflictDoNothing()
    .run();
}
