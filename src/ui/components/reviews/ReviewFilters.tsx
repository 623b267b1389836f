import { monitors } from '../../client.js';
import { useAsync } from '../../hooks/useAsync.js';
import { navigate } from '../../navigation.js';
import { type ReviewQuery, reviewsPath } from '../../review-format.js';
import type { ReviewSource, ReviewState } from '../../reviews-client.js';
import { Segmented } from '../Segmented.js';

const STATES = [
  { value: 'pending', label: 'Pending' },
  { value: 'done', label: 'Graded' },
  { value: 'skipped', label: 'Skipped' },
] as const;
const SOURCES = [
  { value: 'human', label: 'People' },
  { value: 'judge', label: 'Judge' },
] as const;

/** The choices of a select: '' for all, then the names known, with the current one even when it is not among them. */
function choices(names: readonly string[], current: string): string[] {
  return [...new Set(['', ...names, ...(current ? [current] : [])])];
}

/**
 * The queue's filters, kept in the query string: monitor and deployment (of the LLM quality monitors there are),
 * state (pending, graded, skipped) and whose grades (people's or the judge's).
 */
export function ReviewFilters({ q }: { q: ReviewQuery }) {
  const known = useAsync(() => monitors.list(), []);
  const quality = (known.data ?? []).filter((m) => m.type === 'llm_quality');
  const go = (change: Partial<ReviewQuery>) => navigate(reviewsPath({ ...q, ...change }), { replace: true });
  return (
    <div className="toolbar review-filters" data-testid="review-filters">
      <label className="muted small">
        Monitor{' '}
        <select value={q.monitor} onChange={(e) => go({ monitor: e.target.value })} data-testid="filter-monitor">
          {choices(
            quality.map((m) => m.name),
            q.monitor,
          ).map((n) => (
            <option key={n} value={n}>
              {n || 'all monitors'}
            </option>
          ))}
        </select>
      </label>
      <label className="muted small">
        Deployment{' '}
        <select value={q.deployment} onChange={(e) => go({ deployment: e.target.value })} data-testid="filter-deployment">
          {choices(
            quality.map((m) => m.deployment),
            q.deployment,
          ).map((n) => (
            <option key={n} value={n}>
              {n || 'all deployments'}
            </option>
          ))}
        </select>
      </label>
      <Segmented<ReviewState> options={STATES} value={q.state} onChange={(state) => go({ state })} label="State" testId="filter-state" />
      <Segmented<ReviewSource> options={SOURCES} value={q.source} onChange={(source) => go({ source })} label="Graded by" testId="filter-source" />
    </div>
  );
}
