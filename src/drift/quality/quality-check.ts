import { newPredictionId } from '../../core/ids.js';
import { sampleOf } from '../../core/prng.js';
import { type Interval, wilsonInterval } from '../../stats/proportion.js';
import { StatsError } from '../../stats/errors.js';
import type { Monitor, Prediction, QualitySpec, Review, Store } from '../../store/index.js';
import { predictionRows } from '../monitors/prediction-rows.js';
import { type Agreement, agreement } from './agreement.js';
import { type ChatCall, judge } from './judge.js';
import { forEachWindowPage } from '../monitors/window.js';

export interface RateSignal {
  name: 'thumbs_down_rate' | 'judge_pass_rate' | 'human_pass_rate';
  /** `tested`, or `insufficient_data` with fewer than `minCount` votes or grades. */
  status: 'tested' | 'insufficient_data';
  count: number;
  rate: number | null;
  interval: Interval | null;
  threshold: number;
  /** `above` for the thumbs-down rate (degraded when above), `below` for pass rates. */
  direction: 'above' | 'below';
  degraded: boolean;
}

export interface QualityReport {
  type: 'llm_quality';
  /** Successful predictions in the window, and those with a prompt and an answer to grade. */
  predictions: number;
  gradable: number;
  feedback: { up: number; down: number; scored: number; meanScore: number | null };
  judge: { deployment: string; judgedNow: number; graded: number; meanScore: number | null; errors: string[] } | null;
  human: { queuedNow: number; graded: number; pending: number; meanScore: number | null };
  agreement: (Agreement & { error?: undefined }) | { error: string } | null;
  signals: RateSignal[];
  confidence: number;
}

interface Exchange {
  prediction: Prediction;
  prompt: string;
  answer: string;
}

/** The prompt and the answer of a logged LLM request, if it has both. */
function exchangeOf(p: Prediction): Exchange | undefined {
  const rows = predictionRows(p);
  const row = rows?.length === 1 ? rows[0]! : undefined;
  if (!row || typeof row.prompt !== 'string' || typeof row.completion !== 'string') return undefined;
  return { prediction: p, prompt: row.prompt, answer: row.completion };
}


const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

function rate(name: RateSignal['name'], successes: number, count: number, threshold: number, direction: RateSignal['direction'], spec: QualitySpec): RateSignal {
  if (count < spec.minCount) return { name, status: 'insufficient_data', count, rate: count ? successes / count : null, interval: null, threshold, direction, degraded: false };
  const interval = wilsonInterval(successes, count, spec.confidence);
  const degraded = direction === 'above' ? interval.low > threshold : interval.high < threshold;
  return { name, status: 'tested', count, rate: successes / count, interval, threshold, direction, degraded };
}

/**
 * One quality check of an LLM deployment over a window of its prediction log: the users' thumbs-down rate with its
 * Wilson interval; an LLM judge grading a sample of answers it has not graded yet (each prediction is judged once and
 * the grades accumulate, so the window's pass rate counts every graded answer in it); a sample of answers queued for
 * people to grade; the pass rates of both, and how far judge and people agree on answers both graded. A rate
 * "degrades" only when its whole confidence interval is past the threshold.
 */
