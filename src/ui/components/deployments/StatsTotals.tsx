import type { VersionStats } from '../../../sdk/monitoring-client.js';
import { formatCounter } from '../../deployment-format.js';
import { formatLatencyMs, formatPercent, formatUsd, performanceText, tokensText } from '../../monitoring-format.js';
import { seriesColor } from '../../palette.js';
import { versionKey, versionLabel } from '../../stats-series.js';

/** Per version (sorted, coloured as in the charts), the window's totals: traffic, errors, latency, cost, feedback, performance. */
export function StatsTotals({ versions }: { versions: readonly VersionStats[] }) {
  return (
    <div className="table-scroll">
      <table className="table stats-totals" data-testid="stats-totals">
        <thead>
          <tr>
            <th>Version</th>
            <th className="num">Requests</th>
            <th className="num" title="Client errors (4xx) / server errors (5xx)">
              4xx / 5xx
            </th>
            <th className="num" title="Share of requests answered with a 5xx">
              Error rate
            </th>
            <th className="num">p50</th>
            <th className="num">p95</th>
            <th className="num">Cost</th>
            <th className="num" title="Prompt → generated tokens">
              Tokens
            </th>
            <th className="num">Feedback</th>
            <th className="num" title="Share of thumbs given that were thumbs down">
              Thumbs down
            </th>
            <th>Labelled performance</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v, i) => {
            const t = v.totals;
            return (
              <tr key={versionKey(v)} data-testid="totals-row" data-version={versionLabel(v)}>
                <td className="nowrap">
                  <span className="legend-swatch" style={{ background: seriesColor(i) }} aria-hidden="true" />
                  <span className="mono">{versionLabel(v)}</span>
                </td>
                <td className="num" data-testid="totals-requests">
                  {formatCounter(t.requests)}
                </td>
                <td className="num" data-testid="totals-errors">
                  {formatCounter(t.errors4xx)} / {formatCounter(t.errors5xx)}
                </td>
                <td className="num" data-testid="totals-error-rate">
                  {formatPercent(t.errorRate)}
                </td>
                <td className="num" data-testid="totals-p50">
                  {formatLatencyMs(t.latencyMs.p50)}
                </td>
                <td className="num" data-testid="totals-p95">
                  {formatLatencyMs(t.latencyMs.p95)}
                </td>
                <td className="num" data-testid="totals-cost">
                  {formatUsd(t.costUsd)}
                </td>
                <td className="num" data-testid="totals-tokens">
                  {tokensText(t.promptTokens, t.completionTokens)}
                </td>
                <td className="num" data-testid="totals-feedback">
                  {formatCounter(t.feedback.count)}
                </td>
                <td className="num" data-testid="totals-thumbs-down">
                  {formatPercent(t.feedback.thumbsDownRate)}
                </td>
                <td data-testid="totals-performance">{performanceText(t.performance)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
