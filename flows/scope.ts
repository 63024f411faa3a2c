import { priceCart, type CartLine, type CatalogIndex, type Order, type PricedLine } from "../commerce/index.ts";
import type { Slots } from "./ir.ts";

/** A cart or order line as a text or a condition reads it. Money is in minor units. */
export interface ScopeLine {
  readonly name: string;
  readonly quantity: number;
  /** The labels of the chosen options ("M", "Oat milk"). */
  readonly options: readonly string[];
  readonly unitPrice: number;
  readonly lineTotal: number;
}

export interface ScopeCart {
  readonly lines: readonly ScopeLine[];
  readonly total: number;
  /** Null when the bot has no catalog, so nothing has a price. */
  readonly currency: string | null;
}

export interface ScopeOrder {
  readonly id: string;
  readonly status: string;
  readonly total: number;
  readonly currency: string;
  readonly items: readonly ScopeLine[];
  /** An ISO instant, for the `date` and `time` filters. */
  readonly createdAt: string;
}

export interface ScopeCustomer {
  readonly id: string;
  readonly channel: string;
  readonly locale: string;
}

/**
 * What a template or a branch condition reads: this conversation and nothing
 * else. It is plain data built for each render, so neither language can reach
 * the engine, the store or the process through it.
 *
 * @example
 * // In a flow: "{{ cart.lines.size }} items, {{ cart.total | money }}" or when: "slots.age >= 65"
 */
export interface ConversationScope {
  readonly slots: Readonly<Slots>;
  readonly cart: ScopeCart;
  /** The order in slot `order`: set by a checkout step, gone once it is paid. */
  readonly order?: ScopeOrder;
  readonly customer: ScopeCustomer;
  readonly bot: { readonly name: string };
}

/** The names a template or a condition may start from. */
export const SCOPE_ROOTS: readonly string[] = ["slots", "cart", "order", "customer", "bot"];

/** How texts show money, dates and products: in the bot's currency, zone and catalog, and the customer's locale. */
export interface TextFormat {
  readonly locale: string;
  /** IANA zone, e.g. "Europe/Paris". */
  readonly timeZone: string;
  /** Undefined when the bot has no catalog. */
  readonly currency: string | undefined;
  /** The catalog name of a product; undefined when there is no such product. */
  productName(id: string): string | undefined;
}

function scopeLine(line: PricedLine): ScopeLine {
  return { name: line.name, quantity: line.quantity, options: line.optionLabels, unitPrice: line.unitPrice, lineTotal: line.lineTotal };
}

/** Gives a line its names in the customer's language. */
export type LocalizeLine = (line: PricedLine) => PricedLine;

const asWritten: LocalizeLine = (line) => line;

export function scopeCart(catalog: CatalogIndex | undefined, cart: readonly CartLine[], localize: LocalizeLine = asWritten): ScopeCart {
  if (!catalog) return { lines: [], total: 0, currency: null };
  const priced = priceCart(catalog, cart);
  return { lines: priced.lines.map((l) => scopeLine(localize(l))), total: priced.total, currency: priced.currency };
}

export function scopeOrder(order: Order, localize: LocalizeLine = asWritten): ScopeOrder {
  return {
    id: order.id,
    status: order.status,
    total: order.total,
    currency: order.currency,
    items: order.items.map((l) => scopeLine(localize(l))),
    createdAt: order.createdAt.toISOString(),
  };
}
