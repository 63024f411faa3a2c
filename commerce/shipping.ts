import type { Translations } from "./catalog.ts";
import { CommerceError } from "./errors.ts";

/** One way to send goods, priced in the catalog's currency. */
export interface ShippingOption {
  readonly id: string;
  readonly label: string;
  readonly names?: Translations;
  /** In minor units of the order's currency. */
  readonly price: number;
  /** ISO 3166-1 alpha-2 codes it goes to; absent means every country the policy ships to. */
  readonly countries?: readonly string[];
}

/** Where and how a business sends goods that ship (products with `ships: true`). */
export interface ShippingPolicy {
  /** ISO 3166-1 alpha-2 codes of the countries it ships to. */
  readonly countries: readonly string[];
  readonly options: readonly ShippingOption[];
}

/** A postal address as the customer gave it (Telegram's ShippingAddress, camel-cased). */
export interface ShippingAddress {
  readonly countryCode: string;
  readonly state: string;
  readonly city: string;
  readonly streetLine1: string;
  readonly streetLine2: string;
  readonly postCode: string;
}

/** How a paid order of goods that ship is sent; its price is part of the order's total. */
export interface OrderShipping {
  readonly optionId: string;
  readonly label: string;
  readonly amount: number;
  readonly address: ShippingAddress;
  /** The recipient's name, when the customer gave one. */
  readonly name?: string;
}

const COUNTRY = /^[A-Z]{2}$/;

function invalid(message: string): CommerceError {
  return new CommerceError("invalid_option", message);
}

/** Checks a shipping policy whole; throws a CommerceError naming what is wrong. */
export function checkShippingPolicy(policy: ShippingPolicy): void {
  if (policy.countries.length === 0) throw invalid("shipping: 'countries' is empty; list the ISO 3166 codes you ship to, e.g. [FR, BE]");
  for (const code of policy.countries) {
    if (!COUNTRY.test(code)) throw invalid(`shipping: country '${code}' is not an ISO 3166-1 alpha-2 code such as FR`);
  }
  if (policy.options.length === 0) throw invalid("shipping: 'options' is empty; give at least one way to send goods");
  const ids = new Set<string>();
  for (const option of policy.options) {
    if (ids.has(option.id)) throw invalid(`shipping: duplicate option id '${option.id}'`);
    ids.add(option.id);
    if (!Number.isSafeInteger(option.price)) throw invalid(`shipping: price of '${option.id}' must be an integer number of minor units, got ${option.price}`);
    if (option.price < 0) throw invalid(`shipping: price of '${option.id}' is negative`);
    for (const code of option.countries ?? []) {
      if (!policy.countries.includes(code)) throw invalid(`shipping: option '${option.id}' goes to '${code}', which is not in the policy's countries`);
    }
  }
}

/** The options that go to `countryCode`; empty when the business does not ship there. */
export function shippingOptionsTo(policy: ShippingPolicy, countryCode: string): ShippingOption[] {
  const code = countryCode.toUpperCase();
  if (!policy.countries.includes(code)) return [];
  return policy.options.filter((o) => o.countries === undefined || o.countries.includes(code));
}

/** The option the customer chose, when it goes to their country. */
export function shippingOption(policy: ShippingPolicy, optionId: string, countryCode: string): ShippingOption | undefined {
  return shippingOptionsTo(policy, countryCode).find((o) => o.id === optionId);
}
