import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiHarness, type Answer, queryString } from '../testing/api-harness.js';

const T0 = 1_700_000_000_000;

/** Values of every JSON type and the usual troublemakers, put into every documented field of every route. */
const VALUES: unknown[] = [
  null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, 1e21,
  '', ' ', 'x', 'NaN', 'Infinity', '-1', '0', '1e999', '9223372036854775808', "'; DROP TABLE runs; --", '\u0000', '\ud800', '%', '_', '\\',
  "metrics.a > 1 OR metrics.b < 2", "params.p = 'x' AND", 'eyJvZmZzZXQiOiAtNX0=', 'a'.repeat(20_000),
  [], [null], [1], ['x'], [{}], [[[]]], [{ key: null, value: null }], [{ key: 'k', value: {} }], [{ key: 'k', value: 'v', timestamp: 'now' }],
  {}, { key: null }, { dataset: {} }, { a: { b: { c: [] } } },
];

/** Bodies that are not a JSON object at all, sent raw. */
const RAW_BODIES = [
  '', ' ', '{', '}', '[]', '[1,2]', 'null', '0', '"s"', 'true', '{"a":', '{"a":1,}', '\u0000', 'NaN', '{"__proto__": {"run_id": "x"}}',
  '{"constructor": {"prototype": {"polluted": true}}}', `${'['.repeat(50_000)}${']'.repeat(50_000)}`, `{"a": "${'\\u00'.repeat(3)}"}`,
];

/** Query strings that are broken as such. */
const RAW_QUERIES = ['?%', '?%ZZ=1', '?run_id=%00', '?run_id=%E0%A4%A', '?=&=&', '?run_ids[]=a&run_ids[0]=b', `?x=${'y'.repeat(10_000)}`, '?__proto__=1&constructor=2'];

interface Route {
  method: string;
  path: string;
  fields: string[];
}

async function routesFromDocs(h: ApiHarness): Promise<Route[]> {
  const doc = (await h.request('GET', '/docs/json')).json as { paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> };
  const routes: Route[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    // A Server-Sent Events stream answered 200 never ends under inject; its validation is tested in events-routes.test.ts.
    if (path === '/api/v1/events') continue;
    for (const [method, op] of Object.entries(methods)) {
      const fields = op.parameters?.map((p) => p.name) ?? Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {});
      routes.push({ method: method.toUpperCase(), path, fields });
    }
  }
  return routes;
}

function assertSane(a: Answer, what: string): void {
  assert.ok(a.status < 500, `${what} → ${a.status} ${a.body.slice(0, 300)}`);
  if (a.status >= 400 && what.split(' ')[1]!.startsWith('/v2')) {
    // The Open Inference Protocol's own error shape.
    assert.deepEqual(Object.keys(a.json ?? {}), ['error'], `${what}: {"error"} in ${a.body.slice(0, 200)}`);
    assert.equal(typeof a.json.error, 'string', `${what}: error`);
  } else if (a.status >= 400 && what.split(' ')[1]!.startsWith('/v1/')) {
    // The OpenAI-compatible routes answer in OpenAI's error shape.
    assert.deepEqual(Object.keys(a.json ?? {}), ['error'], `${what}: {"error"} in ${a.body.slice(0, 200)}`);
    assert.equal(typeof a.json.error.message, 'string', `${what}: error.message`);
    assert.equal(typeof a.json.error.type, 'string', `${what}: error.type`);
  } else if (a.status >= 400) {
    assert.equal(typeof a.json?.error_code, 'string', `${what}: error_code in ${a.body.slice(0, 200)}`);
    assert.equal(typeof a.json.message, 'string', `${what}: message`);
    assert.equal(typeof a.json.field, 'string', `${what}: field in ${a.body.slice(0, 200)}`);
  }
}

