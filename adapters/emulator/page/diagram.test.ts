import { describe, expect, it } from "vitest";
import salon from "../../../bots/salon/index.ts";
import { flowDiagram } from "../../../flows/index.ts";
import { layoutGraph, parseMermaid } from "./diagram.js";

describe("flow diagram layout", () => {
  it("reads Kiosk's Mermaid: nodes with shapes and groups, labelled edges and the current step", () => {
    const mermaid = flowDiagram(salon, { current: { flowId: "booking", stepId: "book" } });
    const graph = parseMermaid(mermaid);
    expect(graph.nodes.find((n) => n.id === "booking__welcome")).toEqual({ id: "booking__welcome", label: "welcome · ask choice", shape: "ask", group: "flow booking" });
    expect(graph.nodes.find((n) => n.id === "cmd_start")).toMatchObject({ shape: "command", group: "global commands" });
    expect(graph.edges).toContainEqual({ from: "booking__welcome", to: "booking__book", label: "routes.book" });
    expect(graph.current).toEqual(["booking__book"]);
  });

  it("puts each node below every node that leads to it, except along a loop", () => {
    const graph = parseMermaid(['flowchart TD', '  a(("start"))', '  b["b"]', '  c["c"]', '  d["d"]', "  a --> b", "  b --> c", "  a --> c", "  c --> d", "  d --> b"].join("\n"));
    const { positions, back } = layoutGraph(graph, { nodeHeight: 10, gapY: 10 });
    const y = (id: string) => positions[id]?.y ?? -1;
    expect([y("a"), y("b"), y("c"), y("d")]).toEqual([5, 25, 45, 65]);
    expect(back).toEqual([["d", "b"]]);
  });
});
