/**
 * Writes docs/webhooks/<type>.schema.json, one JSON Schema per webhook event
 * type, from jobs/webhook-schemas.ts. Run after changing it (or what events carry):
 *   npx tsx jobs/generate-webhook-schemas.ts
 * A test fails when the committed files differ from what this writes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MERCHANT_EVENT_TYPES } from "../store/index.ts";
import { webhookJsonSchema } from "./webhook-schemas.ts";

const DIR = fileURLToPath(new URL("../docs/webhooks/", import.meta.url));

mkdirSync(DIR, { recursive: true });
for (const type of MERCHANT_EVENT_TYPES) writeFileSync(`${DIR}${type}.schema.json`, webhookJsonSchema(type));
process.stdout.write(`wrote ${MERCHANT_EVENT_TYPES.length} schemas to ${DIR}\n`);
