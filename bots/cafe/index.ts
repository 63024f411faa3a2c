import { defineBot, loadFlowDir, type Flow } from "../../flows/index.ts";
import { fitsOnOneTray } from "./actions.ts";
import { shop } from "./catalog.ts";

/**
 * Café Lumière: browse the menu, pick drinks with options, fill a cart,
 * confirm, pay, get a receipt — in English, French and Simplified Chinese.
 * The reference example of a bot: flows in YAML (flows/*.yaml), the catalog
 * and the one business rule data cannot say (actions.ts) in TypeScript.
 */
const flows = await loadFlowDir(new URL("flows", import.meta.url));

function flowNamed(id: string): Flow {
  const found = flows.find((f) => f.id === id);
  if (!found) throw new Error(`bots/cafe/flows: no flow '${id}'; flows are: ${flows.map((f) => f.id).join(", ")}`);
  return found;
}

/** The order flow, as loaded from flows/order.yaml. */
export const order: Flow = flowNamed("order");

export default defineBot({
  id: "cafe",
  name: "Café Lumière",
  locale: "en",
  locales: ["en", "fr", "zh-CN"],
  timeZone: "Europe/Paris",
  ...shop,
  flows,
  actions: { fitsOnOneTray },
  paymentWindowMs: 15 * 60_000,
});
