import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newPredictionId } from './ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('prediction ids', () => {
  it('are UUIDv7s carrying their millisecond', () => {
    const now = Date.UTC(2026, 10, 28, 12, 0, 0, 123);
    const id = newPredictionId(now);
    assert.match(id, UUID_V7);
    assert.equal(parseInt(id.replaceAll('-', '').slice(0, 12), 16), now);
  });

  it('sort in the order they were made, within one millisecond and across them', () => {
    const now = Date.now();
    const ids = [...Array.from({ length: 500 }, () => newPredictionId(now)), newPredictionId(now + 1), newPredictionId(now + 1)];
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, UUID_V7);
    assert.deepEqual([...ids].sort(), ids);
  });
});
