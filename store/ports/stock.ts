/** Catalog stock as a turn takes and gives it back. */
export interface StockTx {
  /** Units left, or null when the product's stock is not tracked. */
  stockLeft(botId: string, productId: string): Promise<number | null>;
  /** Takes `quantity` units if that many are left; false (and nothing taken) otherwise. */
  reserveStock(botId: string, productId: string, quantity: number): Promise<boolean>;
  releaseStock(botId: string, productId: string, quantity: number): Promise<void>;
}

/** Catalog stock outside a turn. */
export interface StockStore {
  /** Seeds stock for products the store has not seen; existing stock is kept. */
  seedStock(botId: string, stock: ReadonlyArray<{ productId: string; units: number }>): Promise<void>;
}
