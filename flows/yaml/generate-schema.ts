/**
 * Writes flows/schema.json from the zod schema, so editors can check flow
 * files as they are typed. Run after changing schema.ts:
 *   npx tsx flows/yaml/generate-schema.ts
 * A test fails when the committed file differs from what this writes.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { flowJsonSchema } from "./schema.ts";

/** Where the generated schema lives, next to the flow language it describes. */
const SCHEMA_FILE = fileURLToPath(new URL("../schema.json", import.meta.url));

writeFileSync(SCHEMA_FILE, flowJsonSchema());
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
