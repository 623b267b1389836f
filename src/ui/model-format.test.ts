import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Approval } from '../sdk/registry-types.js';
import { filterString, formatCount, formatShape, latestDecisions, modelsFilter, scoreScale, shortSha, versionPath } from './model-format.js';

test('plain words search names; expressions go to the server as typed', () => {
  assert.equal(modelsFilter('titanic'), "name ILIKE '%titanic%'");
  assert.equal(modelsFilter("o'brien"), "name ILIKE '%o''brien%'");
  assert.equal(modelsFilter("name LIKE 'ti%'"), "name LIKE 'ti%'");
  assert.equal(modelsFilter("tags.team = 'risk'"), "tags.team = 'risk'");
  assert.equal(modelsFilter('   '), '');
  assert.equal(filterString("a'b"), "'a''b'");
});

test('the latest review per version wins, whatever the input order', () => {
  const a = (id: string, version: string, decision: Approval['decision'], createdAt: number): Approval => ({ id, name: 'm', version, approver: 'x', comment: '', decision, createdAt });
  const got = latestDecisions([a('1', '1', 'approved', 10), a('3', '1', 'rejected', 30), a('2', '1', 'approved', 20), a('4', '2', 'approved', 5)]);
  assert.equal(got.get('1')?.decision, 'rejected');
  assert.equal(got.get('2')?.decision, 'approved');
  assert.equal(got.get('3'), undefined);
});

test('shapes show symbolic and unknown dimensions', () => {
  assert.equal(formatShape(['N', 1]), '[N, 1]');
  assert.equal(formatShape([null, 3]), '[?, 3]');
  assert.equal(formatShape([]), 'scalar');
  assert.equal(formatShape(null), '?');
});

test('digests, counts, paths and score scales', () => {
  assert.equal(shortSha('0123456789abcdef0123'), '0123456789ab');
  assert.equal(formatCount(260_000), '260K');
  assert.equal(formatCount(1_234_567_890), '1.23B');
  assert.equal(formatCount(42), '42');
  assert.equal(versionPath('a/b c', '3'), '/models/a%2Fb%20c/versions/3');
  assert.equal(scoreScale([0.8, 0.95]), 1);
  assert.equal(scoreScale([12, -40]), 40);
  assert.equal(scoreScale([]), 1);
});
