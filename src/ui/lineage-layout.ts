/**
 * Layered layout of a lineage graph, left to right: one column per node type (dataset → run → logged model →
 * model version → deployment), rows evenly spaced and each column centred on the tallest. An edge that skips columns
 * gets a waypoint ("lane") in every column it crosses, which takes a row there like a node, so the curve never runs
 * through a node. Row order is refined by barycentre sweeps (the classic Sugiyama heuristic) to cut crossings.
 * Pure: no DOM, so node:test checks it.
 */

/** Column order by type; types not listed here get columns after these, in order of appearance. */
export const TYPE_ORDER: readonly string[] = ['dataset', 'run', 'logged_model', 'model_version', 'deployment'];

export interface GraphNodeIn {
  readonly key: string;
  readonly type: string;
}

export interface GraphEdgeIn {
  readonly from: string;
  readonly to: string;
  readonly relation: string;
}

export interface LayoutOptions {
  readonly nodeWidth: number;
  readonly nodeHeight: number;
  /** Horizontal space between columns (edges and their labels live here). */
  readonly columnGap: number;
  /** Vertical space between rows. */
  readonly rowGap: number;
  readonly padding: number;
  /** Room above the first row for the column titles. */
  readonly headerHeight: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = { nodeWidth: 196, nodeHeight: 54, columnGap: 124, rowGap: 22, padding: 16, headerHeight: 26 };

export interface PlacedNode<N extends GraphNodeIn> {
  readonly node: N;
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly column: number;
  readonly row: number;
  readonly isRoot: boolean;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly relation: string;
  /** SVG path data (`M … C …`). */
  readonly path: string;
  /** Where the relation label goes (its centre). */
  readonly labelX: number;
  readonly labelY: number;
}

export interface PlacedColumn {
  readonly type: string;
  /** Left edge of the column's nodes. */
  readonly x: number;
  readonly width: number;
}

export interface LineageLayout<N extends GraphNodeIn> {
  readonly width: number;
  readonly height: number;
  readonly columns: readonly PlacedColumn[];
  readonly nodes: readonly PlacedNode<N>[];
  readonly edges: readonly PlacedEdge[];
}

/** A node or a lane (an edge's waypoint in a column it crosses). */
interface Slot {
  readonly id: string;
  readonly column: number;
  readonly preds: string[];
  readonly succs: string[];
  /** Index among the input nodes, for stable ties. */
  readonly seq: number;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/** Columns in use, in left-to-right order. */
function columnTypes(nodes: readonly GraphNodeIn[]): string[] {
  const present = new Set(nodes.map((n) => n.type));
  const known = TYPE_ORDER.filter((t) => present.has(t));
  const extra = [...new Set(nodes.map((n) => n.type))].filter((t) => !TYPE_ORDER.includes(t));
  return [...known, ...extra];
}

function sortByBarycentre(order: Slot[], neighbours: (s: Slot) => string[], rowOf: Map<string, number>): Slot[] {
  const key = new Map<string, number>();
  order.forEach((s, i) => {
    const rows = neighbours(s)
      .map((id) => rowOf.get(id))
      .filter((r): r is number => r !== undefined);
    key.set(s.id, rows.length > 0 ? rows.reduce((a, b) => a + b, 0) / rows.length : i);
  });
  return [...order].sort((a, b) => key.get(a.id)! - key.get(b.id)! || a.seq - b.seq);
}

/**
 * Places `nodes` and routes `edges`. Edges naming an unknown node are left out; duplicate edges (same ends and
 * relation) are drawn once. Parallel edges between the same two nodes get their labels stacked.
 */
export function layoutLineage<N extends GraphNodeIn>(
  nodes: readonly N[],
  edges: readonly GraphEdgeIn[],
  root: string,
  options: Partial<LayoutOptions> = {},
): LineageLayout<N> {
  const o = { ...DEFAULT_LAYOUT, ...options };
  const types = columnTypes(nodes);
  const colOf = new Map<string, number>();
  const byKey = new Map<string, N>();
  for (const n of nodes) {
    if (byKey.has(n.key)) continue;
    byKey.set(n.key, n);
    colOf.set(n.key, types.indexOf(n.type));
  }

  const slots = new Map<string, Slot>();
  let seq = 0;
  for (const n of byKey.values()) slots.set(n.key, { id: n.key, column: colOf.get(n.key)!, preds: [], succs: [], seq: seq++ });

  // Routed edges: the chain of slot ids each one passes through.
  const seen = new Set<string>();
  const routed: { edge: GraphEdgeIn; chain: string[] }[] = [];
  for (const e of edges) {
    const a = slots.get(e.from);
    const b = slots.get(e.to);
    if (!a || !b) continue;
    const k = `${e.from}\u0000${e.relation}\u0000${e.to}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const chain = [a.id];
    for (let c = a.column + 1; c < b.column; c++) {
      const lane: Slot = { id: `lane:${routed.length}:${c}`, column: c, preds: [], succs: [], seq: seq++ };
      slots.set(lane.id, lane);
      chain.push(lane.id);
    }
    chain.push(b.id);
    for (let i = 0; i + 1 < chain.length; i++) {
      const from = slots.get(chain[i]!)!;
      const to = slots.get(chain[i + 1]!)!;
      if (from.column < to.column) {
        from.succs.push(to.id);
        to.preds.push(from.id);
      }
    }
    routed.push({ edge: e, chain });
  }

  // Row order per column: input order, then barycentre sweeps left→right and right→left.
  let columns: Slot[][] = types.map((_, c) => [...slots.values()].filter((s) => s.column === c));
  const rowOf = new Map<string, number>();
  const index = () => columns.forEach((col) => col.forEach((s, i) => rowOf.set(s.id, i)));
  index();
  for (let pass = 0; pass < 4; pass++) {
    for (let c = 1; c < columns.length; c++) {
      columns[c] = sortByBarycentre(columns[c]!, (s) => s.preds, rowOf);
      index();
    }
    for (let c = columns.length - 2; c >= 0; c--) {
      columns[c] = sortByBarycentre(columns[c]!, (s) => s.succs, rowOf);
      index();
    }
  }

  const pitch = o.nodeHeight + o.rowGap;
  const maxRows = Math.max(1, ...columns.map((c) => c.length));
  const bodyHeight = maxRows * pitch - o.rowGap;
  const top = o.padding + o.headerHeight;
  const colX = (c: number) => o.padding + c * (o.nodeWidth + o.columnGap);
  /** Vertical centre of a slot: rows evenly spaced, each column centred on the tallest. */
  const centre = new Map<string, { x: number; y: number; column: number }>();
  columns.forEach((col, c) => {
    const offset = (bodyHeight - (col.length * pitch - o.rowGap)) / 2;
    col.forEach((s, i) => centre.set(s.id, { x: colX(c), y: top + offset + i * pitch + o.nodeHeight / 2, column: c }));
  });

  const placed: PlacedNode<N>[] = [];
  for (const n of byKey.values()) {
    const p = centre.get(n.key)!;
    placed.push({ node: n, x: p.x, y: p.y - o.nodeHeight / 2, width: o.nodeWidth, height: o.nodeHeight, column: p.column, row: rowOf.get(n.key)!, isRoot: n.key === root });
  }
  placed.sort((a, b) => a.column - b.column || a.row - b.row);

  const parallel = new Map<string, number>();
  const placedEdges: PlacedEdge[] = routed.map(({ edge, chain }) => {
    const pairKey = `${edge.from}\u0000${edge.to}`;
    const nth = parallel.get(pairKey) ?? 0;
    parallel.set(pairKey, nth + 1);
    const pts = chain.map((id) => centre.get(id)!);
    const first = pts[0]!;
    const last = pts[pts.length - 1]!;
    if (last.column <= first.column) {
      // Same column or backwards (not produced by lineage today): a loop out of the right side and back.
      const x = first.x + o.nodeWidth;
      const bulge = o.columnGap * 0.6 + Math.abs(last.y - first.y) * 0.15;
      return {
        from: edge.from,
        to: edge.to,
        relation: edge.relation,
        path: `M ${r1(x)} ${r1(first.y)} C ${r1(x + bulge)} ${r1(first.y)}, ${r1(last.x + o.nodeWidth + bulge)} ${r1(last.y)}, ${r1(last.x + o.nodeWidth)} ${r1(last.y)}`,
        labelX: r1(Math.max(x, last.x + o.nodeWidth) + bulge * 0.75),
        labelY: r1((first.y + last.y) / 2 + nth * 14),
      };
    }
    // Leave the source's right side, cross each lane horizontally, enter the target's left side.
    let d = `M ${r1(first.x + o.nodeWidth)} ${r1(first.y)}`;
    let x = first.x + o.nodeWidth;
    let y = first.y;
    for (let i = 1; i < pts.length; i++) {
      const p = pts[i]!;
      const isLane = i < pts.length - 1;
      const k = (p.x - x) / 2;
      d += ` C ${r1(x + k)} ${r1(y)}, ${r1(p.x - k)} ${r1(p.y)}, ${r1(p.x)} ${r1(p.y)}`;
      x = p.x;
      y = p.y;
      if (isLane) {
        d += ` L ${r1(p.x + o.nodeWidth)} ${r1(p.y)}`;
        x = p.x + o.nodeWidth;
      }
    }
    // Label: in the middle of the first lane for a long edge, else halfway along the gap.
    const lane = pts.length > 2 ? pts[1]! : undefined;
    const labelX = lane ? lane.x + o.nodeWidth / 2 : (first.x + o.nodeWidth + last.x) / 2;
    const labelY = lane ? lane.y : (first.y + last.y) / 2;
    return { from: edge.from, to: edge.to, relation: edge.relation, path: d, labelX: r1(labelX), labelY: r1(labelY + nth * 14) };
  });

  return {
    width: o.padding * 2 + types.length * o.nodeWidth + Math.max(0, types.length - 1) * o.columnGap,
    height: top + bodyHeight + o.padding,
    columns: types.map((type, c) => ({ type, x: colX(c), width: o.nodeWidth })),
    nodes: placed,
    edges: placedEdges,
  };
}
