import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ReviewCard } from '../components/reviews/ReviewCard.js';
import { ReviewFilters } from '../components/reviews/ReviewFilters.js';
import { ReviewsTable } from '../components/reviews/ReviewsTable.js';
import { Spinner } from '../components/Spinner.js';
import { useReviewer } from '../hooks/useReviewer.js';
import { useReviewQueue } from '../hooks/useReviewQueue.js';
import { parseReviewQuery, pendingText } from '../review-format.js';

/** What an empty list says. */
function Empty({ state, source }: { state: string; source: string }) {
  if (state === 'pending' && source === 'human') {
    return (
      <div className="empty" data-testid="reviews-empty">
        No answers waiting for review. Each check of an <span className="mono">llm_quality</span> monitor queues a sample of its deployment's answers here (
        <span className="mono">quality.review_sample_size</span>).
      </div>
    );
  }
  return (
    <div className="empty" data-testid="reviews-empty">
      No {state === 'done' ? 'graded' : state} reviews {source === 'judge' ? 'by the judge ' : ''}for these filters.
    </div>
  );
}

/**
 * `/reviews[?deployment&monitor&state&source]`: the human review queue of LLM answers. Pending (the default): one
 * answer at a time with its prompt, grade buttons 1–5, a comment and the reviewer's name, or Skip; a grade posts and
 * moves on to the next with a short confirmation, and the latest grades are listed below beside the judge's grade of
 * the same answer. Graded and skipped reviews, and the judge's own grades, are lists.
 */
export function ReviewsPage({ search }: { search: string }) {
  const q = parseReviewQuery(search);
  const queue = useReviewQueue(q);
  const [reviewer, setReviewer] = useReviewer();
  const isQueue = q.state === 'pending' && q.source === 'human';
  const current = isQueue ? queue.waiting[0] : undefined;

  return (
    <div className="page">
      <Breadcrumbs items={[{ label: 'Reviews' }]} />
      <div className="page-head">
        <h1>Reviews</h1>
        {queue.data && (
          <span className="status status-unreviewed" data-testid="pending-count">
            {pendingText(queue.waiting.length, queue.capped)}
          </span>
        )}
        {queue.loading && <Spinner inline label={queue.data ? 'Refreshing…' : 'Loading reviews…'} />}
        {queue.note && (
          <span className="review-note" role="status" data-testid="review-confirmation">
            {queue.note}
          </span>
        )}
      </div>
      <ReviewFilters q={q} />
      {queue.loadError !== undefined && <ErrorMessage error={queue.loadError} onRetry={queue.reload} />}
      {queue.error !== undefined && <ErrorMessage error={queue.error} testId="grade-error" />}
      {queue.data &&
        (isQueue ? (
          <>
            {current ? <ReviewCard key={current.id} review={current} reviewer={reviewer} onReviewer={setReviewer} busy={queue.busy} onGrade={(g) => queue.grade(current, g)} /> : <Empty state={q.state} source={q.source} />}
            <section className="card" data-testid="recent-graded">
              <div className="card-head">
                <h2>Recently graded</h2>
                <span className="muted small">latest graded first · the judge's grade of the same answer beside · click a row for the whole exchange</span>
              </div>
              {queue.data.recent.length === 0 ? <p className="muted small">Nothing graded yet.</p> : <ReviewsTable rows={queue.data.recent} judge={queue.data.judge} testId="graded-table" />}
            </section>
          </>
        ) : queue.list.length === 0 ? (
          <Empty state={q.state} source={q.source} />
        ) : (
          <ReviewsTable rows={queue.list} judge={q.source === 'human' ? queue.data.judge : undefined} />
        ))}
    </div>
  );
}
