import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { flowFileSchema, flowJsonSchema, stepFields, STEP_TYPES } from "./schema.ts";

const committed = new URL("../schema.json", import.meta.url);

describe("flow file schema", () => {
  it("matches the committed flows/schema.json (regenerate with: npx tsx flows/yaml/generate-schema.ts)", () => {
    expect(readFileSync(committed, "utf8")).toBe(flowJsonSchema());
  });

  it("tells editors that unknown fields are errors and which fields are required", () => {
    const schema = JSON.parse(flowJsonSchema()) as {
      additionalProperties: boolean;
      required: string[];
      properties: { steps: { items: { oneOf: Array<{ additionalProperties?: boolean; required?: string[]; properties?: { type?: { const?: string } } }> } } };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["id", "version", "steps"]);
    const quantity = schema.properties.steps.items.oneOf.find((s) => s.properties?.type?.const === "quantity");
    expect(quantity?.additionalProperties).toBe(false);
    // Defaulted fields are optional to write.
    expect(quantity?.required).toEqual(["id", "type", "prompt"]);
  });

  it("lists step types and each type's fields from the schema itself", () => {
    expect(STEP_TYPES).toEqual(["say", "ask", "catalog", "quantity", "options", "cart_add", "cart_review", "checkout", "pay", "book", "bookings", "branch", "action", "end"]);
    expect(stepFields("catalog")).toEqual(["id", "type", "prompt", "slot", "understand", "next"]);
    expect(stepFields("ask", "confirm")).toEqual(["id", "type", "input", "prompt", "slot", "yes", "no", "retry", "next"]);
    expect(stepFields("nope")).toBeUndefined();
  });

  it("fills the builder's defaults", () => {
    const parsed = flowFileSchema.parse({
      id: "f",
      version: "1",
      steps: [
        { id: "q", type: "quantity", prompt: "How many?" },
        { id: "r", type: "cart_review", checkout: "q", more: "q" },
      ],
    });
    expect(parsed.steps).toEqual([
      { id: "q", type: "quantity", prompt: "How many?", slot: "quantity", productSlot: "product", min: 1, max: 10 },
      { id: "r", type: "cart_review", checkout: "q", more: "q", maxQuantity: 10 },
    ]);
  });
});
