/**
 * Where a flow's texts are, for the checks that read them: templates and
 * translations.
 */
import type { Step, Text } from "./ir.ts";
import type { FlowPath } from "./source.ts";

/** One text field of a step: `prompt`, `retry`, `text`. */
export interface TextField {
  readonly field: string;
  readonly text: Text;
  /** Where the field is inside the step when not at its top: `["choices", 0]`. */
  readonly within?: FlowPath;
}

/** The texts a step shows, by field; a choice's label is one too (`choices[0].label`). */
export function textFields(step: Step): TextField[] {
  const found: TextField[] = [];
  const add = (field: string, text: Text | undefined) => {
    if (text !== undefined) found.push({ field, text });
  };
  switch (step.type) {
    case "say":
    case "end":
      add("text", step.text);
      break;
    case "ask":
      add("prompt", step.prompt);
      if (step.input !== "text") add("retry", step.retry);
      if (step.input === "phone" || step.input === "location") add("button", step.button);
      if (step.input === "choice") step.choices.forEach((c, i) => found.push({ field: "label", text: c.label, within: ["choices", i] }));
      break;
    case "catalog":
    case "quantity":
      add("prompt", step.prompt);
      break;
    default:
      break;
  }
  return found;
}

/** Each written variant of a text with its path: `["prompt"]`, or `["prompt", "fr"]` for a translation. */
export function textVariants(field: string, text: Text | undefined): Array<{ path: FlowPath; source: string }> {
  if (text === undefined || typeof text === "function") return [];
  if (typeof text === "string") return [{ path: [field], source: text }];
  return Object.entries(text).map(([locale, source]) => ({ path: [field, locale], source }));
}
