import { formatValue } from '../../format.js';
import { columnVerdict, formatScore, thresholdText } from '../../monitor-format.js';
import type { ColumnDrift, SideSummary } from '../../monitors-client.js';
import { StatusBadge } from '../StatusBadge.js';
import { columnAnchor } from './ColumnsTable.js';
import { CURRENT_COLOR, DistributionChart, REFERENCE_COLOR } from './DistributionChart.js';

/** One side in a line: `n 38 · missing 2 · mean 29.4 ± 14.1 · 0.42–80` or `n 38 · 3 distinct`. */
function sideText(s: SideSummary): string {
  const parts = [`n ${s.count.toLocaleString('en-US')}`];
  if (s.missing > 0) parts.push(`missing ${s.missing.toLocaleString('en-US')}`);
  if (s.mean !== undefined) parts.push(`mean ${formatValue(Number(s.mean.toPrecision(4)))}${s.std !== undefined ? ` ± ${formatValue(Number(s.std.toPrecision(3)))}` : ''}`);
  if (s.min !== undefined && s.max !== undefined) parts.push(`${formatValue(s.min)} – ${formatValue(s.max)}`);
  if (s.distinct !== undefined) parts.push(`${s.distinct.toLocaleString('en-US')} distinct`);
  return parts.join(' · ');
}

/** Words and example texts a domain classifier found typical of one side. */
function Side({ label, color, words, examples, testId }: { label: string; color: string; words: string[] | undefined; examples: string[] | undefined; testId: string }) {
  return (
    <div data-testid={testId}>
      <h4 className="subhead">
        <span className="legend-swatch" style={{ background: color }} />
        Typical of the {label}
      </h4>
      {words && words.length > 0 ? (
        <span className="chips">
          {words.map((w) => (
            <span key={w} className="chip chip-plain">
              {w}
            </span>
          ))}
        </span>
      ) : (
        <span className="muted small">no words</span>
      )}
      {examples && examples.length > 0 && (
        <ul className="examples">
          {examples.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A column of the report in detail: its verdict, both sides summarised, the distributions drawn, a text column's words. */
export function ColumnCard({ c }: { c: ColumnDrift }) {
  const v = columnVerdict(c);
  const k = c.classifier;
  return (
    <section className="card column-card" id={columnAnchor(c.column)} data-testid="column-card" data-column={c.column}>
      <div className="card-head">
        <h3 className="mono">{c.column}</h3>
        <StatusBadge status={v.status} label={v.label} />
      </div>
      <p className="muted small column-test">
        {c.kind}
        {c.testTitle && ` · ${c.testTitle}`}
        {c.score !== undefined && ` · score ${formatScore(c.adjustedScore ?? c.score)} (drifts ${thresholdText(c)})`}
        {c.derivedFrom && ` · a descriptor of ${c.derivedFrom}, not counted in the share`}
      </p>
      {c.reason && (
        <p className="warn small" data-testid="column-card-reason">
          {c.reason}
        </p>
      )}
      <dl className="facts">
        <div className="fact">
          <dt>Reference</dt>
          <dd>{sideText(c.reference)}</dd>
        </div>
        <div className="fact">
          <dt>Current</dt>
          <dd>{sideText(c.current)}</dd>
        </div>
        {k && (
          <div className="fact">
            <dt>Classifier ROC AUC</dt>
            <dd>{formatScore(k.rocAuc)}</dd>
          </div>
        )}
      </dl>
      {c.distribution && <DistributionChart column={c.column} d={c.distribution} />}
      {k && (k.referenceWords !== undefined || k.referenceExamples !== undefined) && (
        <div className="payloads" data-testid="classifier-words">
          <Side label="reference" color={REFERENCE_COLOR} words={k.referenceWords} examples={k.referenceExamples} testId="reference-words" />
          <Side label="current data" color={CURRENT_COLOR} words={k.currentWords} examples={k.currentExamples} testId="current-words" />
        </div>
      )}
      {!c.distribution && !k && c.status === 'tested' && <p className="muted small">No distribution to draw for this column.</p>}
    </section>
  );
}
