import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { StatsError } from '../../stats/errors.js';
import { seededRandom, shuffleInPlace } from './logistic.js';
import { textDescriptors, textDrift } from './text-drift.js';
import { tokenize } from './tokenize.js';

const code = (c: StatsError['code']) => (e: unknown) => e instanceof StatsError && e.code === c;

// The SMS Spam Collection: 4,827 ham and 747 spam text messages, one "label<TAB>text" a line.
const sms = readFileSync(new URL('../../../../shared/data/sms-spam-collection/SMSSpamCollection', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.includes('\t'))
  .map((l) => [l.slice(0, l.indexOf('\t')), l.slice(l.indexOf('\t') + 1)] as const);
const ham = sms.filter(([label]) => label === 'ham').map(([, text]) => text);
const spam = sms.filter(([label]) => label === 'spam').map(([, text]) => text);
const shuffledHam = Array.from(shuffleInPlace(Int32Array.from(ham.keys()), seededRandom(2024)), (i) => ham[i]!);
const hamA = shuffledHam.slice(0, ham.length >> 1);
const hamB = shuffledHam.slice(ham.length >> 1);

/** Share of `texts` containing `word`. */
const share = (texts: string[], word: string) => texts.filter((t) => tokenize(t).includes(word)).length / texts.length;
const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('text drift (domain classifier)', () => {
  it('finds ham vs spam drifted above 1,000 reference rows, with spam words and spam examples', () => {
    assert.equal(ham.length, 4827);
    const r = textDrift(ham, spam);
    assert.equal(r.method, 'roc_auc');
    assert.ok(r.rocAuc > 0.95, String(r.rocAuc));
    assert.equal(r.score, r.rocAuc);
    assert.equal(r.threshold, 0.55);
    assert.equal(r.drifted, true);
    assert.equal(r.trainRows + r.testRows, ham.length + spam.length);
    assert.equal(r.currentWords.length, 10);
    assert.equal(r.referenceWords.length, 10);
    // The words shown for each side are more common on that side.
    for (const w of r.currentWords) assert.ok(share(spam, w) > share(ham, w), `${w} is typical of spam`);
    for (const w of r.referenceWords) assert.ok(share(ham, w) > share(spam, w), `${w} is typical of ham`);
    assert.ok(r.currentWords.filter((w) => ['txt', '150p', 'uk', 'free', 'claim', 'prize', 'mobile', 'reply', 'text', 'www', 'win'].includes(w)).length >= 2, `${r.currentWords}`);
    assert.equal(r.currentExamples.length, 5);
    assert.equal(new Set(r.currentExamples).size, 5);
    for (const e of r.currentExamples) assert.ok(spam.includes(e) || (e.endsWith('…') && e.length === 200), e);
    for (const e of r.referenceExamples) assert.ok(ham.includes(e) || (e.endsWith('…') && e.length === 200), e);
  });

  it('finds two random halves of ham alike (AUC near 0.5)', () => {
    for (const seed of [42, 1]) {
      const r = textDrift(hamA, hamB, { seed });
      assert.equal(r.method, 'roc_auc');
      assert.ok(Math.abs(r.rocAuc - 0.5) < 0.04, String(r.rocAuc));
      assert.equal(r.drifted, false);
    }
  });

  it('with 1,000 reference rows or fewer, scores the p-value of the AUC against random classifiers', () => {
    const drifted = textDrift(ham.slice(0, 500), spam.slice(0, 300));
    assert.equal(drifted.method, 'roc_auc_permutation');
    assert.ok(drifted.rocAuc > 0.9);
    assert.equal(drifted.score, 0, 'no random classifier of 1,000 comes near');
    assert.equal(drifted.threshold, 0.05);
    assert.equal(drifted.drifted, true);
    for (const seed of [42, 1, 2]) {
      const same = textDrift(hamA.slice(0, 800), hamB.slice(0, 800), { seed });
      assert.equal(same.method, 'roc_auc_permutation');
      assert.ok(same.score > 0.15, `p = ${same.score}`);
      assert.equal(same.drifted, false);
    }
  });

  it('is deterministic, samples at most maxRows a side, and ignores blank rows', () => {
    assert.deepEqual(textDrift(ham.slice(0, 300), spam.slice(0, 100)), textDrift(ham.slice(0, 300), spam.slice(0, 100)));
    const capped = textDrift(ham, spam, { maxRows: 200 });
    assert.equal(capped.trainRows + capped.testRows, 400);
    assert.equal(capped.method, 'roc_auc', 'the method follows the full reference');
    assert.ok(capped.rocAuc > 0.9);
    const blanks = textDrift([...ham.slice(0, 50), '', '   '], spam.slice(0, 50));
    assert.equal(blanks.trainRows + blanks.testRows, 100);
  });

  it('says when there is too little to learn from', () => {
    assert.throws(() => textDrift([...ham.slice(0, 9), ' '], spam), code('INSUFFICIENT_DATA'));
    const stop = Array.from({ length: 20 }, (_, i) => (i % 2 ? 'the and of' : 'I am a b c'));
    assert.throws(() => textDrift(stop, stop), (e: unknown) => code('INSUFFICIENT_DATA')(e) && /no word/.test((e as Error).message));
  });
});

describe('text descriptors', () => {
  it('measures length, words and out-of-vocabulary share per row (reference rows leave themselves out)', () => {
    const d = textDescriptors(['aa bb', 'Aa cc', 'bb 🎉'], ['aa dd', '!!!', 'x']);
    assert.deepEqual([...d.length.reference], [5, 5, 4], 'code points: the emoji is one character');
    assert.deepEqual([...d.length.current], [5, 3, 1]);
    assert.deepEqual([...d.words.reference], [2, 2, 1], 'the emoji alone is not a word');
    assert.deepEqual([...d.words.current], [2, 0, 1]);
    // cc is only in its own row; dd in no reference row; "!!!" and "x" have no word of two characters.
    assert.deepEqual([...d.oov.reference], [0, 0.5, 0]);
    assert.deepEqual([...d.oov.current], [0.5]);
  });

  it('shows spam longer, wordier and further from the ham vocabulary than ham', () => {
    const d = textDescriptors(ham, spam);
    assert.equal(d.length.reference.length, ham.length);
    assert.equal(d.words.current.length, spam.length);
    assert.ok(mean(d.length.current) > 1.5 * mean(d.length.reference), `${mean(d.length.current)} vs ${mean(d.length.reference)}`);
    assert.ok(mean(d.words.current) > 1.4 * mean(d.words.reference));
    assert.ok(mean(d.oov.current) > 2 * mean(d.oov.reference));
    const alike = textDescriptors(hamA, hamB);
    assert.ok(Math.abs(mean(alike.oov.current) - mean(alike.oov.reference)) < 0.02, 'leave-one-out reads reference rows as new text');
  });
});
