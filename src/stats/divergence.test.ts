import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BinningKind } from './binning.js';
import { hellingerDistance, jensenShannonDistance, jensenShannonDrift, klDivergence, klDrift, psi, psiDrift } from './divergence.js';
import { close, column, fixture, throwsCode } from './testing/distance-fixtures.js';
import { wassersteinNormed } from './wasserstein.js';

type Num = number | string;
interface DriftCase {
  reference: string;
  current: string;
  kind: BinningKind;
  integer: boolean;
  js: Num;
  psi: Num;
  kl: Num;
  hellinger: Num;
  hellinger_evidently?: Num;
}
const fx = fixture<{ vectors: { p: number[]; q: number[]; base: number; js: Num; kl: Num; psi: Num }[]; drift: DriftCase[] }>('divergence');

describe('jensenShannonDistance, klDivergence, psi on share vectors (SciPy)', () => {
  for (const c of fx.vectors) {
    it(`[${c.p.join(', ')}] vs [${c.q.join(', ')}], base ${c.base.toFixed(3)}`, () => {
      close(jensenShannonDistance(c.p, c.q, c.base), c.js, 1e-6, 1e-12, 'jensenshannon');
      close(klDivergence(c.p, c.q), c.kl, 1e-6, 1e-12, 'entropy');
      close(psi(c.p, c.q), c.psi, 1e-6, 1e-12, 'psi');
    });
  }

  it('refuses vectors that are not distributions', () => {
    throwsCode(() => jensenShannonDistance([], []), 'INSUFFICIENT_DATA');
    throwsCode(() => klDivergence([1, 2], [1]), 'INVALID_INPUT');
    throwsCode(() => psi([0.5, -0.5], [0.5, 0.5]), 'INVALID_INPUT');
    throwsCode(() => jensenShannonDistance([0, 0], [1, 1]), 'INVALID_INPUT');
    throwsCode(() => klDivergence([Number.NaN, 1], [1, 1]), 'INVALID_INPUT');
    throwsCode(() => jensenShannonDistance([1, 1], [1, 2], 1), 'INVALID_INPUT');
    throwsCode(() => jensenShannonDistance([1, 1], [1, 2], 0), 'INVALID_INPUT');
  });
});

describe("column scores as Evidently's jensenshannon, psi, kl_div and hellinger", () => {
  for (const c of fx.drift) {
    it(`${c.reference} vs ${c.current} (${c.kind}${c.integer ? ', int64' : ''})`, () => {
      const ref = column(c.reference);
      const cur = column(c.current);
      const opts = { integer: c.integer };
      close(jensenShannonDrift(ref, cur, c.kind, opts), c.js, 1e-6, 1e-12, 'jensenshannon');
      close(psiDrift(ref, cur, c.kind, opts), c.psi, 1e-6, 1e-12, 'psi');
      close(klDrift(ref, cur, c.kind, opts), c.kl, 1e-6, 1e-12, 'kl_div');
      close(hellingerDistance(ref, cur, c.kind, opts), c.hellinger, 1e-6, 1e-12, 'hellinger');
    });
  }

  it('answers 0 where Evidently answers 1 for one value on both sides (a bin width of 0 in its Hellinger)', () => {
    const c = fx.drift.find((d) => d.hellinger_evidently !== undefined)!;
    assert.equal(c.hellinger_evidently, 1);
    assert.equal(hellingerDistance(column(c.reference), column(c.current), 'num'), 0);
  });

  it('reads an all-0 vs all-1 column as total drift unless binned as int64, where Evidently finds none', () => {
    const zeros = new Float64Array(60);
    const ones = new Float64Array(40).fill(1);
    assert.equal(hellingerDistance(zeros, ones, 'num'), 1);
    assert.equal(hellingerDistance(zeros, ones, 'num', { integer: true }), 0);
  });

  it('refuses empty columns, missing values and strings in a numeric column', () => {
    for (const f of [jensenShannonDrift, psiDrift, klDrift, hellingerDistance]) {
      throwsCode(() => f([], [1], 'num'), 'INSUFFICIENT_DATA');
      throwsCode(() => f(['a'], [], 'cat'), 'INSUFFICIENT_DATA');
      throwsCode(() => f([1, Number.NaN], [1], 'num'), 'INVALID_INPUT');
      throwsCode(() => f(['a'], ['b'], 'num'), 'INVALID_INPUT');
    }
  });
});

describe('a million values a side', () => {
  it('scores wassersteinNormed and jensenShannonDrift in a couple of seconds', () => {
    const n = 1_000_000;
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296);
    const ref = new Float64Array(n);
    const cur = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ref[i] = rand() + rand() + rand();
      cur[i] = rand() + rand() + rand() + 0.1;
    }
    const w = wassersteinNormed(ref, cur);
    const js = jensenShannonDrift(ref, cur, 'num');
    assert.ok(Number.isFinite(w) && w > 0.1 && w < 0.3, `wasserstein ${w}`);
    assert.ok(Number.isFinite(js) && js > 0 && js < 0.2, `jensenshannon ${js}`);
  });
});
