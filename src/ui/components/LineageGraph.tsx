import { useId, useMemo, type MouseEvent } from 'react';
import type { LineageGraph as Graph, LineageNode } from '../../sdk/registry-types.js';
import { layoutLineage, type PlacedNode } from '../lineage-layout.js';
import { runPath, versionPath } from '../model-format.js';
import { navigate } from '../navigation.js';

const TYPES: Record<string, { title: string; label: string; color: string }> = {
  dataset: { title: 'Datasets', label: 'dataset', color: '#59a14f' },
  run: { title: 'Runs', label: 'run', color: '#4e79a7' },
  logged_model: { title: 'Logged models', label: 'logged model', color: '#b07aa1' },
  model_version: { title: 'Model versions', label: 'model version', color: '#f28e2b' },
  deployment: { title: 'Deployments', label: 'deployment', color: '#e15759' },
};
const typeInfo = (t: string) => TYPES[t] ?? { title: t, label: t, color: '#8c96a3' };

/** Where a node leads: runs to their page, versions to theirs; other nodes have no page. */
function nodeLink(n: LineageNode): string | undefined {
  if (n.type === 'run') return runPath(n.id);
  if (n.type === 'model_version') {
    const slash = n.id.lastIndexOf('/');
    if (slash > 0) return versionPath(n.id.slice(0, slash), n.id.slice(slash + 1));
  }
  return undefined;
}

/** The facts worth a line under the label (the type is said by the column and the colour). */
function subtitle(n: LineageNode): string {
  const d = n.detail;
  const aliases = d.aliases ? d.aliases.split(', ').map((a) => `@${a}`).join(' ') : '';
  if (n.type === 'model_version') return [d.flavor, aliases || (d.stage && d.stage !== 'None' ? d.stage : '')].filter(Boolean).join(' · ');
  if (n.type === 'dataset') return d.digest ? `digest ${d.digest.slice(0, 12)}` : '';
  if (n.type === 'run') return [(d.status ?? '').toLowerCase(), n.id.slice(0, 8)].filter(Boolean).join(' · ');
  if (n.type === 'logged_model') return [clip(n.id, 14), (d.status ?? '').toLowerCase()].filter(Boolean).join(' · ');
  return Object.values(d)[0] ?? '';
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Characters that fit in `px` at an average glyph width of `em` × `fontPx` (system sans-serif is ~0.55 em). */
const fits = (px: number, fontPx: number, em = 0.56) => Math.max(4, Math.floor(px / (fontPx * em)));

/**
 * The lineage around one node, drawn as SVG: a column per node type (dataset → run → logged model → version →
 * deployment), curved edges with their relation, the node asked about outlined. Runs and versions are links.
 */
export function LineageGraph({ graph }: { graph: Graph }) {
  const layout = useMemo(() => layoutLineage(graph.nodes, graph.edges, graph.root), [graph]);
  const uid = useId().replace(/:/g, '');
  if (graph.nodes.length === 0) return <p className="muted">No lineage recorded.</p>;
  return (
    <div className="lineage-scroll">
      <svg
        className="lineage"
        data-testid="lineage-graph"
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-label={`Lineage graph: ${graph.nodes.length} nodes, ${graph.edges.length} edges`}
      >
        <defs>
          <marker id="lineage-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#8c96a3" />
          </marker>
        </defs>
        {layout.columns.map((c) => (
          <text key={c.type} className="lineage-column" x={c.x + c.width / 2} y={18} textAnchor="middle">
            {typeInfo(c.type).title}
          </text>
        ))}
        {layout.edges.map((e, i) => (
          <path key={`p${i}`} className="lineage-edge" d={e.path} markerEnd="url(#lineage-arrow)" data-testid="lineage-edge" data-relation={e.relation} />
        ))}
        {layout.edges.map((e, i) => (
          <text key={`t${i}`} className="lineage-relation" x={e.labelX} y={e.labelY - 5} textAnchor="middle">
            {e.relation}
          </text>
        ))}
        {layout.nodes.map((p, i) => (
          <NodeBox key={p.node.key} placed={p} clipId={`${uid}-n${i}`} />
        ))}
      </svg>
    </div>
  );
}

function NodeBox({ placed, clipId }: { placed: PlacedNode<LineageNode>; clipId: string }) {
  const { node, x, y, width, height, isRoot } = placed;
  const info = typeInfo(node.type);
  const to = nodeLink(node);
  const detail = Object.entries(node.detail)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  const tooltip = `${info.label}: ${node.label}\n${node.id}${detail ? `\n${detail}` : ''}${isRoot ? '\n(the node this graph is about)' : ''}`;
  const box = (
    <g
      className={isRoot ? 'lineage-node root' : 'lineage-node'}
      data-testid="lineage-node"
      data-type={node.type}
      data-key={node.key}
      data-root={isRoot ? 'true' : undefined}
    >
      <title>{tooltip}</title>
      <rect x={x} y={y} width={width} height={height} rx={7} className="lineage-box" style={{ stroke: isRoot ? info.color : undefined }} />
      <rect x={x} y={y} width={5} height={height} rx={2} fill={info.color} />
      <clipPath id={clipId}>
        <rect x={x + 8} y={y} width={width - 16} height={height} />
      </clipPath>
      <g clipPath={`url(#${clipId})`}>
        <text x={x + 14} y={y + 22} className="lineage-label">
          {clip(node.label, fits(width - 26, 13, 0.6))}
        </text>
        <text x={x + 14} y={y + 40} className="lineage-sub">
          {clip(subtitle(node), fits(width - 26, 11.5))}
        </text>
      </g>
    </g>
  );
  if (!to) return box;
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className="lineage-link" aria-label={`${info.label} ${node.label}`} data-testid="lineage-link">
      {box}
    </a>
  );
}
