// Everything both peers must agree on — menu, prices, wording, the SQLite file
// and the orders table — lives here, so the only thing that differs between
// them is the conversation framework.
import { rmSync } from "node:fs";
import Database from "better-sqlite3";

export type Product = "Espresso" | "Latte" | "Cappuccino";
export type Size = "S" | "M" | "L";

export const PRODUCTS: readonly Product[] = ["Espresso", "Latte", "Cappuccino"];
export const SIZES: readonly Size[] = ["S", "M", "L"];

const PRICE_MINOR: Readonly<Record<Product, number>> = { Espresso: 250, Latte: 320, Cappuccino: 300 };
const SIZE_DELTA_MINOR: Readonly<Record<Size, number>> = { S: -30, M: 0, L: 50 };

export const CURRENCY = "EUR";
export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 10;
/** Caps the "Anything else?" loop so a cart (and each peer's persisted state) stays bounded. */
export const MAX_CART_LINES = 5;

export interface CartLine {
  product: Product;
  size: Size;
  quantity: number;
}

export function isProduct(value: unknown): value is Product {
  return typeof value === "string" && (PRODUCTS as readonly string[]).includes(value);
}

export function isSize(value: unknown): value is Size {
  return typeof value === "string" && (SIZES as readonly string[]).includes(value);
}

export function isValidQuantity(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_QUANTITY && value <= MAX_QUANTITY;
}

export function isCart(value: unknown): value is CartLine[] {
  return (
    Array.isArray(value) &&
    value.every(
      (line: unknown) =>
        typeof line === "object" &&
        line !== null &&
        "product" in line &&
        isProduct(line.product) &&
        "size" in line &&
        isSize(line.size) &&
        "quantity" in line &&
        typeof line.quantity === "number" &&
        isValidQuantity(line.quantity),
    )
  );
}

export function lineTotalMinor(line: CartLine): number {
  return (PRICE_MINOR[line.product] + SIZE_DELTA_MINOR[line.size]) * line.quantity;
}

export function cartTotalMinor(cart: readonly CartLine[]): number {
  return cart.reduce((sum, line) => sum + lineTotalMinor(line), 0);
}

function formatMinor(minor: number): string {
  const sign = minor < 0 ? "−" : "";
  return `${sign}€${(Math.abs(minor) / 100).toFixed(2)}`;
}

function formatSize(size: Size): string {
  const delta = SIZE_DELTA_MINOR[size];
  return delta === 0 ? size : `${size} ${delta > 0 ? "+" : ""}${formatMinor(delta)}`;
}

export const TEXT = {
  greeting: [
    "Welcome to the coffee bar! Today's menu:",
    ...PRODUCTS.map((p) => `• ${p} ${formatMinor(PRICE_MINOR[p])}`),
  ].join("\n"),
  askProduct: "What would you like?",
  retryProduct: `Please choose one of: ${PRODUCTS.join(", ")}.`,
  askQuantity: `How many? (${MIN_QUANTITY}–${MAX_QUANTITY})`,
  retryQuantity: `Please send a whole number from ${MIN_QUANTITY} to ${MAX_QUANTITY}.`,
  askSize: `Which size? ${SIZES.map(formatSize).join(", ")}`,
  retrySize: `Please choose a size: ${SIZES.join(", ")}.`,
  askMore: "Anything else?",
  retryYesNo: "Please answer yes or no.",
  placed: "Order placed. Thank you!",
  cancelled: "Order cancelled.",
  notInOrder: "Send /start to order.",
} as const;

export function cartSummary(cart: readonly CartLine[]): string {
  const lines = cart.map((l) => `${l.quantity} × ${l.product} (${l.size}) ${formatMinor(lineTotalMinor(l))}`);
  return [...lines, `Total: ${formatMinor(cartTotalMinor(cart))}`, "Place the order?"].join("\n");
}

/** Opens a brand-new database so runs never see each other's state. */
export function openFreshDb(file: string): Database.Database {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id TEXT NOT NULL,
    product TEXT NOT NULL,
    size TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    total_minor INTEGER NOT NULL,
    currency TEXT NOT NULL
  )`);
  return db;
}

export class OrderBook {
  private readonly tally;
  /** One row per cart line, all or nothing, since the table has one product column. */
  readonly place: (customerId: string, cart: readonly CartLine[]) => void;

  constructor(db: Database.Database) {
    const insert = db.prepare<[string, Product, Size, number, number, string]>(
      "INSERT INTO orders (customer_id, product, size, quantity, total_minor, currency) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.place = db.transaction((customerId: string, cart: readonly CartLine[]) => {
      for (const line of cart) {
        insert.run(customerId, line.product, line.size, line.quantity, lineTotalMinor(line), CURRENCY);
      }
    });
    this.tally = db.prepare<[number], { orders: number; correct: number }>(
      "SELECT COUNT(*) AS orders, COALESCE(SUM(total_minor = ?), 0) AS correct FROM orders",
    );
  }

  count(expectedTotalMinor: number): { orders: number; ordersCorrect: number } {
    const row = this.tally.get(expectedTotalMinor);
    return { orders: row?.orders ?? 0, ordersCorrect: row?.correct ?? 0 };
  }
}
