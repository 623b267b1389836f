import type { Distribution } from './distribution.js';
import type { ColumnDrift, DriftReport } from './report.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function num(x: number | undefined): string {
  if (x === undefined) return '';
  if (x === 0) return '0';
  if (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e7) return x.toExponential(2);
  return Number(x.toPrecision(4)).toLocaleString('en-US', { maximumSignificantDigits: 4 });
}

const REF = '#4c78a8';
const CUR = '#f58518';

/** Reference and current drawn over each other: a histogram of shares (numerical) or side-by-side bars (categories). */
export function distributionSvg(d: Distribution, width = 520, height = 180): string {
  const pad = { left: 44, right: 24, top: 8, bottom: 40 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const n = d.reference.length;
  const max = Math.max(...d.reference, ...d.current, 1e-12);
  const y = (v: number) => pad.top + h - (v / max) * h;
  const parts: string[] = [];
  for (const t of [0, 0.5, 1]) {
    const yy = y(max * t);
    parts.push(`<line x1="${pad.left}" x2="${pad.left + w}" y1="${yy}" y2="${yy}" stroke="#ddd"/><text x="${pad.left - 4}" y="${yy + 4}" text-anchor="end">${(max * t * 100).toFixed(0)}%</text>`);
  }
  const slot = w / n;
  if (d.type === 'histogram') {
    // Overlaid bars: reference filled, current outlined, so both stay readable where they overlap.
    for (let i = 0; i < n; i++) {
      const x = pad.left + i * slot;
      parts.push(`<rect x="${x}" y="${y(d.reference[i]!)}" width="${Math.max(slot - 1, 1)}" height="${pad.top + h - y(d.reference[i]!)}" fill="${REF}" fill-opacity="0.55"><title>${esc(`[${num(d.edges[i])}, ${num(d.edges[i + 1])}): reference ${(d.reference[i]! * 100).toFixed(1)}%`)}</title></rect>`);
      parts.push(`<rect x="${x}" y="${y(d.current[i]!)}" width="${Math.max(slot - 1, 1)}" height="${pad.top + h - y(d.current[i]!)}" fill="${CUR}" fill-opacity="0.35" stroke="${CUR}"><title>${esc(`[${num(d.edges[i])}, ${num(d.edges[i + 1])}): current ${(d.current[i]! * 100).toFixed(1)}%`)}</title></rect>`);
    }
    for (const i of [0, Math.floor(n / 2), n]) parts.push(`<text x="${pad.left + i * slot}" y="${pad.top + h + 14}" text-anchor="${i === 0 ? 'start' : i === n ? 'end' : 'middle'}">${esc(num(d.edges[i]))}</text>`);
  } else {
    const bw = Math.max((slot - 4) / 2, 1);
    for (let i = 0; i < n; i++) {
      const x = pad.left + i * slot + 2;
      parts.push(`<rect x="${x}" y="${y(d.reference[i]!)}" width="${bw}" height="${pad.top + h - y(d.reference[i]!)}" fill="${REF}"><title>${esc(`${d.categories[i]}: reference ${(d.reference[i]! * 100).toFixed(1)}%`)}</title></rect>`);
      parts.push(`<rect x="${x + bw}" y="${y(d.current[i]!)}" width="${bw}" height="${pad.top + h - y(d.current[i]!)}" fill="${CUR}"><title>${esc(`${d.categories[i]}: current ${(d.current[i]! * 100).toFixed(1)}%`)}</title></rect>`);
      const label = d.categories[i]!.length > 10 ? `${d.categories[i]!.slice(0, 9)}…` : d.categories[i]!;
      parts.push(`<text x="${x + bw}" y="${pad.top + h + 14}" text-anchor="middle" transform="rotate(25 ${x + bw} ${pad.top + h + 14})">${esc(label)}</text>`);
    }
  }
  return `<svg class="dist" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="reference and current distributions">${parts.join('')}</svg>`;
}

function verdict(c: ColumnDrift): string {
  if (c.status === 'tested') return c.drifted ? '<span class="bad">Drift</span>' : '<span class="good">No drift</span>';
  return `<span class="muted">${c.status === 'insufficient_data' ? 'Insufficient data' : esc(c.status)}</span>`;
}

function side(s: ColumnDrift['reference']): string {
  const bits = [`${s.count.toLocaleString('en-US')} values`, s.missing ? `${s.missing.toLocaleString('en-US')} missing` : ''];
  if (s.mean !== undefined) bits.push(`mean ${num(s.mean)}`, `sd ${num(s.std)}`, `range ${num(s.min)} – ${num(s.max)}`);
  if (s.distinct !== undefined) bits.push(`${s.distinct.toLocaleString('en-US')} distinct`);
  return bits.filter((b) => b !== '').join(' · ');
}

function details(c: ColumnDrift): string {
  const out: string[] = [];
  if (c.distribution) out.push(distributionSvg(c.distribution));
  out.push(`<p><b style="color:${REF}">■ reference</b> ${esc(side(c.reference))}<br><b style="color:${CUR}">■ current</b> ${esc(side(c.current))}</p>`);
  if (c.testTitle) out.push(`<p>Test: ${esc(c.testTitle)} (${c.testChosenBy === 'auto' ? 'chosen automatically' : `set for ${c.testChosenBy === 'all' ? 'every column' : c.testChosenBy === 'kind' ? `${c.kind} columns` : 'this column'}`}); drifts when the score is ${c.scoreKind === 'p_value' ? 'below' : 'at or above'} ${num(c.threshold)}.</p>`);
  if (c.reason) out.push(`<p class="muted">${esc(c.reason)}</p>`);
  const k = c.classifier;
  if (k) {
    out.push(`<p>A classifier tells current rows from reference rows with ROC AUC <b>${num(k.rocAuc)}</b> (${k.trainRows.toLocaleString('en-US')} rows to train, ${k.testRows.toLocaleString('en-US')} to test; 0.5 is chance).</p>`);
    if ('referenceWords' in k) {
      out.push(`<div class="cols"><div><h4>Typical of the reference</h4><p class="words">${k.referenceWords.map(esc).join(', ') || '—'}</p><ul>${k.referenceExamples.map((e: string) => `<li>${esc(e)}</li>`).join('')}</ul></div>`);
      out.push(`<div><h4>Typical of the current</h4><p class="words">${k.currentWords.map(esc).join(', ') || '—'}</p><ul>${k.currentExamples.map((e: string) => `<li>${esc(e)}</li>`).join('')}</ul></div></div>`);
    }
  }
  return out.join('');
}

/** The report as one self-contained HTML page (inline CSS and SVG, no scripts or external files). */
export function renderHtml(r: DriftReport, meta: { reference: string; current: string; generatedAt: Date }): string {
  const corrected = r.correction !== 'none';
  const rows = r.columns
    .map(
      (c) => `<tr class="${c.drifted ? 'drift' : ''}"><td><details${c.drifted ? " open" : ""}><summary><b>${esc(c.column)}</b></summary>${details(c)}</details></td><td>${c.kind}</td><td>${esc(c.test ?? '')}</td><td class="n">${num(c.score)}</td>${corrected ? `<td class="n">${num(c.adjustedScore)}</td>` : ''}<td>${c.threshold === undefined ? '' : `${c.scoreKind === 'p_value' ? '&lt;' : '≥'} ${num(c.threshold)}`}</td><td>${verdict(c)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Drift report — ${esc(meta.current)} vs ${esc(meta.reference)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222}
h1{font-size:22px;margin:0 0 4px}.sub{color:#666;margin:0 0 16px}
.summary{display:flex;gap:16px;margin:16px 0}.card{border:1px solid #ddd;border-radius:8px;padding:12px 16px;min-width:150px}
.card b{display:block;font-size:22px}.bad{color:#c62828;font-weight:600}.good{color:#2e7d32}.muted{color:#777}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #eee;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#fafafa;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}tr.drift td:first-child{border-left:3px solid #c62828}
summary{cursor:pointer}svg.dist{font:10px system-ui,sans-serif;fill:#555;max-width:100%;height:auto;margin-top:8px}
.cols{display:flex;gap:24px}.cols>div{flex:1}.words{font-weight:600}ul{padding-left:18px;margin:4px 0}li{margin:2px 0;color:#444}
</style></head><body>
<h1>Data drift report</h1>
<p class="sub">Reference <code>${esc(meta.reference)}</code> (${r.referenceRows.toLocaleString('en-US')} rows) · current <code>${esc(meta.current)}</code> (${r.currentRows.toLocaleString('en-US')} rows) · ${esc(meta.generatedAt.toISOString())}</p>
<div class="summary">
<div class="card">Dataset drift<b class="${r.datasetDrift ? 'bad' : 'good'}">${r.datasetDrift ? 'Detected' : 'Not detected'}</b></div>
<div class="card">Drifted columns<b>${r.drifted} of ${r.tested}</b></div>
<div class="card">Share<b>${(r.share * 100).toFixed(1)}%</b><span class="muted">drifts at ${(r.driftShare * 100).toFixed(0)}%</span></div>
${corrected ? `<div class="card">Correction<b>${r.correction === 'bh' ? 'Benjamini–Hochberg' : 'Bonferroni'}</b></div>` : ''}
</div>
<table><thead><tr><th>Column (click for distributions)</th><th>Kind</th><th>Test</th><th>Score</th>${corrected ? '<th>Adjusted</th>' : ''}<th>Drift if</th><th>Result</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
