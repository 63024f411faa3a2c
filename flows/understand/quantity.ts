import { Dictionary, valueOf, type Entry } from "./dictionary.ts";
import { QUANTITY_WORDS } from "./lexicon.ts";
import { withNumbersMistyped } from "./near-numbers.ts";
import { PhraseTrie } from "./phrases.ts";

/** The built-in words and those that say what a number answering "how many?" counts ("of them", "j'en veux"): a quantity needs no catalog. */
function quantityWords(): Dictionary {
  const trie = new PhraseTrie<Entry>();
  for (const phrase of QUANTITY_WORDS) trie.add(phrase, { kind: "filler" });
  return new Dictionary(trie);
}
const words = quantityWords();

/**
 * A quantity alone ("2", "two", "2 please", "deux s'il vous plaît", "两个",
 * "no, 3"): undefined when the text is not one, or says two numbers, or
 * zero. Every language's number words are read whatever the locale: the
 * parameter is there for callers that have one, and decides nothing yet.
 *
 * @example
 * readQuantity("deux s'il vous plaît") // 2
 * readQuantity("2 lattes")             // undefined: that is an order, see readOrder
 */
export function readQuantity(text: string, _locale?: string): number | undefined {
  const reading = words.read(text);
  let quantity: number | undefined;
  const scanned = words.scan(reading, () => true);
  const alone = scanned.filter((p) => p.kind !== "filler").length === 1;
  for (const piece of withNumbersMistyped(scanned, reading, () => alone)) {
    switch (piece.kind) {
      case "number":
        if (quantity !== undefined) return undefined;
        quantity = valueOf(piece);
        break;
      case "filler":
      case "correction":
      case "measure":
      case "separator":
        break;
      default:
        return undefined;
    }
  }
  return quantity !== undefined && quantity > 0 ? quantity : undefined;
}
