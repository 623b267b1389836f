import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiHarness } from '../api/testing/api-harness.js';
import { STORIES_FILE } from '../serving/llm/testing/stories.js';
import { TITANIC_FILE, titanicV2 } from '../serving/testing/titanic.js';
import { type Sample, parseExposition, total } from './testing/scrape.js';

const DASHBOARD_FILE = new URL('../../docs/grafana/pitwall-dashboard.json', import.meta.url);
const DOC_FILE = new URL('../../docs/monitoring.md', import.meta.url);

/** Metric names as PromQL and the docs write them; digits included (`pitwall_e2e_request_latency_seconds`). */
const METRIC_NAME = /(?<![A-Za-z0-9_])(?:pitwall|process|nodejs)_[a-z0-9_]*[a-z0-9]/g;

interface Target {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  __inputs: { name: string; type: string; pluginId: string }[];
  schemaVersion: number;
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query: string }; datasource?: { uid?: string } }[] };
}

/** Every panel, those inside collapsed rows included. */
const allPanels = (ps: Panel[]): Panel[] => ps.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);

/** The metric families a `# TYPE` line declares, with their types. */
function declaredFamilies(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

/** The family a name in a query belongs to: itself, or a histogram's `_bucket`, `_sum` or `_count` series. */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const m = /^(.+)_(bucket|sum|count)$/.exec(name);
  return m && types.get(m[1]!) === 'histogram' ? m[1] : undefined;
}

/** The dashboard's PromQL as Prometheus would run it: Grafana's variables given values. */
const asPromql = (expr: string) => expr.replaceAll('$__rate_interval', '5m').replaceAll('$deployment', '.*');