export async function qualityReport(
  deps: { store: Store; chat?: ChatCall | undefined },
  m: Monitor & { quality: QualitySpec },
  window: { from: number; to: number; now: number },
): Promise<QualityReport> {
  const q = m.quality;
  // A page at a time: ids, which predictions have a prompt and an answer to grade, and the feedback counts.
  const ids: string[] = [];
  const gradable: string[] = [];
  let up = 0;
  let down = 0;
  const scores: number[] = [];
  await forEachWindowPage(deps.store, { deployment: m.deployment, from: window.from, to: window.to, maxPredictions: m.maxRows }, async (page) => {
    for (const p of page) {
      ids.push(p.id);
      if (exchangeOf(p)) gradable.push(p.id);
    }
    for (const f of await deps.store.predictions.feedbackFor(page.map((p) => p.id))) {
      if (f.thumbs === 1) up++;
      else if (f.thumbs === -1) down++;
      if (f.score !== null) scores.push(f.score);
    }
  });
  /** The exchanges of the sampled predictions, read again (only those). */
  const exchangesOf = async (picked: string[]) => (await deps.store.predictions.getMany(picked)).map(exchangeOf).filter((e): e is Exchange => e !== undefined);

  const seed = window.now % 2 ** 31;
  let judgeInfo: QualityReport['judge'] = null;
  if (q.judge) {
    const errors: string[] = [];
    let judgedNow = 0;
    if (!deps.chat) errors.push('no chat endpoint to call the judge from this process');
    else {
      const done = await deps.store.reviews.reviewed(gradable, 'judge');
      const picked = await exchangesOf(
        sampleOf(
          gradable.filter((id) => !done.has(id)),
          q.judge.sampleSize,
          seed,
        ),
      );
      const graded: Review[] = [];
      for (const e of picked) {
        try {
          const j = await judge(deps.chat, q.judge.deployment, q.judge.rubric, e.prompt, e.answer);
          const now = Date.now();
          graded.push({ id: newPredictionId(now), predictionId: e.prediction.id, deployment: m.deployment, monitor: m.name, source: 'judge', state: 'done', score: j.score, comment: j.reason, reviewer: q.judge.deployment, createdAt: now, gradedAt: now });
        } catch (err) {
          if (errors.length < 5) errors.push((err as Error).message);
        }
      }
      judgedNow = (await deps.store.reviews.add(graded)).length;
    }
    judgeInfo = { deployment: q.judge.deployment, judgedNow, graded: 0, meanScore: null, errors };
  }

  let queuedNow = 0;
  if (q.reviewSampleSize > 0) {
    const queued = await deps.store.reviews.reviewed(gradable, 'human');
    const picked = sampleOf(
      gradable.filter((id) => !queued.has(id)),
      q.reviewSampleSize,
      seed + 1,
    );
    const now = Date.now();
    const pending: Review[] = picked.map((predictionId, i) => ({ id: newPredictionId(now + i), predictionId, deployment: m.deployment, monitor: m.name, source: 'human', state: 'pending', score: null, comment: null, reviewer: null, createdAt: now, gradedAt: null }));
    queuedNow = (await deps.store.reviews.add(pending)).length;
  }

  const reviews = await listReviews(deps.store, ids);
  const judged = reviews.filter((r) => r.source === 'judge' && r.state === 'done' && r.score !== null);
  const humans = reviews.filter((r) => r.source === 'human' && r.state === 'done' && r.score !== null);
  if (judgeInfo) {
    judgeInfo.graded = judged.length;
    judgeInfo.meanScore = mean(judged.map((r) => r.score!));
  }
  const byPrediction = new Map(judged.map((r) => [r.predictionId, r.score!]));
  const pairs = humans.filter((h) => byPrediction.has(h.predictionId));
  let agreed: QualityReport['agreement'] = null;
  if (pairs.length > 0) {
    try {
      agreed = agreement(
        pairs.map((h) => byPrediction.get(h.predictionId)!),
        pairs.map((h) => h.score!),
      );
    } catch (e) {
      if (!(e instanceof StatsError)) throw e;
      agreed = { error: e.message };
    }
  }
  const passes = (rs: Review[]) => rs.filter((r) => r.score! >= q.passScore).length;
  const signals = [
    rate('thumbs_down_rate', down, up + down, q.maxThumbsDownRate, 'above', q),
    ...(q.judge ? [rate('judge_pass_rate', passes(judged), judged.length, q.minPassRate, 'below', q)] : []),
    rate('human_pass_rate', passes(humans), humans.length, q.minPassRate, 'below', q),
  ];
  return {
    type: 'llm_quality',
    predictions: ids.length,
    gradable: gradable.length,
    feedback: { up, down, scored: scores.length, meanScore: mean(scores) },
    judge: judgeInfo,
    human: { queuedNow, graded: humans.length, pending: reviews.filter((r) => r.source === 'human' && r.state === 'pending').length, meanScore: mean(humans.map((r) => r.score!)) },
    agreement: agreed,
    signals,
    confidence: q.confidence,
  };
}

async function listReviews(store: Store, ids: string[]): Promise<Review[]> {
  const out: Review[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await store.reviews.list({ predictionIds: ids.slice(i, i + 500), maxResults: 1000 })));
  return out;
}
