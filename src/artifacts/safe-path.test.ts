import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PATH_ATTACKS } from './conformance/safety-cases.js';
import { compareArtifactPaths, isInside, joinUnder, safeArtifactPath } from './safe-path.js';

const refused = (raw: unknown, field = 'path') =>
  assert.throws(
    () => safeArtifactPath(raw, field),
    (e: { code?: string; field?: string; message?: string }) => e.code === 'INVALID_PARAMETER_VALUE' && e.field === field && /^Invalid path/u.test(e.message ?? ''),
    `${JSON.stringify(raw)} should be refused`,
  );

describe('safeArtifactPath', () => {
  it('accepts relative paths and normalises only a trailing slash', () => {
    assert.equal(safeArtifactPath(''), '');
    assert.equal(safeArtifactPath('a'), 'a');
    assert.equal(safeArtifactPath('a/b/c.txt'), 'a/b/c.txt');
    assert.equal(safeArtifactPath('a/b/'), 'a/b');
    assert.equal(safeArtifactPath('1/0123abc/artifacts/model/MLmodel'), '1/0123abc/artifacts/model/MLmodel');
  });

  it('accepts names that look odd but are harmless', () => {
    for (const ok of ['...', 'a..b', '..a', 'a.', '.hidden', '100%.txt', '%zz', '50%', 'a b', 'a+b&c=d;e', "it's", '~user', 'ab:c', 'k=v:w', 'données/模型 🚀.bin', 'C', 'x/C:y']) {
      assert.equal(safeArtifactPath(ok), ok, ok);
    }
  });

  it('refuses every attack of the shared list', () => {
    for (const bad of PATH_ATTACKS) refused(bad);
  });

  it('refuses each class of the documented rule', () => {
    const cases = [
      '..', 'a/../b', 'a/..', '.', './a', 'a/./b', // dot segments
      '/abs', '/', 'C:\\x', 'C:/x', 'c:', 'Z:rel', 'a:b', // absolute (a drive letter)
      'a\\b', '\\\\server\\share', // backslashes (and UNC)
      '%2e%2e', '%2E', 'a%2fb', '%5c', '%252e', '%25', '%00', 'ok%41', // any %XX
      'a#b', '#', 'a?b', '?', // URL delimiters
      'a\u0000b', 'a\tb', 'a\rb', 'a\u001bb', 'a\u007fb', 'a\u0085b', // control characters (C0, DEL, C1)
      'a//b', '//a', 'a/b//', // empty segments (one trailing slash only)
      '\ud800', 'a\udc00b', // unpaired surrogates
      'x'.repeat(256), `${'a/'.repeat(512)}b`, // a segment over 255 bytes, a path over 1024 bytes
    ];
    for (const bad of cases) refused(bad);
    assert.equal(safeArtifactPath('é'.repeat(127)), 'é'.repeat(127), '254 bytes');
    refused('é'.repeat(128));
  });

  it('refuses non-strings and names the field given', () => {
    for (const bad of [undefined, null, 3, {}, ['a']]) refused(bad);
    refused('../x', 'artifacts.uri');
  });
});

describe('path helpers', () => {
  it('joinUnder stays under the root', () => {
    assert.equal(joinUnder('/r', 'a/b'), '/r/a/b');
    assert.equal(joinUnder('/r', ''), '/r');
    assert.throws(() => joinUnder('/r', '../x'));
  });

  it('isInside is not fooled by a shared name prefix', () => {
    assert.equal(isInside('/data/art', '/data/art'), true);
    assert.equal(isInside('/data/art', '/data/art/x'), true);
    assert.equal(isInside('/data/art', '/data/artifacts'), false);
    assert.equal(isInside('/data/art', '/data'), false);
  });

  it('sorts by UTF-8 bytes, as S3 lists keys', () => {
    const names = ['b', 'a/x', 'a', 'Z', '\uff5e', '\u{1f680}', 'é'];
    assert.deepEqual([...names].sort(compareArtifactPaths), ['Z', 'a', 'a/x', 'b', 'é', '\uff5e', '\u{1f680}']);
  });
});
