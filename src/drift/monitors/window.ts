import type { Prediction, Store } from '../../store/index.js';
import { JUDGE_ENTITY_KEY } from '../quality/judge.js';

/**
 * Reads the successful predictions of `deployment` in [from, to), newest first, a page of at most 1,000 at a time,
 * at most `maxPredictions` in all, and hands each page to `onPage`: a check keeps what it needs of a page (rows,
 * ids) rather than every prediction's inputs and outputs. The LLM judge's own requests are left out.
 */
export async function forEachWindowPage(store: Store, q: { deployment: string; from: number; to: number; maxPredictions: number }, onPage: (page: Prediction[]) => Promise<void> | void): Promise<number> {
  let seen = 0;
  let after: { time: number; id: string } | undefined;
  do {
    const page = await store.predictions.list({ deployment: q.deployment, from: q.from, to: q.to, status: { min: 200, max: 299 }, maxResults: 1000, ...(after ? { after } : {}) });
    const kept = page.items.filter((p) => p.entityKey !== JUDGE_ENTITY_KEY).slice(0, q.maxPredictions - seen);
    seen += kept.length;
    if (kept.length > 0) await onPage(kept);
    after = seen >= q.maxPredictions ? undefined : page.next;
  } while (after);
  return seen;
}
