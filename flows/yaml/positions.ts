import { isMap, isNode, isScalar, type Document, type LineCounter } from "yaml";
import type { FlowPath, FlowSource } from "../source.ts";

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Finds nodes of a parsed file by path and says where they are. */
export class SourcePositions implements FlowSource {
  constructor(
    readonly file: string,
    readonly doc: Document,
    readonly lines: LineCounter,
  ) {}

  #at(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /** Where the node at `path` starts, or its nearest ancestor that exists: a missing field points at its step. */
  position(path: FlowPath): Position {
    for (let length = path.length; length > 0; length--) {
      const node = this.doc.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) return this.#at(node.range[0]);
    }
    const root = this.doc.contents;
    return root?.range ? this.#at(root.range[0]) : { line: 1, column: 1 };
  }

  /** Where `key` is written in the map at `path`: an unknown field points at its name, not its value. */
  keyPosition(path: FlowPath, key: string): Position {
    const map = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    if (isMap(map)) {
      const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair && isNode(pair.key) && pair.key.range) return this.#at(pair.key.range[0]);
    }
    return this.position(path);
  }

  /** Where a parse error was found, by offset. */
  offset(offset: number): Position {
    return this.#at(offset);
  }
}
