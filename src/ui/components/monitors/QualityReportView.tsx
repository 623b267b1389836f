import { deploymentPath } from '../../deployment-format.js';
import { formatRange } from '../../monitor-format.js';
import type { MonitorRun } from '../../monitors-client.js';
import { formatPercent } from '../../monitoring-format.js';
import { agreementFacts, meanGradeText, qualityHeadline, type QualityReport, rateText, type RateSignal, signalThresholdText, signalTitle, signalVerdict } from '../../quality-report.js';
import { reviewsPath } from '../../review-format.js';
import { type Fact, Facts } from '../deployments/Facts.js';
import { Link } from '../Link.js';
import { StatusBadge } from '../StatusBadge.js';
import { SignalsChart } from './SignalsChart.js';

/** The rate signals: each rate with its interval over how many votes or grades, threshold and verdict. */
function SignalsTable({ signals }: { signals: readonly RateSignal[] }) {
  return (
    <div className="table-scroll">
      <table className="table" data-testid="signals-table">
        <thead>
          <tr>
            <th>Signal</th>
            <th className="num">Rate (interval)</th>
            <th className="num" title="Votes or grades counted">
              Count
            </th>
            <th className="num" title="Degraded when the whole interval is past it">
              Degraded when
            </th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {signals.map((s) => {
            const v = signalVerdict(s);
            return (
              <tr key={s.name} data-testid="signal-row" data-signal={s.name} data-degraded={String(s.degraded)} data-status={s.status}>
                <td>{signalTitle(s.name)}</td>
                <td className="num nowrap" data-testid="signal-rate">
                  {rateText(s)}
                </td>
                <td className="num">{s.count}</td>
                <td className="num">{signalThresholdText(s)}</td>
                <td>
                  <StatusBadge status={v.status} label={v.label} testId="signal-verdict" />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * An LLM quality check's report: the verdict, the rate signals (table and interval chart), then the users' feedback,
 * the judge's grading, the human review queue (linked, filtered to this monitor) and how far judge and people agree.
 */
export function QualityReportView({ run, report }: { run: MonitorRun; report: QualityReport }) {
  const v = qualityHeadline(report);
  const f = report.feedback;
  const feedback: Fact[] = [
    ['Thumbs up', String(f.up), 'feedback-up'],
    ['Thumbs down', String(f.down), 'feedback-down'],
    ['Scored', f.scored > 0 ? `${f.scored} (mean ${meanGradeText(f.meanScore)})` : '0', 'feedback-scored'],
  ];
  const j = report.judge;
  const judge: Fact[] = j
    ? [
        ['Deployment', <Link to={deploymentPath(j.deployment)}>{j.deployment}</Link>, 'judge-deployment'],
        ['Graded', String(j.graded), 'judge-graded'],
        ['Judged this check', String(j.judgedNow), 'judge-now'],
        ['Mean grade', meanGradeText(j.meanScore), 'judge-mean'],
      ]
    : [];
  const h = report.human;
  const agreement = agreementFacts(report.agreement);
  return (
    <>
      <section className="card" data-testid="quality-report">
        <p className="report-summary" data-testid="report-summary" data-degraded={String(v.degraded)}>
          <strong className={v.degraded ? 'drift-yes' : 'drift-no'} data-testid="report-headline">
            {v.headline}
          </strong>{' '}
          · {report.predictions.toLocaleString('en-US')} answers, {report.gradable.toLocaleString('en-US')} gradable · confidence {formatPercent(report.confidence)} · window{' '}
          {formatRange(run.windowFrom, run.windowTo)}
        </p>
        <SignalsTable signals={report.signals} />
        <h3 className="subhead">Rates against their thresholds</h3>
        <SignalsChart signals={report.signals} confidence={report.confidence} />
      </section>
      <div className="two-col quality-blocks">
        <section className="card" data-testid="quality-feedback">
          <h2>Users' feedback</h2>
          <Facts items={feedback} testId="feedback-facts" />
        </section>
        <section className="card" data-testid="quality-judge">
          <h2>LLM judge</h2>
          {j ? <Facts items={judge} testId="judge-facts" /> : <p className="muted small">No judge set for this monitor.</p>}
          {j && j.errors.length > 0 && (
            <ul className="examples warn" data-testid="judge-errors">
              {j.errors.map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" data-testid="quality-human">
          <h2>Human review</h2>
          <Facts
            items={[
              ['Graded', String(h.graded), 'human-graded'],
              ['Pending', <Link to={reviewsPath({ monitor: run.monitor })} data-testid="review-queue-link">{`${h.pending} pending — open the queue`}</Link>, 'human-pending'],
              ['Queued this check', String(h.queuedNow), 'human-queued'],
              ['Mean grade', meanGradeText(h.meanScore), 'human-mean'],
            ]}
            testId="human-facts"
          />
        </section>
        <section className="card" data-testid="quality-agreement">
          <h2>Judge and people agree?</h2>
          {Array.isArray(agreement) ? (
            <Facts items={agreement.map(([k, val]) => [k, val, `agreement-${k.toLowerCase().replace(/ /g, '-')}`] as Fact)} testId="agreement-facts" />
          ) : (
            <p className="muted small" data-testid="agreement-error">
              {agreement.error}
            </p>
          )}
        </section>
      </div>
    </>
  );
}
