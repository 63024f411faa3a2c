export type CommerceErrorCode =
  | "unknown_product"
  | "invalid_option"
  | "invalid_quantity"
  | "out_of_stock"
  | "invalid_transition"
  | "payment_mismatch"
  | "empty_cart"
  | "mixed_currency"
  | "not_payable"
  | "invalid_signature"
  /** A provider's event verified (signed) but not of the shape its type promises: refused, nothing changes. */
  | "malformed_event"
  /** An amount that cannot be money paid: negative, zero, fractional or absurdly large. */
  | "invalid_amount"
  | "provider_error";

/**
 * A domain rule was broken. Carries a stable `code` and structured details so
 * callers branch on data, never on message text.
 */
export class CommerceError extends Error {
  override readonly name = "CommerceError";
  constructor(
    readonly code: CommerceErrorCode,
    message: string,
    readonly details: Readonly<Record<string, string | number | null>> = {},
  ) {
    super(message);
  }
}
