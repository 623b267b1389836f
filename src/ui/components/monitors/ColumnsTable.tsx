import { columnRows, columnVerdict, formatScore, scoreKindLabel, thresholdText } from '../../monitor-format.js';
import type { ColumnDrift } from '../../monitors-client.js';
import { StatusBadge } from '../StatusBadge.js';

/** The anchor of a column's distribution card below the table. */
export const columnAnchor = (column: string): string => `column-${column.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** The score as the verdict reads it: the adjusted p-value when a correction applies, the raw one in the title. */
function Score({ c }: { c: ColumnDrift }) {
  if (c.score === undefined) return <span className="muted">—</span>;
  if (c.adjustedScore === undefined) return <span title={scoreKindLabel(c.scoreKind)}>{formatScore(c.score)}</span>;
  return (
    <span title={`adjusted ${scoreKindLabel(c.scoreKind)} (raw ${formatScore(c.score)})`}>
      {formatScore(c.adjustedScore)} <span className="muted small">adj.</span>
    </span>
  );
}

/**
 * A drift report's columns: kind, test, score against its threshold (`<` for p-values, `≥` for distances), verdict
 * and values per side; a text column's descriptors indented under it; a column that got no verdict says why.
 */
export function ColumnsTable({ columns }: { columns: readonly ColumnDrift[] }) {
  return (
    <div className="table-scroll">
      <table className="table columns-table" data-testid="columns-table">
        <thead>
          <tr>
            <th>Column</th>
            <th>Kind</th>
            <th>Test</th>
            <th className="num">Score</th>
            <th className="num" title="Drifts when the score is below (p-values) or at or above (distances) it">
              Threshold
            </th>
            <th>Verdict</th>
            <th className="num">Ref n</th>
            <th className="num">Cur n</th>
          </tr>
        </thead>
        <tbody>
          {columnRows(columns).map(({ column: c, depth }) => {
            const v = columnVerdict(c);
            return (
              <tr key={c.column} className={depth ? 'derived-row' : undefined} data-testid="column-row" data-column={c.column} data-status={c.status} data-drifted={String(c.drifted)}>
                <td className="mono nowrap">
                  <a href={`#${columnAnchor(c.column)}`} className={depth ? 'derived-name' : undefined} title={depth ? `A descriptor of ${c.derivedFrom}: explains its drift, not counted in the share` : undefined}>
                    {depth ? c.column.slice((c.derivedFrom ?? '').length).replace(/^:\s*/, '↳ ') : c.column}
                  </a>
                </td>
                <td>{c.kind}</td>
                <td>
                  {c.testTitle ?? c.test ?? <span className="muted">—</span>}
                  {c.reason && (
                    <div className="muted small" data-testid="column-reason">
                      {c.reason}
                    </div>
                  )}
                </td>
                <td className="num nowrap" data-testid="column-score">
                  <Score c={c} />
                </td>
                <td className="num nowrap" data-testid="column-threshold">
                  {thresholdText(c)}
                </td>
                <td>
                  <StatusBadge status={v.status} label={v.label} testId="column-verdict" />
                </td>
                <td className="num">{c.reference.count.toLocaleString('en-US')}</td>
                <td className="num">{c.current.count.toLocaleString('en-US')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
