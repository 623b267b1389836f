import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AppError } from '../../core/errors/index.js';
import { decodePageToken, encodePageToken } from './index.js';

function rejects(token: string, message?: string | RegExp): void {
  assert.throws(
    () => decodePageToken(token),
    (err: unknown) => {
      assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`);
      assert.equal(err.code, 'INVALID_PARAMETER_VALUE');
      assert.equal(err.field, 'page_token');
      assert.equal(err.httpStatus, 400);
      if (typeof message === 'string') assert.equal(err.message, message);
      else if (message !== undefined) assert.match(err.message, message);
      return true;
    },
  );
}
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('page tokens', () => {
  it('encodes like MLflow: base64 of {"offset": n}', () => {
    assert.equal(encodePageToken(1000), b64('{"offset": 1000}'));
    assert.equal(encodePageToken(1000), 'eyJvZmZzZXQiOiAxMDAwfQ==');
    assert.equal(Buffer.from(encodePageToken(3), 'base64').toString('utf8'), '{"offset": 3}');
  });

  it('round-trips', () => {
    for (const n of [1, 2, 10, 999, 50_000, 2 ** 40]) assert.equal(decodePageToken(encodePageToken(n)), n);
  });

  it('treats an absent or empty token as offset 0', () => {
    assert.equal(decodePageToken(undefined), 0);
    assert.equal(decodePageToken(null), 0);
    assert.equal(decodePageToken(''), 0);
  });

  it('accepts what Python accepts', () => {
    assert.equal(decodePageToken(b64('{"offset": "25"}')), 25);
    assert.equal(decodePageToken(b64('{"offset":7}')), 7);
    assert.equal(decodePageToken(b64('{"offset": 12.9}')), 12);
    assert.equal(decodePageToken(b64('{"offset": 5, "other": true}')), 5);
    // Non-alphabet characters are discarded by Python's non-validating b64decode.
    assert.equal(decodePageToken(`${encodePageToken(42).slice(0, 8)}\n${encodePageToken(42).slice(8)}`), 42);
  });

  it('rejects undecodable base64', () => {
    rejects('abc', 'Invalid page token, could not base64-decode');
    rejects('a===', 'Invalid page token, could not base64-decode');
    rejects('YQ==YQ==', 'Invalid page token, could not base64-decode');
  });

  it('rejects non-JSON payloads', () => {
    rejects(b64('not json'), "Invalid page token, decoded value=b'not json'");
    rejects('!!!!', "Invalid page token, decoded value=b''");
    rejects(Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), /^Invalid page token, decoded value=b'\\xff\\xfe\\x00'$/);
  });

  it('rejects payloads without a usable offset', () => {
    rejects(b64('{}'), 'Invalid page token, parsed value={}');
    rejects(b64('{"offset": 0}'), "Invalid page token, parsed value={'offset': 0}");
    rejects(b64('{"offset": null}'), "Invalid page token, parsed value={'offset': None}");
    rejects(b64('{"offset": ""}'), /^Invalid page token, parsed value=/);
    rejects(b64('[1]'), 'Invalid page token, parsed value=[1]');
    rejects(b64('5'), 'Invalid page token, parsed value=5');
    rejects(b64('{"offset": "abc"}'), "Invalid page token, not stringable 'abc'");
    rejects(b64('{"offset": [1]}'), 'Invalid page token, not stringable [1]');
    rejects(b64('{"offset": true}'), 'Invalid page token, not stringable True');
    rejects(b64('{"offset": -5}'), /^Invalid page token, parsed value=/);
    rejects(b64('{"offset": 1e300}'), /^Invalid page token, parsed value=/);
  });

  it('rejects a non-string token', () => {
    assert.throws(() => decodePageToken(5 as unknown as string), AppError);
  });

  it('refuses to encode a bad offset (programming error)', () => {
    assert.throws(() => encodePageToken(-1), RangeError);
    assert.throws(() => encodePageToken(1.5), RangeError);
  });
});
