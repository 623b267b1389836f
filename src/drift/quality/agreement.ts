import { insufficient, invalidInput } from '../../stats/errors.js';

export interface Agreement {
  /** Graded pairs compared. */
  pairs: number;
  /** Share of pairs with the same grade. */
  exact: number;
  /** Share of pairs at most one grade apart. */
  withinOne: number;
  /** Cohen's kappa, unweighted. */
  kappa: number;
  /** Cohen's kappa with quadratic weights: disagreements count by the square of their distance. */
  quadraticKappa: number;
}

const GRADES = [1, 2, 3, 4, 5];

/** Cohen's kappa over grades 1–5 as scikit-learn's `cohen_kappa_score(a, b, labels=[1..5], weights)`. */
export function cohenKappa(a: number[], b: number[], weights: 'none' | 'linear' | 'quadratic'): number {
  const k = GRADES.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < a.length; i++) confusion[a[i]! - 1]![b[i]! - 1]!++;
  const rows = confusion.map((r) => r.reduce((s, x) => s + x, 0));
  const cols = GRADES.map((_, j) => confusion.reduce((s, r) => s + r[j]!, 0));
  const n = a.length;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = weights === 'none' ? (i === j ? 0 : 1) : weights === 'linear' ? Math.abs(i - j) : (i - j) ** 2;
      observed += w * confusion[i]![j]!;
      expected += (w * rows[i]! * cols[j]!) / n;
    }
  }
  return 1 - observed / expected;
}

/**
 * How far two graders (an LLM judge and people) agree on the same outputs, graded 1–5. Throws INSUFFICIENT_DATA with
 * fewer than 2 pairs or when both graders gave one and the same grade throughout (kappa is undefined: 0/0), INVALID_INPUT
 * for a grade that is not a whole number from 1 to 5 or lists of different lengths.
 */
export function agreement(judge: number[], human: number[]): Agreement {
  if (judge.length !== human.length) throw invalidInput(`${judge.length} judge grades but ${human.length} human grades`);
  for (const g of [...judge, ...human]) if (!GRADES.includes(g)) throw invalidInput(`grade ${g} is not a whole number from 1 to 5`);
  if (judge.length < 2) throw insufficient(`${judge.length} graded pair${judge.length === 1 ? '' : 's'}; at least 2 are needed`);
  const n = judge.length;
  const quadraticKappa = cohenKappa(judge, human, 'quadratic');
  const kappa = cohenKappa(judge, human, 'none');
  if (!Number.isFinite(kappa) || !Number.isFinite(quadraticKappa)) throw insufficient('both graders gave the same single grade throughout: agreement beyond chance is undefined');
  return {
    pairs: n,
    exact: judge.filter((g, i) => g === human[i]).length / n,
    withinOne: judge.filter((g, i) => Math.abs(g - human[i]!) <= 1).length / n,
    kappa,
    quadraticKappa,
  };
}
