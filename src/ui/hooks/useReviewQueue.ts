import { useCallback, useEffect, useState } from 'react';
import { reviews } from '../client.js';
import { byGradedAt, confirmationText, judgeGrades, type ReviewQuery } from '../review-format.js';
import type { Grade, Review } from '../reviews-client.js';
import { useAsync } from './useAsync.js';

/** Pending reviews read at once: the counter says `500+` beyond. */
export const PENDING_MAX = 500;
/** Graded reviews listed under the queue, and in the done / skipped lists. */
export const RECENT_MAX = 20;
export const LIST_MAX = 100;
/** How long "Graded 4 · good — on to the next answer." stays. */
export const CONFIRMATION_MS = 4000;

export interface ReviewData {
  /** The reviews of the page's filters (state and source). */
  readonly list: Review[];
  /** Human reviews waiting, for the counter. */
  readonly pending: Review[];
  /** On the queue: human grades of the newest reviews (the API lists by creation), latest graded first, below it. */
  readonly recent: Review[];
  /** The judge's grade per prediction id, beside human grades. */
  readonly judge: Map<string, Review>;
}

async function load(q: ReviewQuery): Promise<ReviewData> {
  const base = { deployment: q.deployment, monitor: q.monitor };
  const queue = q.state === 'pending' && q.source === 'human';
  const [list, pending, recent, judged] = await Promise.all([
    reviews.list({ ...base, source: q.source, state: q.state, maxResults: queue ? PENDING_MAX : LIST_MAX }),
    queue ? undefined : reviews.list({ ...base, source: 'human', state: 'pending', maxResults: PENDING_MAX }),
    queue ? reviews.list({ ...base, source: 'human', state: 'done', maxResults: RECENT_MAX, order: 'graded' }) : [],
    q.source === 'human' ? reviews.list({ ...base, source: 'judge', state: 'done', maxResults: 500 }) : [],
  ]);
  return { list: q.state === 'pending' ? list : byGradedAt(list), pending: pending ?? list, recent: byGradedAt(recent), judge: judgeGrades(judged) };
}

/**
 * The review queue of the page's filters: the reviews, the pending count, the judge's grades, and `grade`, which
 * posts a grade or a skip, drops the review from the queue at once, says so for a few seconds and re-reads the lists.
 */
export function useReviewQueue(q: ReviewQuery) {
  const data = useAsync(() => load(q), [q.deployment, q.monitor, q.state, q.source]);
  const [handled, setHandled] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [note, setNote] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (note === undefined) return;
    const t = setTimeout(() => setNote(undefined), CONFIRMATION_MS);
    return () => clearTimeout(t);
  }, [note]);

  const { reload } = data;
  const grade = useCallback(
    (review: Review, g: Grade) => {
      setBusy(true);
      setError(undefined);
      reviews.grade(review.id, g).then(
        () => {
          setHandled((s) => new Set([...s, review.id]));
          setNote(confirmationText('skip' in g ? { skip: true } : { score: g.score }));
          setBusy(false);
          reload();
        },
        (e: unknown) => {
          setError(e);
          setBusy(false);
        },
      );
    },
    [reload],
  );

  const d = data.data;
  const waiting = d ? d.pending.filter((r) => !handled.has(r.id)) : [];
  const list = d ? d.list.filter((r) => r.state !== 'pending' || !handled.has(r.id)) : [];
  return { data: d, list, waiting, capped: (d?.pending.length ?? 0) >= PENDING_MAX, loading: data.loading, loadError: data.error, reload, grade, busy, error, note };
}
