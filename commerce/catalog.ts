import { CommerceError } from "./errors.ts";
import { assertMinorUnits } from "./money.ts";

/** A name in other languages, keyed by BCP 47 locale: `{ fr: "Boissons", "zh-CN": "饮品" }`. */
export type Translations = Readonly<Record<string, string>>;

/**
 * Other words customers use for a thing, keyed by BCP 47 locale:
 * `{ en: ["flat white"], fr: ["crème"] }`. They are never shown; typed text
 * matches them as it matches the names, and a whole alias is preferred to a
 * part of another product's name ("café" for an espresso over "Café au lait").
 * Each is a non-empty phrase of at most 60 characters.
 */
export type Aliases = Readonly<Record<string, readonly string[]>>;

/** The longest alias a catalog may give: a phrase, not a description. */
const MAX_ALIAS_LENGTH = 60;

export interface OptionChoice {
  readonly id: string;
  readonly label: string;
  /** The label in other locales; typed text matches any of them. */
  readonly names?: Translations;
  /** Other words for this choice in each locale ("oat" for "Oat milk"). */
  readonly aliases?: Aliases;
  /** Added to the product's price, in minor units; may be negative. */
  readonly priceDelta: number;
}

export interface OptionGroup {
  readonly id: string;
  readonly label: string;
  readonly names?: Translations;
  readonly choices: readonly OptionChoice[];
  readonly default?: string;
}

export interface Product {
  readonly id: string;
  readonly name: string;
  /** The name in other locales; typed text matches any of them. */
  readonly names?: Translations;
  /** Other words for it in each locale (`{ en: ["coffee"], fr: ["petit noir"] }`); typed text matches them too. */
  readonly aliases?: Aliases;
  readonly category: string;
  /** Base price in minor units. */
  readonly price: number;
  readonly description?: string;
  /**
   * A photo of it: a path relative to the bot's folder (`images/latte.jpg`,
   * see BotDefinition.folder) or an https URL. Channels that show pictures
   * show it on the product's card.
   */
  readonly image?: string;
  readonly options?: readonly OptionGroup[];
  /** Units on hand when the catalog is first loaded; absent means not tracked. */
  readonly stock?: number;
  /**
   * The currency this product is paid in when not the catalog's: Telegram
   * Stars (`XTR`) for a digital product. A cart holds one currency, so such a
   * product is ordered on its own.
   */
  readonly currency?: string;
  /** The channels it is offered on (`telegram`, `emulator`…); absent means every channel. */
  readonly channels?: readonly string[];
  /** Goods sent by post: the order needs a shipping address and a shipping option (see ShippingPolicy). */
  readonly ships?: boolean;
  /**
   * Days after payment the customer may cancel a paid order of it for a full
   * refund (a gift card not yet used); absent means a paid order is final.
   * An order is cancellable while every one of its products allows it.
   */
  readonly refundableDays?: number;
}

export interface Category {
  readonly id: string;
  readonly name: string;
  readonly names?: Translations;
}

export interface Catalog {
  readonly currency: string;
  readonly categories: readonly Category[];
  readonly products: readonly Product[];
}

/** Option choices keyed by group id: `{ size: "m" }`. */
export type SelectedOptions = Readonly<Record<string, string>>;

/**
 * A product image is an https URL or a relative path inside the bot's folder
 * (forward slashes, no `..`): what a channel uploads never leaves that folder.
 */
function checkImage(productId: string, image: string): void {
  if (/^https:\/\/[^\s/]+\/\S*$/.test(image)) return;
  if (/^[A-Za-z0-9_-][A-Za-z0-9._/-]*$/.test(image) && !image.split("/").includes("..")) return;
  throw new TypeError(`catalog: product '${productId}' has image '${image}'; write a path inside the bot's folder such as images/${productId}.jpg, or an https:// URL`);
}

/** Each alias is a non-empty phrase a customer could type, not a paragraph. Also checks a booking calendar's. */
export function checkAliases(owner: string, aliases: Aliases | undefined, where = "catalog"): void {
  for (const [locale, phrases] of Object.entries(aliases ?? {})) {
    if (!Array.isArray(phrases)) throw new TypeError(`${where}: ${owner} has aliases.${locale} that is not a list; write a list of phrases such as ["flat white"]`);
    for (const phrase of phrases) {
      if (typeof phrase !== "string" || phrase.trim().length === 0 || phrase.length > MAX_ALIAS_LENGTH) {
        throw new TypeError(`${where}: ${owner} has alias ${JSON.stringify(phrase)} in '${locale}'; write a phrase of 1 to ${MAX_ALIAS_LENGTH} characters`);
      }
    }
  }
}

