import { phraseKeys } from "./tokens.ts";

interface Node<T> {
  readonly next: Map<string, Node<T>>;
  readonly values: T[];
}

/** The phrases that start at one place in a sentence: how many tokens each covers, and what it means. */
export interface PhraseMatch<T> {
  readonly length: number;
  readonly values: readonly T[];
}

/**
 * Phrases keyed by their tokens, found by walking the sentence's tokens from
 * a position: every phrase starting there in one pass, however long, which
 * is what longest match over Chinese characters needs.
 */
export class PhraseTrie<T> {
  readonly #root: Node<T> = { next: new Map(), values: [] };
  /** Every key of every phrase: the words a typo may be corrected to. */
  readonly words = new Set<string>();

  /** Adds `phrase` (cut into tokens as a sentence would be) with its meaning; an empty phrase is skipped. */
  add(phrase: string, value: T): void {
    this.addKeys(phraseKeys(phrase), value);
  }

  addKeys(keys: readonly string[], value: T): void {
    if (keys.length === 0) return;
    let node = this.#root;
    for (const key of keys) {
      this.words.add(key);
      let child = node.next.get(key);
      if (!child) {
        child = { next: new Map(), values: [] };
        node.next.set(key, child);
      }
      node = child;
    }
    node.values.push(value);
  }

  /** The phrases starting at `from` in `keys`, longest first. */
  matchesAt(keys: readonly string[], from: number): PhraseMatch<T>[] {
    const found: PhraseMatch<T>[] = [];
    let node: Node<T> | undefined = this.#root;
    for (let i = from; i < keys.length; i++) {
      const key = keys[i];
      node = key === undefined ? undefined : node.next.get(key);
      if (!node) break;
      if (node.values.length > 0) found.push({ length: i - from + 1, values: node.values });
    }
    return found.reverse();
  }
}
