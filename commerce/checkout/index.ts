/**
 * Hosted checkout (Stripe's API and webhook scheme) for channels without
 * native payments. Kept out of commerce/index.ts so that bots and the
 * emulator do not load the Stripe SDK; the server imports it when configured.
 */
export { CheckoutProvider, CHECKOUT_PROVIDER, SIGNATURE_TOLERANCE_SECONDS, apiTarget, checkoutIdempotencyKey, expireIdempotencyKey, refundIdempotencyKey, sessionParams } from "./provider.ts";
export type { CheckoutProviderOptions, CheckoutSessionStore, KeptCheckoutSession, CheckoutMetadata, CheckoutEventMeaning, ExpireOutcome, RefundOutcome } from "./provider.ts";
