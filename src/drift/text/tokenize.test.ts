import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { contentWords, ENGLISH_STOP_WORDS, tokenize } from './tokenize.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/text.json', import.meta.url), 'utf8')) as { tokens: { text: string; tokens: string[] }[] };

describe('tokenize', () => {
  it("finds the words Python's (?u)\\b\\w\\w+\\b finds in lowercased text, Unicode included", () => {
    for (const c of fixture.tokens) assert.deepEqual(tokenize(c.text), c.tokens, c.text);
  });

  it("uses scikit-learn's English stop words and leaves them out of content words", () => {
    assert.equal(ENGLISH_STOP_WORDS.size, 317);
    for (const w of ['the', 'call', 'amongst', 'yourselves', 'system']) assert.ok(ENGLISH_STOP_WORDS.has(w), w);
    for (const w of ['free', 'txt', 'prize', 'amoungst', 'noone']) assert.ok(!ENGLISH_STOP_WORDS.has(w), w);
    assert.deepEqual(contentWords('Call me NOW to claim your FREE prize!! Call now'), ['claim', 'free', 'prize']);
    assert.deepEqual(contentWords('the cat', new Set(['cat'])), ['the']);
  });
});
