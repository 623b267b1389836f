import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32, sampleOf } from './prng.js';

describe('seeded randomness', () => {
  it('mulberry32 gives the same uniforms in [0, 1) for the same seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, mulberry32(8)));
  });

  it('sampleOf draws k distinct items, the same for the same seed; all of them when there are fewer', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const s = sampleOf(items, 10, 3);
    assert.equal(s.length, 10);
    assert.equal(new Set(s).size, 10);
    assert.deepEqual(s, sampleOf(items, 10, 3));
    assert.notDeepEqual(s, sampleOf(items, 10, 4));
    assert.deepEqual(sampleOf([1, 2, 3], 5, 1), [1, 2, 3]);
    assert.deepEqual(items, Array.from({ length: 100 }, (_, i) => i), 'the input is left as it was');
  });
});
