import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectKeys, formatSort, metricColumn, nextSort, orderByClause, paramColumn, parseSort } from './run-columns.js';
import type { Run } from '../sdk/types.js';

const run = (metrics: string[], params: string[]): Run => ({
  info: {
    run_id: 'r', run_uuid: 'r', run_name: 'n', experiment_id: '0', user_id: 'u', status: 'FINISHED',
    start_time: 1, artifact_uri: '', lifecycle_stage: 'active',
  },
  data: {
    metrics: metrics.map((key) => ({ key, value: 1, step: 0, timestamp: 0 })),
    params: params.map((key) => ({ key, value: 'v' })),
  },
});

test('keys that are not plain identifiers are backtick-quoted for the search grammar', () => {
  assert.equal(metricColumn('loss'), 'metrics.loss');
  assert.equal(metricColumn('f1 score'), 'metrics.`f1 score`');
  assert.equal(paramColumn('model.depth'), 'params.`model.depth`');
});

test('header clicks cycle ascending → descending → default order', () => {
  let s = nextSort(null, 'metrics.loss');
  assert.deepEqual(s, { column: 'metrics.loss', desc: false });
  assert.equal(orderByClause(s!), 'metrics.loss ASC');
  s = nextSort(s, 'metrics.loss');
  assert.equal(orderByClause(s!), 'metrics.loss DESC');
  assert.equal(nextSort(s, 'metrics.loss'), null);
  assert.deepEqual(nextSort(s, 'params.lr'), { column: 'params.lr', desc: false });
});

test('sort state round-trips through the URL', () => {
  assert.deepEqual(parseSort(formatSort({ column: 'metrics.acc', desc: true }) ?? null), { column: 'metrics.acc', desc: true });
  assert.equal(parseSort(null), null);
});

test('columns are the union of keys on the page, in natural order', () => {
  const k = collectKeys([run(['loss', 'acc'], ['lr']), run(['loss', 'layer10', 'layer2'], ['batch_size'])]);
  assert.deepEqual(k.metricKeys, ['acc', 'layer2', 'layer10', 'loss']);
  assert.deepEqual(k.paramKeys, ['batch_size', 'lr']);
});
