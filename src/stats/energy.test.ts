import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { energyDistance, energyDistanceSorted } from './energy.js';
import { close, fixture, numbers, throwsCode } from './testing/distance-fixtures.js';

const fx = fixture<{ cases: { u: string; v: string; energy: number }[] }>('energy');

describe('energyDistance (scipy.stats.energy_distance)', () => {
  for (const c of fx.cases) {
    it(`${c.u} vs ${c.v}`, () => {
      const u = numbers(c.u);
      const v = numbers(c.v);
      close(energyDistance(u, v), c.energy, 1e-6, 1e-12, 'energy');
      close(energyDistanceSorted(u.slice().sort(), v.slice().sort()), c.energy, 1e-6, 1e-12, 'sorted');
    });
  }

  it('agrees with the pairwise form sqrt(2 E|X-Y| - E|X-X\'| - E|Y-Y\'|) and does not mutate its inputs', () => {
    const u = [0, 2, 7];
    const v = [1, 1.5];
    const mean = (f: (a: number, b: number) => number, a: number[], b: number[]) => a.reduce((s, x) => s + b.reduce((t, y) => t + f(x, y), 0), 0) / (a.length * b.length);
    const d = (x: number, y: number) => Math.abs(x - y);
    close(energyDistance(u, v), Math.sqrt(2 * mean(d, u, v) - mean(d, u, u) - mean(d, v, v)), 1e-12);
    assert.deepEqual(u, [0, 2, 7]);
  });

  it('refuses empty samples, NaN, infinities and unsorted input to the sorted variant', () => {
    throwsCode(() => energyDistance([], [1]), 'INSUFFICIENT_DATA');
    throwsCode(() => energyDistance([1], [Number.NaN]), 'INVALID_INPUT');
    throwsCode(() => energyDistanceSorted(Float64Array.of(1), new Float64Array(0)), 'INSUFFICIENT_DATA');
    throwsCode(() => energyDistanceSorted(Float64Array.of(1, 0), Float64Array.of(1)), 'INVALID_INPUT');
  });
});
