import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLenientJson, quoteNonFiniteTokens } from './lenient-json.js';

describe('parseLenientJson', () => {
  it('parses strict JSON unchanged', () => {
    assert.deepEqual(parseLenientJson('{"a":[1,"NaN",{"b":null}]}'), { a: [1, 'NaN', { b: null }] });
  });

  it("reads Python json.dumps' bare NaN and Infinity as protobuf-JSON strings", () => {
    assert.deepEqual(parseLenientJson('{"value": NaN, "hi": Infinity, "lo": -Infinity, "list": [NaN,-Infinity]}'), {
      value: 'NaN',
      hi: 'Infinity',
      lo: '-Infinity',
      list: ['NaN', '-Infinity'],
    });
  });

  it('leaves the tokens alone inside strings, including after escaped quotes', () => {
    assert.equal(quoteNonFiniteTokens('{"k": "a \\" NaN", "v": NaN}'), '{"k": "a \\" NaN", "v": "NaN"}');
    assert.deepEqual(parseLenientJson('{"k": "Infinity and NaN", "v": NaN}'), { k: 'Infinity and NaN', v: 'NaN' });
  });

  it('still rejects malformed JSON with the original error', () => {
    assert.throws(() => parseLenientJson('{bad'), SyntaxError);
    assert.throws(() => parseLenientJson('{"v": NaNx}'), SyntaxError);
    assert.throws(() => parseLenientJson('{"v": Nan}'), SyntaxError);
  });
});
