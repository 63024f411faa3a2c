// The flow diagram panel: the bot's flows drawn as SVG from the diagram
// route's Mermaid (parsed and laid out by diagram.js), the followed
// customer's step marked, the global commands listed below.

import { api, API, ApiError } from "./api.js";
import { layoutGraph, parseMermaid } from "./diagram.js";
import { $, el, svg } from "./dom.js";
import { page } from "./state.js";

/** @typedef {import("./state.js").Customer} Customer */

/** Draws the diagram for the customer the page follows, or the whole bot when none has started. @param {Customer|undefined} customer */
export async function refreshDiagram(customer) {
  const following = page.active;
  let res;
  try {
    res = await api("GET", `${API}/bots/${encodeURIComponent(page.bot)}/diagram${customer?.started ? `?customer=${encodeURIComponent(customer.id)}` : ""}`);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    res = await api("GET", `${API}/bots/${encodeURIComponent(page.bot)}/diagram`);
  }
  // Another customer may have been used while this answer was on its way: the diagram follows them now.
  if (page.active !== following) return;
  const { mermaid, current } = res.body;
  $("mermaid").textContent = mermaid;
  const full = parseMermaid(mermaid);
  // The flows are drawn; the global commands (which jump into them from anywhere) are listed below.
  const isCommand = (/** @type {{shape:string}} */ n) => n.shape === "command" || n.shape === "note";
  const commands = full.nodes.filter(isCommand);
  const drawn = new Set(full.nodes.filter((n) => !isCommand(n)).map((n) => n.id));
  const graph = { nodes: full.nodes.filter((n) => drawn.has(n.id)), edges: full.edges.filter((e) => drawn.has(e.from) && drawn.has(e.to)), current: full.current };
  const nameOf = (/** @type {string} */ id) => full.nodes.find((n) => n.id === id)?.label ?? id;
  const commandList = commands
    .filter((c) => c.shape === "command")
    .map((c) => `${c.label} → ${full.edges.filter((e) => e.from === c.id).map((e) => nameOf(e.to)).join(", ") || "—"}`);
  const layout = layoutGraph(graph);
  const root = svg("svg", { viewBox: `0 0 ${layout.width} ${layout.height}`, width: layout.width, height: layout.height, role: "img", "aria-label": "flow diagram" });
  const defs = svg("defs");
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }));
  defs.append(marker);
  root.append(defs);
  const back = new Set(layout.back.map(([a, b]) => `${a} ${b}`));
  for (const e of graph.edges) {
    const a = layout.positions[e.from];
    const b = layout.positions[e.to];
    if (!a || !b) continue;
    const x1 = a.x + a.width / 2;
    const y1 = a.y + a.height;
    const x2 = b.x + b.width / 2;
    const y2 = b.y;
    const isBack = back.has(`${e.from} ${e.to}`) || y2 <= y1;
    const d = isBack
      ? `M${a.x + a.width},${a.y + a.height / 2} C${Math.max(a.x, b.x) + a.width + 60},${a.y} ${Math.max(a.x, b.x) + b.width + 60},${b.y + b.height} ${b.x + b.width},${b.y + b.height / 2}`
      : `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`;
    const path = svg("path", { d, class: `edge${isBack ? " back" : ""}`, "marker-end": "url(#arrow)" });
    if (e.label) {
      const title = svg("title");
      title.textContent = e.label;
      path.append(title);
    }
    root.append(path);
    if (e.label && !isBack) {
      const label = svg("text", { x: (x1 + x2) / 2 + 4, y: (y1 + y2) / 2, class: "edge-label" });
      label.textContent = e.label.length > 18 ? `${e.label.slice(0, 17)}…` : e.label;
      root.append(label);
    }
  }
  const currentIds = new Set(graph.current);
  for (const n of graph.nodes) {
    const p = layout.positions[n.id];
    if (!p) continue;
    const g = svg("g", { class: `node ${n.shape}${currentIds.has(n.id) ? " current" : ""}`, "data-node": n.id });
    const rx = n.shape === "start" || n.shape === "end" || n.shape === "ask" ? p.height / 2 : n.shape === "round" ? 10 : 3;
    g.append(svg("rect", { x: p.x, y: p.y, width: p.width, height: p.height, rx }));
    const text = svg("text", { x: p.x + p.width / 2, y: p.y + p.height / 2 + 4, "text-anchor": "middle" });
    text.textContent = n.label.length > 24 ? `${n.label.slice(0, 23)}…` : n.label;
    const title = svg("title");
    title.textContent = `${n.group ? `${n.group}: ` : ""}${n.label}`;
    g.append(title, text);
    root.append(g);
  }
  const where = current ? `Current: flow ${current.flow}, step ${current.step ?? "(ended)"}` : "No customer conversation: the whole bot.";
  $("diagram").replaceChildren(
    el("p", { class: "muted", text: where, attrs: { "data-testid": "diagram-current" } }),
    el("div", { class: "svg-scroll" }, [root]),
    el("p", { class: "muted commands", text: commandList.length ? `Global commands: ${commandList.join(" · ")}` : "" }),
  );
}
