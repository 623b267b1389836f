import { Fragment, useState } from 'react';
import { formatTime } from '../../format.js';
import { gradeText, oneLine } from '../../review-format.js';
import type { Review } from '../../reviews-client.js';
import { StatusBadge } from '../StatusBadge.js';

/** A grade's badge: 4 and 5 pass (green), 3 is amber, below red; none grey. */
function GradeBadge({ score, testId }: { score: number | null; testId: string }) {
  const status = score === null ? 'unreviewed' : score >= 4 ? 'ok' : score === 3 ? 'insufficient_data' : 'drifted';
  return <StatusBadge status={status} label={gradeText(score)} testId={testId} />;
}

/**
 * Graded (or skipped) reviews, newest first: when, the prompt and the answer on one line each (a click opens both in
 * full), the grade, who gave it and their comment, and — for people's grades — the judge's grade of the same answer.
 */
export function ReviewsTable({ rows, judge, testId = 'reviews-table' }: { rows: readonly Review[]; judge?: ReadonlyMap<string, Review> | undefined; testId?: string }) {
  const [open, setOpen] = useState<string | undefined>(undefined);
  const cols = judge ? 7 : 6;
  return (
    <div className="table-scroll">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th>Graded</th>
            <th>Prompt</th>
            <th>Answer</th>
            <th>Grade</th>
            <th>By</th>
            <th>Comment</th>
            {judge && <th title="The LLM judge's grade of the same answer">Judge</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const j = judge?.get(r.predictionId);
            return (
              <Fragment key={r.id}>
                <tr className={open === r.id ? 'prediction-row open' : 'prediction-row'} data-testid="review-row" data-id={r.id} data-prediction={r.predictionId} data-state={r.state} onClick={() => setOpen(open === r.id ? undefined : r.id)}>
                  <td className="nowrap muted">{formatTime(r.gradedAt ?? r.createdAt)}</td>
                  <td className="description-cell" title={r.prompt ?? undefined}>
                    {oneLine(r.prompt, 80)}
                  </td>
                  <td className="description-cell" title={r.answer ?? undefined}>
                    {oneLine(r.answer, 100)}
                  </td>
                  <td className="nowrap">{r.state === 'skipped' ? <StatusBadge status="skipped" testId="review-score" /> : <GradeBadge score={r.score} testId="review-score" />}</td>
                  <td data-testid="review-reviewer">{r.reviewer ?? <span className="muted">—</span>}</td>
                  <td className="description-cell feedback-comment" title={r.comment ?? undefined}>
                    {r.comment ? oneLine(r.comment, 80) : <span className="muted">—</span>}
                  </td>
                  {judge && <td className="nowrap" title={j?.comment ?? undefined}>{j ? <GradeBadge score={j.score} testId="judge-score" /> : <span className="muted" data-testid="judge-score-none">not judged</span>}</td>}
                </tr>
                {open === r.id && (
                  <tr className="prediction-detail">
                    <td colSpan={cols}>
                      <div className="payloads">
                        <div>
                          <h3 className="subhead">Prompt</h3>
                          <pre className="code-block exchange">{r.prompt ?? '—'}</pre>
                        </div>
                        <div>
                          <h3 className="subhead">Answer</h3>
                          <pre className="code-block exchange">{r.answer ?? '—'}</pre>
                        </div>
                      </div>
                      {j?.comment && <p className="muted small">Judge's reason: {j.comment}</p>}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