describe('MLflow routes: fuzz', () => {
  it('answers garbage on every documented route with a 4xx naming the field, and loses nothing stored', async () => {
    const h = await ApiHarness.start();
    try {
      // Data that no fuzz request names, and must come through unchanged.
      const keepExp = await h.createExperiment('fuzz-keep');
      await h.ok('/experiments/set-experiment-tag', { experiment_id: keepExp, key: 'k', value: 'v' });
      const keepRun = await h.createRun(keepExp, { run_name: 'keep', start_time: T0 });
      await h.ok('/runs/log-batch', {
        run_id: keepRun,
        metrics: Array.from({ length: 20 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), timestamp: T0 + i, step: i })),
        params: [{ key: 'lr', value: '0.1' }],
        tags: [{ key: 'team', value: 'a' }],
      });
      await h.ok('/runs/log-inputs', { run_id: keepRun, datasets: [{ dataset: { name: 'ds', digest: 'd', source_type: 'local', source: '/x' } }] });
      const snapshot = async () => ({
        exp: (await h.okGet('/experiments/get', { experiment_id: keepExp })).experiment,
        run: (await h.okGet('/runs/get', { run_id: keepRun })).run,
        history: (await h.okGet('/metrics/get-history', { run_id: keepRun, metric_key: 'loss' })).metrics,
      });
      const before = await snapshot();

      // Real ids that fuzz requests may change, so that validation behind the id lookup is reached too.
      const victimExp = await h.createExperiment('fuzz-victim');
      const victimRun = await h.createRun(victimExp);

      const routes = await routesFromDocs(h);
      assert.ok(routes.length >= 26, `routes found in /docs/json: ${routes.length}`);
      let sent = 0;
      for (const r of routes) {
        const mirror = r.path.startsWith('/api/2.0/mlflow/') ? r.path.replace('/api/', '/ajax-api/') : undefined;
        const send = async (url: string, body: unknown, what: string) => {
          sent++;
          assertSane(await h.request(r.method, url, body), `${r.method} ${what}`);
        };
        const bodies: unknown[] = [];
        for (const v of VALUES) {
          bodies.push(Object.fromEntries(r.fields.map((f) => [f, v])));
          for (const f of r.fields) {
            bodies.push({ [f]: v });
            bodies.push({ run_id: victimRun, experiment_id: victimExp, run_ids: [victimRun], experiment_ids: [victimExp], [f]: v });
          }
        }
        if (r.method === 'GET') {
          for (const b of bodies as Record<string, unknown>[]) {
            const q = Object.fromEntries(
              Object.entries(b).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))) : typeof v === 'object' ? JSON.stringify(v) : String(v)]),
            );
            await send(`${r.path}${queryString(q)}`, undefined, `${r.path} ${JSON.stringify(q).slice(0, 120)}`);
          }
          for (const raw of RAW_QUERIES) {
            await send(`${r.path}${raw}`, undefined, `${r.path}${raw.slice(0, 40)}`);
            if (mirror) await send(`${mirror}${raw}`, undefined, `${mirror}${raw.slice(0, 40)}`);
          }
        } else {
          for (const b of bodies) await send(r.path, b, `${r.path} ${JSON.stringify(b).slice(0, 120)}`);
          for (const raw of RAW_BODIES) {
            await send(r.path, raw, `${r.path} raw ${JSON.stringify(raw.slice(0, 30))}`);
            if (mirror) await send(mirror, raw, `${mirror} raw ${JSON.stringify(raw.slice(0, 30))}`);
          }
        }
      }
      assert.ok(sent > 5000, `requests sent: ${sent}`);

      assert.deepEqual(await snapshot(), before, 'the data no request named is unchanged');
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
      // The server still takes writes and reads.
      const e = await h.createExperiment('after-fuzz');
      const run = await h.createRun(e);
      await h.ok('/runs/log-metric', { run_id: run, key: 'm', value: 1, timestamp: T0 });
      assert.equal((await h.okGet('/runs/get', { run_id: run })).run.data.metrics[0].value, 1);
    } finally {
      await h.close();
    }
  });
});
