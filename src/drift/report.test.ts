import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { AppError } from '../core/errors/index.js';
import { datasetFromObjects } from './dataset.js';
import { readDataset } from './read-dataset.js';
import { driftReport } from './report.js';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

interface ExpectedColumn {
  column: string;
  kind: string;
  status: string;
  test?: string;
  score?: number;
  threshold?: number;
  drifted?: boolean;
}
interface Case {
  name: string;
  file: string;
  split_column: string;
  reference: string;
  current: string;
  reference_rows: number;
  current_rows: number;
  columns: ExpectedColumn[];
  tested: number;
  drifted: number;
  dataset_drift: boolean;
}

/** Made by scripts/drift/make_report_fixtures.py with SciPy (Evidently's automatic tests, transcribed). */
const cases = (JSON.parse(readFileSync(new URL('./fixtures/reports.json', import.meta.url), 'utf8')) as { cases: Case[] }).cases;

function close(actual: number, expected: number, what: string): void {
  const tol = Math.max(1e-6 * Math.abs(expected), 1e-12);
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs SciPy ${expected}`);
}

describe('drift report on real data, against SciPy', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-report-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The slice of a CSV whose `column` starts with `prefix`, as its own file (header kept). */
  const slice = (c: Case, prefix: string): string => {
    const [header, ...lines] = readFileSync(path.join(DATA, c.file), 'utf8').trimEnd().split('\n');
    const at = header!.split(',').indexOf(c.split_column);
    const f = path.join(dir, `${c.name}-${prefix}.csv`);
    writeFileSync(f, [header, ...lines.filter((l) => l.split(',')[at]!.startsWith(prefix))].join('\n'));
    return f;
  };

  for (const c of cases) {
    it(`${c.name}: every column's test, score and verdict as Evidently's defaults give`, async () => {
      const ref = await readDataset(slice(c, c.reference));
      const cur = await readDataset(slice(c, c.current));
      const r = await driftReport(ref, cur);
      assert.equal(r.referenceRows, c.reference_rows);
      assert.equal(r.currentRows, c.current_rows);
      assert.deepEqual(
        r.columns.map((x) => x.column),
        c.columns.map((x) => x.column),
      );
      for (const e of c.columns) {
        const got = r.columns.find((x) => x.column === e.column)!;
        assert.equal(got.kind, e.kind, `${e.column} kind`);
        assert.equal(got.status, e.status, `${e.column} status`);
        if (e.status !== 'tested') continue;
        assert.equal(got.test, e.test, `${e.column} test`);
        assert.equal(got.testChosenBy, 'auto');
        assert.equal(got.threshold, e.threshold, `${e.column} threshold`);
        close(got.score!, e.score!, `${e.column} ${e.test}`);
        assert.equal(got.drifted, e.drifted, `${e.column} drifted`);
      }
      assert.equal(r.tested, c.tested);
      assert.equal(r.drifted, c.drifted);
      assert.equal(r.datasetDrift, c.dataset_drift);
    });
  }

  it('finds the seasonal drift between January and February 2011: temperature and rentals, not humidity', async () => {
    const c = cases.find((x) => x.name === 'bike-days-jan-vs-feb-2011')!;
    const r = await driftReport(await readDataset(slice(c, c.reference)), await readDataset(slice(c, c.current)));
    const drifted = r.columns.filter((x) => x.drifted).map((x) => x.column);
    assert.ok(drifted.includes('temp') && drifted.includes('cnt'));
    assert.ok(!drifted.includes('hum'));
    const temp = r.columns.find((x) => x.column === 'temp')!;
    assert.equal(temp.distribution?.type, 'histogram');
    assert.equal(temp.reference.count, 31);
    assert.equal(temp.current.count, 28);
  });
});

describe('drift report options', () => {
  const rows = (n: number, shift: number) =>
    Array.from({ length: n }, (_, i) => ({ x: ((i * 7919) % 101) / 10 + shift, y: ((i * 104729) % 97) / 10, c: ['a', 'b', 'c'][i % 3]! }));

  it('a column override beats a kind override, which beats the one for all columns', async () => {
    const r = await driftReport(datasetFromObjects(rows(200, 0)), datasetFromObjects(rows(200, 1)), {
      tests: { all: 'psi', num: 'wasserstein', columns: { x: 'anderson' } },
      thresholds: { columns: { y: 0.5 } },
    });
    const by = Object.fromEntries(r.columns.map((c) => [c.column, c]));
    assert.equal(by.x!.test, 'anderson');
    assert.equal(by.x!.testChosenBy, 'column');
    assert.equal(by.y!.test, 'wasserstein');
    assert.equal(by.y!.testChosenBy, 'kind');
    assert.equal(by.y!.threshold, 0.5);
    assert.equal(by.c!.test, 'psi');
    assert.equal(by.c!.testChosenBy, 'all');
    assert.equal(by.x!.drifted, true);
    assert.equal(by.y!.drifted, false);
  });

  it('Bonferroni and Benjamini–Hochberg adjust p-values across columns and decide drift on them', async () => {
    const ref = datasetFromObjects(rows(300, 0));
    const cur = datasetFromObjects(rows(300, 0.35));
    const plain = await driftReport(ref, cur, { tests: { all: 'ks' }, exclude: ['c'] });
    const bonf = await driftReport(ref, cur, { tests: { all: 'ks' }, exclude: ['c'], correction: 'bonferroni' });
    const bh = await driftReport(ref, cur, { tests: { all: 'ks' }, exclude: ['c'], correction: 'bh' });
    const m = 2;
    for (const [i, c] of plain.columns.entries()) {
      assert.equal(bonf.columns[i]!.adjustedScore, Math.min(1, c.score! * m));
      assert.equal(bonf.columns[i]!.drifted, bonf.columns[i]!.adjustedScore! < 0.05);
    }
    const ps = plain.columns.map((c) => c.score!);
    const order = [...ps.keys()].sort((a, b) => ps[a]! - ps[b]!);
    const adjusted = [Math.min(1, ps[order[0]!]! * 2, ps[order[1]!]!), Math.min(1, ps[order[1]!]!)];
    assert.equal(bh.columns[order[0]!]!.adjustedScore, adjusted[0]);
    assert.equal(bh.columns[order[1]!]!.adjustedScore, adjusted[1]);
  });

  it('too few values is "insufficient data", not a verdict; the dataset verdict counts only tested columns', async () => {
    const ref = datasetFromObjects([...rows(50, 0).map((r, i) => ({ ...r, sparse: i < 5 ? i : null }))]);
    const cur = datasetFromObjects([...rows(50, 3).map((r, i) => ({ ...r, sparse: i < 5 ? i : null }))]);
    const r = await driftReport(ref, cur);
    const sparse = r.columns.find((c) => c.column === 'sparse')!;
    assert.equal(sparse.status, 'insufficient_data');
    assert.match(sparse.reason!, /5 reference and 5 current values; at least 10/);
    assert.equal(r.tested, 3);
    const lower = await driftReport(ref, cur, { minRows: 5 });
    assert.equal(lower.columns.find((c) => c.column === 'sparse')!.status, 'tested');
  });

  it('bad options name the field at fault', async () => {
    const d = datasetFromObjects(rows(20, 0));
    const bad = async (o: Parameters<typeof driftReport>[2], field: string, message: RegExp) => {
      await assert.rejects(driftReport(d, d, o), (e: unknown) => e instanceof AppError && e.httpStatus === 400 && e.field === field && message.test(e.message));
    };
    await bad({ tests: { columns: { nope: 'ks' } } }, 'tests.columns.nope', /No column 'nope'/);
    await bad({ tests: { num: 'kolmogorov' } }, 'tests.num', /No drift test named 'kolmogorov'/);
    await bad({ tests: { columns: { c: 'ks' } } }, 'tests.columns.c', /cannot test column 'c', which is cat/);
    await bad({ thresholds: { all: -1 } }, 'thresholds.all', /positive number/);
    await bad({ driftShare: 2 }, 'drift_share', /\(0, 1\]/);
  });
});

describe('drift report on text: SMS spam', () => {
  const messages = readFileSync(path.join(DATA, 'sms-spam-collection/SMSSpamCollection'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => {
      const tab = l.indexOf('\t');
      return { label: l.slice(0, tab), text: l.slice(tab + 1) };
    });
  const ham = messages.filter((m) => m.label === 'ham').map((m) => ({ text: m.text }));
  const spam = messages.filter((m) => m.label === 'spam').map((m) => ({ text: m.text }));
  const reference = datasetFromObjects(ham.slice(0, 1500));

  it('ham against more ham does not drift', async () => {
    const r = await driftReport(reference, datasetFromObjects(ham.slice(1500, 3000)));
    const text = r.columns.find((c) => c.column === 'text')!;
    assert.equal(text.kind, 'text');
    assert.equal(text.test, 'text_content_drift');
    assert.equal(text.classifier!.method, 'roc_auc');
    assert.ok(text.score! < 0.55, `ROC AUC ${text.score}`);
    assert.equal(text.drifted, false);
    assert.equal(r.datasetDrift, false);
  });

  it('a third of spam drifts, with spam words on the current side, longer messages and new words', async () => {
    const r = await driftReport(reference, datasetFromObjects([...ham.slice(1500, 2500), ...spam.slice(0, 500)]));
    const text = r.columns.find((c) => c.column === 'text')!;
    // A perfect classifier scores 1/3 · 1 + 2/3 · 1/2 = 0.67 here: two thirds of the current rows are ham like the reference.
    assert.ok(text.score! > 0.55 && text.score! <= 0.67, `ROC AUC ${text.score}`);
    assert.equal(text.drifted, true);
    assert.equal(r.datasetDrift, true);
    const spamWords = ['free', 'txt', 'call', 'claim', 'prize', 'mobile', 'text', 'stop', 'reply', 'win', 'urgent', 'www', 'com', 'uk', 'cash', 'nokia', '150p'];
    const words = (text.classifier as { currentWords: string[] }).currentWords;
    assert.ok(
      words.some((w) => spamWords.includes(w)),
      words.join(' '),
    );
    const length = r.columns.find((c) => c.column === 'text: length')!;
    assert.equal(length.derivedFrom, 'text');
    assert.equal(length.kind, 'num');
    assert.equal(length.test, 'wasserstein');
    assert.equal(length.drifted, true);
    const oov = r.columns.find((c) => c.column === 'text: oov_share')!;
    assert.equal(oov.status, 'tested');
    assert.equal(oov.drifted, true);
    // Descriptors explain the text column; they are not columns of the dataset.
    assert.equal(r.tested, 1);
  });
});

describe('drift report on embeddings', () => {
  const vectors = (n: number, shift: number, seed: number) => {
    let a = seed;
    const rand = () => {
      a = (a * 1103515245 + 12345) % 2 ** 31;
      return a / 2 ** 31;
    };
    return Array.from({ length: n }, () => ({ emb: Array.from({ length: 8 }, (_, j) => rand() - 0.5 + (j < 2 ? shift : 0)) }));
  };

  it('arrays of numbers are an embedding column: the domain classifier by default, MMD on request', async () => {
    const ref = datasetFromObjects(vectors(300, 0, 1));
    const same = await driftReport(ref, datasetFromObjects(vectors(300, 0, 2)));
    const moved = await driftReport(ref, datasetFromObjects(vectors(300, 0.4, 3)));
    for (const r of [same, moved]) {
      assert.equal(r.columns[0]!.kind, 'embedding');
      assert.equal(r.columns[0]!.test, 'embedding_classifier');
      assert.equal(r.columns[0]!.classifier!.method, 'roc_auc_permutation');
    }
    assert.equal(same.columns[0]!.drifted, false, `p ${same.columns[0]!.score}`);
    assert.equal(moved.columns[0]!.drifted, true, `p ${moved.columns[0]!.score}`);
    const mmd = await driftReport(ref, datasetFromObjects(vectors(300, 0.4, 3)), { tests: { embedding: 'mmd' } });
    assert.equal(mmd.columns[0]!.test, 'mmd');
    assert.equal(mmd.columns[0]!.scoreKind, 'p_value');
    assert.equal(mmd.columns[0]!.drifted, true);
  });
});

describe('text descriptor columns and options for every column', () => {
  it('a test and threshold for all columns do not reach the derived length and OOV columns', async () => {
    const texts = (n: number, word: string) => Array.from({ length: n }, (_, i) => ({ text: `message ${i} about ${word} number ${i * 7} and more ${i % 13}` }));
    const r = await driftReport(datasetFromObjects(texts(60, 'cats')), datasetFromObjects(texts(60, 'dogs')), { tests: { all: 'text_content_drift' }, thresholds: { all: 0.2 } });
    const text = r.columns.find((c) => c.column === 'text')!;
    assert.equal(text.test, 'text_content_drift');
    assert.equal(text.threshold, 0.2);
    const length = r.columns.find((c) => c.column === 'text: length')!;
    assert.equal(length.testChosenBy, 'auto');
    // Evidently's automatic choice for a numerical column (these lengths take few values: chi-square).
    assert.ok(['ks', 'chisquare', 'z'].includes(length.test!), length.test);
    assert.equal(length.threshold, 0.05);
  });
});
