import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { Monitor, MonitorRun } from '../../store/index.js';
import { alertOf, sendAlert, webhookBody } from './webhooks.js';

const monitor = (patch: Partial<Monitor> = {}): Monitor => ({
  name: 'm',
  description: '',
  type: 'data',
  deployment: 'titanic',
  reference: null,
  schedule: '0 * * * *',
  timezone: 'UTC',
  windowMinutes: 60,
  maxRows: 1000,
  options: {},
  webhooks: [],
  enabled: true,
  quality: null,
  state: 'ok',
  createdAt: 0,
  updatedAt: 0,
  ...patch,
});

const run = (report: unknown, patch: Partial<MonitorRun> = {}): MonitorRun => ({
  id: 'r1',
  monitor: 'm',
  time: 2,
  windowFrom: 1,
  windowTo: 2,
  status: 'drifted',
  referenceRows: 10,
  currentRows: 10,
  tested: 4,
  drifted: 3,
  share: 0.75,
  report,
  error: null,
  alert: null,
  alertError: null,
  ...patch,
});

describe('drift alerts', () => {
  it('name the drifted columns, most drifted first, and say what a performance or dataset monitor watched', () => {
    const a = alertOf('drift', monitor(), run({ columns: [
      { column: 'age', drifted: true, test: 'ks', score: 0.01, threshold: 0.05, scoreKind: 'p_value' },
      { column: 'fare', drifted: true, test: 'ks', score: 1e-20, threshold: 0.05, scoreKind: 'p_value' },
      { column: 'sex', drifted: false, test: 'z', score: 0.5, threshold: 0.05, scoreKind: 'p_value' },
    ] }));
    assert.deepEqual(a.columns.map((c) => c.column), ['fare', 'age']);
    assert.match(a.text, /Drift detected by monitor m on deployment titanic: 3 of 4 columns drifted \(75%\): fare, age\./);
    const perf = alertOf('drift', monitor({ type: 'performance' }), run({ metric: 'accuracy', reference: { band: { lower: 0.6, upper: 0.84 } } }, { drifted: 2, tested: 3 }));
    assert.equal(perf.text, 'Performance alert on deployment titanic (monitor m): 2 of 3 chunks of accuracy outside the band 0.600–0.840.');
    const dataset = alertOf('recovery', monitor({ deployment: '', current: { type: 'latest_run_artifact', experimentId: '7', path: 'b.csv' } }), run({ columns: [] }, { status: 'ok', drifted: 0 }));
    assert.match(dataset.text, /^Recovered: monitor m on the newest b\.csv of experiment 7 finds no dataset drift/);
    const slack = webhookBody({ url: 'https://hooks.slack.com/x', format: 'slack' }, a) as { text: string; blocks: { text: { text: string } }[] };
    assert.equal(slack.text, a.text);
    assert.match(slack.blocks[1]!.text.text, /\*fare\*: ks/);
  });

  it('retries a 5xx once, reports a failure by the hook\'s origin only, never its path', async () => {
    let calls = 0;
    const server = http.createServer((_req, res) => {
      calls++;
      res.statusCode = 503;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const a = alertOf('drift', monitor(), run({ columns: [] }));
      const failed = await sendAlert([{ url: `http://127.0.0.1:${port}/services/SECRET`, format: 'json' }], a);
      assert.equal(calls, 2);
      assert.equal(failed, `http://127.0.0.1:${port}: HTTP 503`);
      const refused = await sendAlert([{ url: 'http://127.0.0.1:9/services/SECRET', format: 'json' }], a);
      assert.ok(refused && !refused.includes('SECRET'), refused ?? '');
    } finally {
      server.close();
    }
  });
});
