import type { CatalogIndex, SelectedOptions } from "./catalog.ts";
import { CommerceError } from "./errors.ts";

export interface CartLine {
  readonly productId: string;
  readonly options: SelectedOptions;
  readonly quantity: number;
}

export type Cart = readonly CartLine[];

export interface PricedLine {
  readonly productId: string;
  readonly name: string;
  readonly options: SelectedOptions;
  readonly optionLabels: readonly string[];
  readonly quantity: number;
  readonly unitPrice: number;
  readonly lineTotal: number;
}

export interface PricedCart {
  readonly lines: readonly PricedLine[];
  readonly total: number;
  readonly currency: string;
}

export const MAX_LINE_QUANTITY = 99;

function assertQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
    throw new CommerceError("invalid_quantity", `quantity must be a whole number from 1 to ${MAX_LINE_QUANTITY}, got ${quantity}`, { quantity });
  }
}

function sameOptions(a: SelectedOptions, b: SelectedOptions): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Adds a line, merging with an identical product+options line. Returns a new cart. */
export function addLine(catalog: CatalogIndex, cart: Cart, line: CartLine): Cart {
  assertQuantity(line.quantity);
  const options = catalog.canonicalOptions(line.productId, line.options);
  const index = cart.findIndex((l) => l.productId === line.productId && sameOptions(catalog.canonicalOptions(l.productId, l.options), options));
  if (index < 0) return [...cart, { ...line, options }];
  const existing = cart[index] as CartLine;
  const quantity = existing.quantity + line.quantity;
  assertQuantity(quantity);
  return cart.map((l, i) => (i === index ? { ...existing, options, quantity } : l));
}

export function setLineQuantity(cart: Cart, index: number, quantity: number): Cart {
  assertQuantity(quantity);
  if (!cart[index]) throw new CommerceError("invalid_quantity", `the cart has no line ${index + 1}`, { line: index + 1 });
  return cart.map((l, i) => (i === index ? { ...l, quantity } : l));
}

export function removeLine(cart: Cart, index: number): Cart {
  if (!cart[index]) throw new CommerceError("invalid_quantity", `the cart has no line ${index + 1}`, { line: index + 1 });
  return cart.filter((_, i) => i !== index);
}

/** Whether adding `productId` keeps the cart in one currency. */
export function fitsCartCurrency(catalog: CatalogIndex, cart: Cart, productId: string): boolean {
  const first = cart[0];
  return first === undefined || catalog.currencyOf(first.productId) === catalog.currencyOf(productId);
}

/** Units of a product already in the cart, across all option variants. */
export function quantityInCart(cart: Cart, productId: string): number {
  return cart.reduce((n, l) => (l.productId === productId ? n + l.quantity : n), 0);
}

/** Prices every line from the catalog: totals are never taken from a client. */
export function priceCart(catalog: CatalogIndex, cart: Cart): PricedCart {
  const lines = cart.map((line): PricedLine => {
    const unitPrice = catalog.unitPrice(line.productId, line.options);
    return {
      productId: line.productId,
      name: catalog.product(line.productId).name,
      options: line.options,
      optionLabels: catalog.optionLabels(line.productId, line.options),
      quantity: line.quantity,
      unitPrice,
      lineTotal: unitPrice * line.quantity,
    };
  });
  const currencies = new Set(cart.map((line) => catalog.currencyOf(line.productId)));
  if (currencies.size > 1) {
    throw new CommerceError("mixed_currency", `a cart holds one currency, this one holds ${[...currencies].join(" and ")}`, { currencies: [...currencies].join(",") });
  }
  const [currency = catalog.currency] = currencies;
  return { lines, total: lines.reduce((sum, l) => sum + l.lineTotal, 0), currency };
}