describe('docs/grafana/pitwall-dashboard.json and docs/monitoring.md against a real /metrics', () => {
  let h: ApiHarness;
  let text: string;
  let samples: Sample[];
  let types: Map<string, string>;
  const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
  const doc = readFileSync(DOC_FILE, 'utf8');
  const queried = allPanels(dashboard.panels).filter((p) => p.type !== 'row');
  const exprs = queried.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr ?? '' })));

  before(async () => {
    h = await ApiHarness.start();
    await h.registerFile('titanic', TITANIC_FILE);
    await h.registerFile('stories', STORIES_FILE);
    await h.deploy({ name: 'titanic', model: 'models:/titanic/1', config: { cost_per_request: 0.001 } });
    await h.deploy({ name: 'stories', model: 'models:/stories/1', config: { parallel: 1, context_size: 256, threads: 1, cost_per_1k_output_tokens: 0.6 } });
    const tensor = await h.app.inject({ method: 'POST', url: '/v2/models/titanic/infer', payload: titanicV2(), headers: { 'content-type': 'application/json' } });
    assert.equal(tensor.statusCode, 200, tensor.body);
    const llm = await h.request('POST', '/v1/completions', { model: 'stories', prompt: 'Once upon a time', max_tokens: 8, temperature: 0 });
    assert.equal(llm.status, 200, llm.body);
    const r = await h.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(r.statusCode, 200);
    text = r.body;
    samples = parseExposition(text);
    types = declaredFamilies(text);
  });
  after(() => h.close());

  it('scraped both a tensor and an LLM deployment (so every family the dashboard needs has been exercised)', () => {
    assert.equal(total(samples, 'pitwall_requests_total', { deployment: 'titanic', code: '200' }), 1);
    assert.equal(total(samples, 'pitwall_requests_total', { deployment: 'stories', code: '200' }), 1);
    assert.equal(total(samples, 'pitwall_batch_size_count', { deployment: 'titanic' }), 1);
    assert.equal(total(samples, 'pitwall_time_to_first_token_seconds_count', { deployment: 'stories' }), 1);
    assert.equal(total(samples, 'pitwall_generation_tokens_total', { deployment: 'stories' }), 8);
  });

  it('every metric a dashboard query names is declared by /metrics (# TYPE), histogram series by their family', () => {
    assert.ok(queried.length >= 15, `${queried.length} panels`);
    const missing: string[] = [];
    for (const p of queried) {
      assert.ok(p.targets && p.targets.length > 0, `panel '${p.title}' has no query`);
      for (const t of p.targets) {
        assert.equal(typeof t.expr, 'string', `a query of panel '${p.title}' has no expr`);
        const names = t.expr!.match(METRIC_NAME) ?? [];
        assert.ok(names.length > 0, `panel '${p.title}' queries no Pitwall metric: ${t.expr}`);
        for (const n of names) if (!familyOf(n, types)) missing.push(`${n} (panel '${p.title}')`);
      }
    }
    assert.deepEqual(missing, [], `not in /metrics:\n${missing.join('\n')}`);
  });

  it('filters every per-deployment metric by the deployment variable', () => {
    const perDeployment = new Set(samples.filter((s) => s.labels.deployment !== undefined).map((s) => familyOf(s.name, types)));
    for (const { panel, expr } of exprs) {
      for (const n of expr.match(METRIC_NAME) ?? []) {
        if (perDeployment.has(familyOf(n, types))) assert.ok(expr.includes(`${n}{deployment=~"$deployment"`), `panel '${panel}': ${n} is not filtered by $deployment in ${expr}`);
      }
    }
  });

  it('is importable: a Prometheus datasource input, every query on it, a deployment variable, unique panel ids', () => {
    assert.ok(dashboard.schemaVersion >= 36 && dashboard.schemaVersion <= 41, String(dashboard.schemaVersion));
    assert.ok(dashboard.uid && dashboard.title);
    const input = dashboard.__inputs.find((i) => i.name === 'DS_PROMETHEUS');
    assert.deepEqual([input?.type, input?.pluginId], ['datasource', 'prometheus']);
    for (const p of queried) {
      assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${DS_PROMETHEUS}' }, `panel '${p.title}'`);
      for (const t of p.targets ?? []) if (t.datasource) assert.equal(t.datasource.uid, '${DS_PROMETHEUS}', `panel '${p.title}'`);
      assert.equal(p.type, 'timeseries', `panel '${p.title}'`);
      assert.ok(p.gridPos && p.gridPos.x + p.gridPos.w <= 24, `panel '${p.title}' gridPos`);
    }
    const ids = allPanels(dashboard.panels).map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
    const v = dashboard.templating.list.find((x) => x.name === 'deployment');
    assert.ok(v, 'a deployment variable');
    assert.equal(v.type, 'query');
    assert.equal(typeof v.query === 'string' ? v.query : v.query.query, 'label_values(pitwall_requests_total, deployment)');
    assert.equal(v.datasource?.uid, '${DS_PROMETHEUS}');
  });

  it('every query is valid PromQL (promtool check rules), when promtool is installed', (t) => {
    const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      t.skip('promtool is not installed (apt-get install prometheus)');
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-dashboard-'));
    try {
      const rules = exprs.map(({ expr }, i) => `      - record: pitwall_dashboard:q${i}\n        expr: ${JSON.stringify(asPromql(expr))}\n`).join('');
      const file = path.join(dir, 'rules.yml');
      writeFileSync(file, `groups:\n  - name: dashboard\n    rules:\n${rules}`);
      const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('docs/monitoring.md names every metric family /metrics declares, with its labels, and no metric that does not exist', () => {
    const notDocumented = [...types.keys()].filter((f) => !new RegExp(`(?<![A-Za-z0-9_])${f}(?![A-Za-z0-9_])`).test(doc));
    assert.deepEqual(notDocumented, [], `missing from docs/monitoring.md: ${notDocumented.join(', ')}`);
    const unknown = [...new Set(doc.match(METRIC_NAME) ?? [])].filter((n) => !familyOf(n, types));
    assert.deepEqual(unknown, [], `docs/monitoring.md names metrics /metrics does not declare: ${unknown.join(', ')}`);
    // The metrics table: a row per family, naming every label its samples carry.
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    for (const f of types.keys()) {
      const row = rows.find((l) => l.startsWith(`| \`${f}\``));
      assert.ok(row, `no table row for ${f}`);
      const labels = new Set(samples.filter((s) => familyOf(s.name, types) === f).flatMap((s) => Object.keys(s.labels)));
      for (const l of labels) assert.match(row, new RegExp(`\`${l}\``), `the row of ${f} does not name its label ${l}`);
      assert.match(row, new RegExp(`\\| ${types.get(f)} \\|`), `the row of ${f} does not say it is a ${types.get(f)}`);
    }
  });
});
