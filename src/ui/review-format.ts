/** Display helpers of the review queue (`/reviews`). Pure, so they run under node:test as well. */
import { withQuery } from './navigation.js';
import type { Review, ReviewSource, ReviewState } from './reviews-client.js';

export const REVIEWS_PATH = '/reviews';

/** Where the reviewer's name is remembered between visits. */
export const REVIEWER_KEY = 'pitwall.reviewer';

/** The grades a person gives, in the words of the judge's default rubric (1 wrong … 5 excellent). */
export const GRADES: readonly { readonly score: number; readonly label: string }[] = [
  { score: 1, label: 'bad' },
  { score: 2, label: 'poor' },
  { score: 3, label: 'acceptable' },
  { score: 4, label: 'good' },
  { score: 5, label: 'excellent' },
];

/** A grade in words: `4 · good`; a dash for none. */
export function gradeText(score: number | null | undefined): string {
  if (score === null || score === undefined) return '—';
  const g = GRADES.find((x) => x.score === score);
  return g ? `${score} · ${g.label}` : String(score);
}

export interface ReviewQuery {
  readonly deployment: string;
  readonly monitor: string;
  readonly state: ReviewState;
  readonly source: ReviewSource;
}

/** The page's filters from its query string: `state` pending and `source` human unless said otherwise. */
export function parseReviewQuery(search: string): ReviewQuery {
  const q = new URLSearchParams(search);
  const state = q.get('state');
  return {
    deployment: q.get('deployment') ?? '',
    monitor: q.get('monitor') ?? '',
    state: state === 'done' || state === 'skipped' ? state : 'pending',
    source: q.get('source') === 'judge' ? 'judge' : 'human',
  };
}

/** The page's URL for filters; defaults are left out (`/reviews?monitor=m`). */
export function reviewsPath(f: Partial<ReviewQuery> = {}): string {
  return withQuery(REVIEWS_PATH, {
    deployment: f.deployment,
    monitor: f.monitor,
    state: f.state === 'pending' ? undefined : f.state,
    source: f.source === 'human' ? undefined : f.source,
  });
}

/** The judge's grade per answer (prediction id): the newest judge review of each that has a score. */
export function judgeGrades(judged: readonly Review[]): Map<string, Review> {
  const out = new Map<string, Review>();
  for (const r of judged) {
    if (r.source !== 'judge' || r.score === null) continue;
    const seen = out.get(r.predictionId);
    if (!seen || (r.gradedAt ?? r.createdAt) > (seen.gradedAt ?? seen.createdAt)) out.set(r.predictionId, r);
  }
  return out;
}

/** Reviews latest graded first (the API lists them by creation); ungraded ones by creation, after. */
export function byGradedAt(rows: readonly Review[]): Review[] {
  return [...rows].sort((a, b) => (b.gradedAt ?? -1) - (a.gradedAt ?? -1) || b.createdAt - a.createdAt);
}

/** `3 pending`, `500+ pending` when the list was cut at the page's limit. */
export function pendingText(count: number, capped: boolean): string {
  return `${count.toLocaleString('en-US')}${capped ? '+' : ''} pending`;
}

/** What the page says after a grade went through. */
export function confirmationText(g: { score: number } | { skip: true }): string {
  return 'skip' in g ? 'Skipped — on to the next answer.' : `Graded ${gradeText(g.score)} — on to the next answer.`;
}

/** Text on one line, cut at `max` characters with an ellipsis: for lists of prompts and answers. */
export function oneLine(text: string | null | undefined, max = 140): string {
  if (text === null || text === undefined) return '—';
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

/** The grade a number key stands for on the queue (`1`–`5`), or undefined. */
export function gradeOfKey(key: string): number | undefined {
  return /^[1-5]$/.test(key) ? Number(key) : undefined;
}
