import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { likeToRegExp } from './like.js';

describe('likeToRegExp', () => {
  it('matches SQL LIKE semantics', () => {
    const like = (value: string, pattern: string): boolean => likeToRegExp(pattern, false).test(value);
    assert.ok(like('abc', 'abc'));
    assert.ok(!like('abcd', 'abc'));
    assert.ok(like('abc', 'a%'));
    assert.ok(like('a', 'a%'));
    assert.ok(like('xabcx', '%abc%'));
    assert.ok(like('abc', '%'));
    assert.ok(like('', '%'));
    assert.ok(!like('', '_'));
    assert.ok(like('abc', 'a_c'));
    assert.ok(!like('ac', 'a_c'));
    assert.ok(like('a\nc', 'a_c'));
    assert.ok(like('line1\nline2', 'line1%'));
    assert.ok(like('☃x', '_x'));
    assert.ok(!like('ABC', 'abc'));
  });

  it('treats regex metacharacters and backslashes literally', () => {
    const like = (value: string, pattern: string): boolean => likeToRegExp(pattern, false).test(value);
    assert.ok(like('a.b', 'a.b'));
    assert.ok(!like('axb', 'a.b'));
    assert.ok(like('1+1=2 (yes) [x] {y} ^$|?*/', '1+1=2 (yes) [x] {y} ^$|?*/'));
    assert.ok(like('a\\b', 'a\\b'));
    assert.ok(like('a\\%', 'a\\%'));
    assert.ok(like('a-b', 'a-b'));
  });

  it('is case-insensitive for ILIKE', () => {
    const ilike = (value: string, pattern: string): boolean => likeToRegExp(pattern, true).test(value);
    assert.ok(ilike('ABC', 'abc'));
    assert.ok(ilike('Hello World', 'hello%'));
    assert.ok(ilike('ÉTÉ', 'été'));
  });

  it('collapses runs of % (no catastrophic backtracking)', () => {
    const re = likeToRegExp('%%%%%%%%%%%%%%%%%%%%b', false);
    const started = performance.now();
    assert.ok(!re.test('a'.repeat(10_000)));
    assert.ok(performance.now() - started < 1000);
  });
});
