import type { ColumnDrift, DriftReport } from '../drift/report.js';
import { formatTable } from './table.js';

/** A score as people read it: small p-values in scientific notation, others with 4 significant digits. */
export function formatScore(x: number | undefined): string {
  if (x === undefined) return '';
  if (x === 0) return '0';
  if (Math.abs(x) < 1e-4) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}

function verdict(c: ColumnDrift): string {
  if (c.status === 'tested') return c.drifted ? 'DRIFT' : 'ok';
  if (c.status === 'insufficient_data') return 'insufficient data';
  return c.status;
}

/** How the score compares with the threshold: `p < 0.05` drifts for p-values, `≥ 0.1` for distances. */
function rule(c: ColumnDrift): string {
  if (c.threshold === undefined || c.scoreKind === undefined) return '';
  return `${c.scoreKind === 'p_value' ? '<' : '≥'} ${formatScore(c.threshold)}`;
}

/** The report as a terminal table, a summary line first and notes on columns that were not tested after. */
export function renderText(r: DriftReport): string {
  const corrected = r.correction !== 'none';
  const header = ['column', 'kind', 'test', 'score', ...(corrected ? ['adjusted'] : []), 'drift if', 'result', 'ref n', 'cur n'];
  const rows = r.columns.map((c) => [
    c.column,
    c.kind,
    c.test ?? '',
    formatScore(c.score),
    ...(corrected ? [formatScore(c.adjustedScore)] : []),
    rule(c),
    verdict(c),
    String(c.reference.count),
    String(c.current.count),
  ]);
  const align = header.map((h) => (['score', 'adjusted', 'ref n', 'cur n'].includes(h) ? 'right' : 'left') as 'left' | 'right');
  const lines = [
    `Dataset drift: ${r.datasetDrift ? 'DETECTED' : 'not detected'} — ${r.drifted} of ${r.tested} tested columns drifted (${(r.share * 100).toFixed(1)}%; the dataset drifts at ${(r.driftShare * 100).toFixed(0)}%)`,
    `Reference: ${r.referenceRows.toLocaleString('en-US')} rows; current: ${r.currentRows.toLocaleString('en-US')} rows${corrected ? `; p-values corrected (${r.correction === 'bh' ? 'Benjamini–Hochberg' : 'Bonferroni'})` : ''}`,
    '',
    formatTable(rows, { header, align, maxWidth: 32 }),
  ];
  const notes = r.columns.filter((c) => c.reason !== undefined);
  if (notes.length > 0) lines.push('', ...notes.map((c) => `${c.column}: ${verdict(c)} — ${c.reason}`));
  const classified = r.columns.filter((c) => c.classifier && 'referenceWords' in c.classifier);
  for (const c of classified) {
    const k = c.classifier as { rocAuc: number; referenceWords: string[]; currentWords: string[] };
    lines.push('', `${c.column}: a classifier tells current from reference with ROC AUC ${formatScore(k.rocAuc)}`, `  words typical of the reference: ${k.referenceWords.join(', ') || '—'}`, `  words typical of the current:   ${k.currentWords.join(', ') || '—'}`);
  }
  return lines.join('\n');
}
