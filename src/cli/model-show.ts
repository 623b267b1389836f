import type { Approval, Dim, LineageGraph, ModelManifest, ModelVersion, RegisteredModel, TensorSpec } from '../sdk/index.js';
import { formatBytes, formatNumber, formatTime } from './format.js';
import { formatTable } from './table.js';

/** Readable forms of registered models and versions (`models show`, `models register`). */

const IND = '  ';

/** `[N, 1]`; unknown dimensions are `?`, a scalar `scalar`, an unknown rank `unknown`. */
export function formatShape(shape: Dim[] | null): string {
  if (shape === null) return 'unknown';
  if (shape.length === 0) return 'scalar';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

function tensorTable(title: string, specs: TensorSpec[]): string[] {
  if (specs.length === 0) return [`${IND}${title}: none`];
  return [`${IND}${title} (${specs.length})`, formatTable(specs.map((t) => [t.name, t.dtype, formatShape(t.shape)]), { header: ['NAME', 'DTYPE', 'SHAPE'], indent: IND + IND, maxWidth: [40, 40, 30] })];
}

/** The latest decision per version (approvals come newest first). */
export function latestDecisions(approvals: Approval[]): Map<string, Approval> {
  const out = new Map<string, Approval>();
  for (const a of approvals) if (!out.has(a.version)) out.set(a.version, a);
  return out;
}

/** Flavor, model facts, files and the signature's inputs and outputs with dtypes and shapes. */
export function renderManifest(m: ModelManifest | null): string[] {
  if (m === null) return ['Manifest', `${IND}not available (the server could not read the model's files)`];
  const total = m.files.reduce((n, f) => n + f.size, 0);
  const rows: string[][] = [['flavor', m.flavor]];
  if (m.modelFile) rows.push(['model file', m.modelFile]);
  if (m.onnx) {
    rows.push(['onnx', `IR ${m.onnx.irVersion}, opsets ${m.onnx.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}`]);
    if (m.onnx.producerName) rows.push(['producer', `${m.onnx.producerName}${m.onnx.producerVersion ? ` ${m.onnx.producerVersion}` : ''}`]);
    rows.push(['batch dim', m.onnx.batchDimension]);
  }
  if (m.gguf) {
    const g = m.gguf;
    rows.push(['gguf', `v${g.version} ${g.architecture}${g.name ? ` (${g.name})` : ''}`]);
    if (g.quantization) rows.push(['quantization', g.quantization]);
    if (g.parameterCount !== undefined) rows.push(['parameters', g.parameterCount.toLocaleString('en-US')]);
    if (g.contextLength !== undefined) rows.push(['context', String(g.contextLength)]);
  }
  rows.push(['files', `${m.files.length} (${formatBytes(total)})`]);
  const out = ['Manifest', formatTable(rows, { indent: IND, maxWidth: [12, 100] })];
  if (m.signature) out.push('', 'Signature', ...tensorTable('inputs', m.signature.inputs), ...tensorTable('outputs', m.signature.outputs));
  return out;
}

function renderCard(v: ModelVersion): string[] {
  const c = v.card;
  if (!c) return [];
  const empty = !c.intendedUse && !c.limitations && c.knownFailureModes.length === 0 && c.evaluationScores.length === 0;
  const out = ['', 'Card'];
  if (empty) return [...out, `${IND}empty (fill it with PATCH /api/v1/models/<name>/versions/<v>/card)`];
  const rows: string[][] = [];
  if (c.intendedUse) rows.push(['intended use', c.intendedUse]);
  if (c.limitations) rows.push(['limitations', c.limitations]);
  for (const f of c.knownFailureModes) rows.push(['fails on', f]);
  if (rows.length) out.push(formatTable(rows, { indent: IND, maxWidth: [14, 100] }));
  if (c.evaluationScores.length) {
    out.push(formatTable(c.evaluationScores.map((s) => [s.metric, formatNumber(s.value), s.dataset ?? '']), { header: ['METRIC', 'VALUE', 'DATASET'], indent: IND, align: ['left', 'right', 'left'] }));
  }
  return out;
}

function renderApprovals(approvals: Approval[]): string[] {
  const out = ['', `Approvals (${approvals.length})`];
  if (approvals.length) {
    out.push(formatTable(approvals.map((a) => [a.decision, a.approver, formatTime(a.createdAt), a.comment]), { header: ['DECISION', 'BY', 'WHEN', 'COMMENT'], indent: IND, maxWidth: [10, 24, 19, 60] }));
  }
  return out;
}

function renderLineage(g: LineageGraph | undefined): string[] {
  if (!g || g.edges.length === 0) return [];
  const label = new Map(g.nodes.map((n) => [n.key, `${n.type.replace('_', ' ')} ${n.label}`]));
  const rows = g.edges.map((e) => [label.get(e.from) ?? e.from, e.relation, label.get(e.to) ?? e.to]);
  return ['', 'Lineage', formatTable(rows, { header: ['FROM', 'RELATION', 'TO'], indent: IND, maxWidth: [48, 24, 48] })];
}

/** The header rows of a version: what it is and where its bytes are. */
export function versionRows(v: ModelVersion): string[][] {
  const rows: string[][] = [
    ['model', v.name],
    ['version', v.version],
    ['aliases', v.aliases.join(', ')],
    ['stage', v.currentStage],
    ['status', v.status + (v.statusMessage ? ` (${v.statusMessage})` : '')],
    ['created', formatTime(v.creationTimestamp)],
    ['user', v.userId],
    ['run', v.runId],
    ['logged model', v.modelId],
    ['source', v.source],
    ['storage', v.storageLocation],
    ['description', v.description],
  ];
  return rows.filter(([, val]) => val !== '' && val !== undefined);
}

/** `models show NAME/VERSION`. */
export function renderVersion(v: ModelVersion, approvals: Approval[], lineage?: LineageGraph): string {
  const tags = v.tags.map((t) => [t.key, t.value]);
  return [
    `Model version ${v.name}/${v.version}`,
    formatTable(versionRows(v), { indent: IND, maxWidth: [12, 100] }),
    '',
    ...renderManifest(v.manifest),
    ...renderCard(v),
    ...renderApprovals(approvals),
    ...renderLineage(lineage),
    ...(tags.length ? ['', `Tags (${tags.length})`, formatTable(tags, { header: ['KEY', 'VALUE'], indent: IND, maxWidth: [40, 80] })] : []),
  ].join('\n');
}

/** `models register`: the new version and what the server read from its files. */
export function renderRegistered(v: ModelVersion): string {
  return [`Registered ${v.name} version ${v.version}.`, formatTable(versionRows(v), { indent: IND, maxWidth: [12, 100] }), '', ...renderManifest(v.manifest)].join('\n');
}

/** `models show NAME`: the model and a table of its versions, newest first. */
export function renderModel(m: RegisteredModel, versions: ModelVersion[], approvals: Approval[]): string {
  const rows: string[][] = [
    ['name', m.name],
    ['description', m.description],
    ['created', formatTime(m.creationTimestamp)],
    ['updated', formatTime(m.lastUpdatedTimestamp)],
    ['aliases', m.aliases.map((a) => `${a.alias} → ${a.version}`).join(', ')],
    ['protected', m.protectedAliases.join(', ')],
    ['tags', m.tags.map((t) => `${t.key}=${t.value}`).join(', ')],
  ].filter(([, v]) => v !== '');
  const decisions = latestDecisions(approvals);
  const out = [`Registered model ${m.name}`, formatTable(rows, { indent: IND, maxWidth: [12, 100] }), '', `Versions (${versions.length})`];
  if (versions.length) {
    const table = versions.map((v) => [
      v.version,
      v.aliases.join(', '),
      v.currentStage,
      v.status,
      decisions.get(v.version)?.decision ?? '',
      v.manifest?.flavor ?? '',
      formatTime(v.creationTimestamp),
      v.runId.slice(0, 8),
    ]);
    out.push(formatTable(table, { header: ['VERSION', 'ALIASES', 'STAGE', 'STATUS', 'APPROVAL', 'FLAVOR', 'CREATED', 'RUN'], indent: IND, align: ['right'], maxWidth: [8, 30, 10, 20, 9, 8, 19, 8] }));
  }
  return out.join('\n');
}
