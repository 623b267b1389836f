import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StopMatcher } from './stop-matcher.js';

const feed = (m: StopMatcher, pieces: string[]) => pieces.map((p) => m.push(p));

test('without stop strings every piece passes through at once', () => {
  const m = new StopMatcher([]);
  assert.deepEqual(feed(m, ['a', 'b', 'c']), ['a', 'b', 'c']);
  assert.equal(m.stopped, false);
  assert.equal(m.output, 'abc');
});

test('text that may start a stop string is held back, then released when it does not', () => {
  const m = new StopMatcher(['park']);
  assert.deepEqual(feed(m, ['the p', 'a', 'th']), ['the ', '', 'path']);
  assert.equal(m.flush(), '');
  assert.equal(m.output, 'the path');
});

test('a stop string split over pieces ends the text before it and nothing after is returned', () => {
  const m = new StopMatcher(['park', 'END']);
  assert.deepEqual(feed(m, ['in the p', 'ar', 'k. More']), ['in the ', '', '']);
  assert.equal(m.stopped, true);
  assert.equal(m.output, 'in the ');
  assert.equal(m.push('ignored'), '');
});

test('the earliest of several stop strings wins, also inside one piece', () => {
  const m = new StopMatcher(['b', 'abc']);
  assert.equal(m.push('xxabcd'), 'xx');
  assert.equal(m.output, 'xx');
});

test('flush returns what was held back at the end of generation', () => {
  const m = new StopMatcher(['\n\n\n\n']);
  assert.deepEqual(feed(m, ['{}', '\n', '\n']), ['{}', '', '']);
  assert.equal(m.flush(), '\n\n');
  assert.equal(m.output, '{}\n\n');
});
