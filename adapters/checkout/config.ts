import { z } from "zod";
import type { SettingsSources } from "../channel.ts";
import { MIN_SECRET_CHARS } from "../secrets.ts";
import { asText, baseUrl, readField, type Field } from "../settings.ts";

/** Hosted checkout (Stripe's API and webhook scheme): the keys that create sessions and check the webhook. */
export interface CheckoutSettings {
  /** The secret API key (sk_… or rk_…). */
  readonly apiKey: string;
  /** The checkout webhook endpoint's signing secret (`whsec_…`). */
  readonly webhookSecret: string;
  /** The checkout API's base URL; Stripe's (https://api.stripe.com) when unset. */
  readonly apiBase?: string;
  /** Where customers reach this server (KIOSK_PUBLIC_URL): the success and cancel pages are under it. */
  readonly publicUrl: string;
}

type Key = "checkoutApiKey" | "checkoutWebhookSecret" | "checkoutApiBase";

/** kiosk.config.ts keys (top level, as before channels had folders) and their variables. */
const FIELDS: Readonly<Record<Key, Field>> = {
  checkoutApiKey: {
    env: "KIOSK_CHECKOUT_API_KEY",
    expected: "the secret API key: sk_ or rk_, then test_ or live_, then at least 8 letters or digits (e.g. sk_test_…)",
    schema: z.string().trim().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,247}$/),
    fromText: asText,
    secret: true,
  },
  checkoutWebhookSecret: {
    env: "KIOSK_CHECKOUT_WEBHOOK_SECRET",
    expected: `the webhook signing secret (whsec_…), at least ${MIN_SECRET_CHARS} characters`,
    schema: z.string().trim().min(MIN_SECRET_CHARS).max(256),
    fromText: asText,
    secret: true,
  },
  checkoutApiBase: { env: "KIOSK_CHECKOUT_API_BASE", expected: "an http(s) URL with no path, e.g. https://api.stripe.com", schema: baseUrl(false), fromText: asText },
};

export const CHECKOUT_FILE_KEYS: readonly string[] = Object.keys(FIELDS);

/** What each missing setting is for, to say what to set. */
const NEEDED: ReadonlyArray<readonly [string, string, string]> = [
  ["KIOSK_CHECKOUT_API_KEY", "checkoutApiKey", "the secret API key (sk_…) that creates checkout sessions"],
  ["KIOSK_CHECKOUT_WEBHOOK_SECRET", "checkoutWebhookSecret", "the signing secret (whsec_…) of the webhook endpoint <public URL>/checkout/webhook"],
  ["KIOSK_PUBLIC_URL", "publicUrl", "the URL customers reach this server at, for checkout's success and cancel pages"],
];

/**
 * Reads checkoutApiKey, checkoutWebhookSecret, checkoutApiBase from
 * kiosk.config.ts and KIOSK_CHECKOUT_* (which win). Undefined when none is
 * set; when some are, every missing one (the public URL included) is a
 * problem naming what to set.
 */
export function readCheckoutSettings(sources: SettingsSources): CheckoutSettings | undefined {
  const { env, file, fileName, problems } = sources;
  const before = problems.length;
  const values: Partial<Record<Key, unknown>> = {};
  for (const [key, field] of Object.entries(FIELDS) as Array<[Key, Field]>) {
    const candidates: Array<[unknown, Parameters<typeof readField>[2]]> = [
      [file[key], { file: fileName, key }],
      [env[field.env] === "" ? undefined : env[field.env], { name: field.env }],
    ];
    for (const [value, source] of candidates) {
      if (value === undefined) continue;
      const read = readField(field, value, source);
      if ("value" in read) values[key] = read.value;
      else problems.push(read.problem);
    }
  }
  const given = Object.values(values).some((v) => v !== undefined);
  if (!given) return undefined;
  const found: Record<string, unknown> = { ...values, publicUrl: sources.publicUrl };
  if (problems.length > before) return undefined;
  const missing = NEEDED.filter(([, key]) => found[key] === undefined);
  if (missing.length > 0) {
    if (problems.length === 0) problems.push(...missing.map(([variable, key, what]) => `hosted checkout is configured but ${variable} is not set: set it (or '${key}' in kiosk.config.ts) to ${what}`));
    return undefined;
  }
  return {
    apiKey: String(values.checkoutApiKey),
    webhookSecret: String(values.checkoutWebhookSecret),
    ...(values.checkoutApiBase === undefined ? {} : { apiBase: String(values.checkoutApiBase) }),
    publicUrl: String(sources.publicUrl),
  };
}
