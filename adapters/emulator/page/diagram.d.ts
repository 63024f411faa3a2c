// Types of diagram.js, for the TypeScript tests that import it.

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  /** From the Mermaid bracket: start, end, ask, step, round, command, note, decision. */
  readonly shape: string;
  /** The subgraph's title, when the node is in one. */
  readonly group?: string;
}
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
}
export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Ids of the nodes marked `class … current`. */
  readonly current: readonly string[];
}
export interface Layout {
  readonly positions: Readonly<Record<string, { x: number; y: number; width: number; height: number }>>;
  readonly width: number;
  readonly height: number;
  /** Edges that close a loop, as [from, to]. */
  readonly back: readonly string[][];
}

export declare function parseMermaid(text: string): Graph;
export declare function layoutGraph(graph: Graph, options?: { nodeWidth?: number; nodeHeight?: number; gapX?: number; gapY?: number }): Layout;
