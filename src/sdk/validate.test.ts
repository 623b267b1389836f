import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { normalizePosixPath, validateKey, validateMetric } from './validate.js';

describe('validateKey', () => {
  it('accepts the keys MLflow accepts, Unicode letters and digits included', () => {
    for (const key of ['loss', 'val/loss', 'system/gpu_0_utilization_percentage', 'a b:c-d.e', 'mlflow.source.git.repoURL', 'précision', '損失', 'x'.repeat(250), 'a..b', '.hidden']) {
      assert.equal(validateKey('metric', key), key);
    }
  });

  it('refuses characters outside letters, digits and _ / . - space colon', () => {
    for (const key of ['a*b', 'a=b', 'loss!', 'a\tb', 'a\nb', 'ü\u0301', 'a@b']) {
      assert.throws(() => validateKey('metric', key), /Invalid metric name ".*": names may only contain/, key);
    }
  });

  it('refuses empty, over-long and non-string keys', () => {
    assert.throws(() => validateKey('param', ''), /param key must be a non-empty string/);
    assert.throws(() => validateKey('tag', undefined), /tag key must be a non-empty string/);
    assert.throws(() => validateKey('metric', 'x'.repeat(251)), /longer than 250 characters/);
  });

  it('refuses keys that resolve to another name as a relative path', () => {
    for (const key of ['a//b', 'a/./b', 'a/../b', './a', '/abs', '.', '..', '../a', '..a', 'a/', 'val/loss/']) {
      assert.throws(() => validateKey('metric', key), /must be a normalised relative path/, key);
    }
  });
});

describe('validateMetric', () => {
  it('takes numbers, non-finite ones included, at integer steps', () => {
    for (const v of [0, -1.5, NaN, Infinity, -Infinity]) validateMetric('loss', v, 3);
    validateMetric('loss', 1, Number.MAX_SAFE_INTEGER);
    validateMetric('loss', 1, -2);
  });

  it('refuses non-number values and steps that are not safe integers', () => {
    assert.throws(() => validateMetric('loss', '1' as unknown as number, 0), /metric "loss" value must be a number, got string/);
    assert.throws(() => validateMetric('loss', 1, 1.5), /metric "loss" step must be a safe integer, got 1.5/);
    assert.throws(() => validateMetric('loss', 1, 2 ** 53), /step must be a safe integer/);
    assert.throws(() => validateMetric('loss', 1, NaN), /step must be a safe integer/);
  });
});

describe('normalizePosixPath', () => {
  it("agrees with node's path.posix.normalize", () => {
    const fixed = ['', '.', '..', '/', '//', './', '../', 'a', 'a/', 'a//b', '/a/../..', 'a/../..', '../../a', 'a/./b/', './.', '.a/..b', '///a//'];
    const alphabet = ['a', '.', '/', 'b'];
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const generated = Array.from({ length: 3000 }, () => Array.from({ length: Math.floor(random() * 9) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    for (const p of [...fixed, ...generated]) assert.equal(normalizePosixPath(p), path.posix.normalize(p), JSON.stringify(p));
  });
});
