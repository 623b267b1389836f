import type { Prediction, Store } from '../../store/index.js';
import { JUDGE_ENTITY_KEY } from '../quality/judge.js';

/**
 * The successful predictions of `deployment` in [from, to), newest first, at most `maxPredictions`; the LLM judge's
 * own requests are left out.
 */
export async function windowPredictions(store: Store, deployment: string, from: number, to: number, maxPredictions: number): Promise<Prediction[]> {
  const out: Prediction[] = [];
  let after: { time: number; id: string } | undefined;
  do {
    const page = await store.predictions.list({ deployment, from, to, status: { min: 200, max: 299 }, maxResults: 1000, ...(after ? { after } : {}) });
    for (const p of page.items) if (p.entityKey !== JUDGE_ENTITY_KEY && out.length < maxPredictions) out.push(p);
    after = out.length >= maxPredictions ? undefined : page.next;
  } while (after);
  return out;
}