/** Checks a catalog's internal consistency and returns an indexed view of it. */
export function indexCatalog(catalog: Catalog): CatalogIndex {
  return new CatalogIndex(catalog);
}

export class CatalogIndex {
  readonly #products = new Map<string, Product>();

  constructor(readonly catalog: Catalog) {
    const categories = new Set(catalog.categories.map((c) => c.id));
    for (const product of catalog.products) {
      if (this.#products.has(product.id)) throw new TypeError(`catalog: duplicate product id '${product.id}'`);
      if (!categories.has(product.category)) {
        throw new TypeError(
          `catalog: product '${product.id}' is in category '${product.category}', which is not one of: ${[...categories].join(", ")}`,
        );
      }
      assertMinorUnits(product.price, `catalog: price of '${product.id}'`);
      if (product.image !== undefined) checkImage(product.id, product.image);
      if (product.currency !== undefined && !/^[A-Z]{3}$/.test(product.currency)) {
        throw new TypeError(`catalog: product '${product.id}' has currency '${product.currency}'; write a three-letter code such as EUR, or XTR for Telegram Stars`);
      }
      if (product.refundableDays !== undefined && !(Number.isInteger(product.refundableDays) && product.refundableDays > 0)) {
        throw new TypeError(`catalog: product '${product.id}' has refundableDays ${product.refundableDays}; write a whole number of days, at least 1`);
      }
      checkAliases(`product '${product.id}'`, product.aliases);
      if (product.channels?.length === 0) throw new TypeError(`catalog: product '${product.id}' is offered on no channel; leave out 'channels' to offer it everywhere`);
      for (const group of product.options ?? []) {
        for (const choice of group.choices) {
          assertMinorUnits(choice.priceDelta, `catalog: '${product.id}' option '${choice.id}'`);
          checkAliases(`product '${product.id}' option '${group.id}' choice '${choice.id}'`, choice.aliases);
        }
        if (group.default !== undefined && !group.choices.some((c) => c.id === group.default)) {
          throw new TypeError(`catalog: product '${product.id}' option group '${group.id}' defaults to unknown choice '${group.default}'`);
        }
      }
      this.#products.set(product.id, product);
    }
  }

  get currency(): string {
    return this.catalog.currency;
  }

  /** The currency a product is paid in: its own, else the catalog's. */
  currencyOf(productId: string): string {
    return this.product(productId).currency ?? this.catalog.currency;
  }

  /** Whether a product is offered to customers on `channel`. */
  offeredOn(product: Product, channel: string): boolean {
    return product.channels === undefined || product.channels.includes(channel);
  }

  product(id: string): Product {
    const product = this.#products.get(id);
    if (!product) throw new CommerceError("unknown_product", `no product '${id}' in the catalog`, { productId: id });
    return product;
  }

  findProduct(id: string): Product | undefined {
    return this.#products.get(id);
  }

  productsIn(categoryId: string): Product[] {
    return this.catalog.products.filter((p) => p.category === categoryId);
  }

  /** Unit price with option deltas applied; rejects unknown or missing options. */
  unitPrice(productId: string, options: SelectedOptions): number {
    const product = this.product(productId);
    let price = product.price;
    for (const group of product.options ?? []) {
      const choiceId = options[group.id] ?? group.default;
      const choice = group.choices.find((c) => c.id === choiceId);
      if (!choice) {
        throw new CommerceError("invalid_option", `'${product.name}' needs a ${group.label}: one of ${group.choices.map((c) => c.id).join(", ")}`, {
          productId,
          group: group.id,
        });
      }
      price += choice.priceDelta;
    }
    for (const groupId of Object.keys(options)) {
      if (!(product.options ?? []).some((g) => g.id === groupId)) {
        throw new CommerceError("invalid_option", `'${product.name}' has no option '${groupId}'`, { productId, group: groupId });
      }
    }
    return price;
  }

  /** Every option group with its choice, defaults filled in: equal selections compare equal. */
  canonicalOptions(productId: string, options: SelectedOptions): SelectedOptions {
    this.unitPrice(productId, options); // rejects unknown groups and choices
    const canonical: Record<string, string> = {};
    for (const group of this.product(productId).options ?? []) {
      const choice = options[group.id] ?? group.default;
      if (choice !== undefined) canonical[group.id] = choice;
    }
    return canonical;
  }

  /** Human labels of the chosen options, in the product's group order: ["M"]. */
  optionLabels(productId: string, options: SelectedOptions): string[] {
    const product = this.product(productId);
    const labels: string[] = [];
    for (const group of product.options ?? []) {
      const choice = group.choices.find((c) => c.id === (options[group.id] ?? group.default));
      if (choice) labels.push(choice.label);
    }
    return labels;
  }
}
