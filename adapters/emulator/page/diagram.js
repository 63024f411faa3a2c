// Reads the Mermaid flowchart Kiosk writes (flows/diagram) and lays it out in
// layers, so the page can draw it as SVG without loading Mermaid. Plain JS,
// no DOM; adapters/emulator/page/diagram.test.ts checks this file.

const NODE = /^\s*([A-Za-z0-9_]+)\s*(\(\(\(|\(\(|\(\[|\{\{|\[|\(|>|\{)\s*"((?:[^"\\]|\\.)*)"/;
const EDGE = /^\s*([A-Za-z0-9_]+)\s*-->\s*(?:\|"((?:[^"\\]|\\.)*)"\|\s*)?([A-Za-z0-9_]+)\s*$/;
const SUBGRAPH = /^\s*subgraph\s+([A-Za-z0-9_]+)\s*(?:\["((?:[^"\\]|\\.)*)"\])?/;
const CLASS = /^\s*class\s+([A-Za-z0-9_,]+)\s+current\s*$/;

const SHAPES = { "(((": "end", "((": "start", "([": "ask", "{{": "command", "[": "step", "(": "round", ">": "note", "{": "decision" };

/**
 * @param {string} text Mermaid flowchart source
 * @returns {import("./diagram.d.ts").Graph}
 */
export function parseMermaid(text) {
  /** @type {Map<string, import("./diagram.d.ts").GraphNode>} */
  const nodes = new Map();
  /** @type {import("./diagram.d.ts").GraphEdge[]} */
  const edges = [];
  /** @type {string[]} */
  const current = [];
  /** @type {string|undefined} */
  let group;
  for (const line of text.split("\n")) {
    let m;
    if ((m = SUBGRAPH.exec(line))) {
      group = m[2] ?? m[1];
    } else if (/^\s*end\s*$/.test(line)) {
      group = undefined;
    } else if ((m = EDGE.exec(line))) {
      const [, from = "", label, to = ""] = m;
      edges.push(label === undefined ? { from, to } : { from, to, label });
    } else if ((m = NODE.exec(line))) {
      const [, id = "", open = "[", label = ""] = m;
      nodes.set(id, { id, label, shape: SHAPES[/** @type {keyof typeof SHAPES} */ (open)] ?? "step", ...(group === undefined ? {} : { group }) });
    } else if ((m = CLASS.exec(line))) {
      current.push(...(m[1] ?? "").split(","));
    }
  }
  for (const e of edges) {
    for (const id of [e.from, e.to]) if (!nodes.has(id)) nodes.set(id, { id, label: id, shape: "step" });
  }
  return { nodes: [...nodes.values()], edges, current };
}

/**
 * Layers: a node sits one layer below the deepest node with an edge into it,
 * ignoring edges that close a loop (found by a depth-first walk from the nodes
 * nothing points to). Within a layer, nodes keep their order in the source.
 *
 * @param {import("./diagram.d.ts").Graph} graph
 * @param {{nodeWidth?: number, nodeHeight?: number, gapX?: number, gapY?: number}} [options]
 * @returns {import("./diagram.d.ts").Layout}
 */
export function layoutGraph(graph, options = {}) {
  const w = options.nodeWidth ?? 170;
  const h = options.nodeHeight ?? 36;
  const gx = options.gapX ?? 24;
  const gy = options.gapY ?? 44;
  const ids = graph.nodes.map((n) => n.id);
  /** @type {Map<string, string[]>} */
  const out = new Map(ids.map((id) => [id, []]));
  const incoming = new Map(ids.map((id) => [id, 0]));
  for (const e of graph.edges) {
    out.get(e.from)?.push(e.to);
    incoming.set(e.to, (incoming.get(e.to) ?? 0) + 1);
  }
  // Back edges: found by DFS (iterative, so a long flow cannot overflow the stack).
  const back = new Set();
  const state = new Map();
  const roots = [...ids.filter((id) => incoming.get(id) === 0), ...ids];
  for (const root of roots) {
    if (state.has(root)) continue;
    /** @type {Array<[string, number]>} */
    const stack = [[root, 0]];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (!top) break;
      const [node, i] = top;
      const next = out.get(node)?.[i];
      if (next === undefined) {
        state.set(node, 2);
        stack.pop();
        continue;
      }
      top[1] = i + 1;
      if (state.get(next) === 1) back.add(`${node}\u0000${next}`);
      else if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  const forward = graph.edges.filter((e) => !back.has(`${e.from}\u0000${e.to}`) && e.from !== e.to);
  /** @type {Map<string, number>} */
  const layer = new Map(ids.map((id) => [id, 0]));
  // Longest path over a DAG: relax edges as many times as there are nodes at most.
  for (let pass = 0; pass < ids.length; pass++) {
    let changed = false;
    for (const e of forward) {
      const want = (layer.get(e.from) ?? 0) + 1;
      if ((layer.get(e.to) ?? 0) < want) {
        layer.set(e.to, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  /** @type {Map<number, string[]>} */
  const rows = new Map();
  for (const id of ids) {
    const l = layer.get(id) ?? 0;
    const row = rows.get(l) ?? [];
    row.push(id);
    rows.set(l, row);
  }
  const widest = Math.max(1, ...[...rows.values()].map((r) => r.length));
  const width = widest * (w + gx) + gx;
  /** @type {Record<string, {x:number,y:number,width:number,height:number}>} */
  const positions = {};
  for (const [l, row] of rows) {
    const rowWidth = row.length * (w + gx) - gx;
    const left = (width - rowWidth) / 2;
    row.forEach((id, i) => {
      positions[id] = { x: left + i * (w + gx), y: gy / 2 + l * (h + gy), width: w, height: h };
    });
  }
  const layers = Math.max(0, ...rows.keys()) + 1;
  return { positions, width, height: layers * (h + gy), back: [...back].map((k) => k.split("\u0000")) };
}
