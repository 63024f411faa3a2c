/**
 * The hosted checkout's provider id on every report and kept session: also
 * the payments' idempotency namespace. Apart from provider.ts so that naming
 * it does not load the Stripe SDK.
 */
export const CHECKOUT_PROVIDER = "checkout";
