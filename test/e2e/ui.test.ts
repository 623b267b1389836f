/**
 * The web UI end to end: the built `pitwall server` serving dist/ui, seeded over the MLflow REST API, driven in
 * Debian's Chromium through playwright-core. Screenshots land in `.tmp/ui-e2e/` (git-ignored) for a human look.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type Browser, SHOTS, browserSkip, launchBrowser } from './browser.js';
import { REPO, api, startPitwall, type PitwallProcess } from './pitwall-process.js';

const RUNS = 30;
const STEPS = 5000;
const LRS = ['0.1', '0.01', '0.001'] as const;
const FILTER = "metrics.loss < 0.5 and params.lr = '0.01'";

interface SeededRun {
  id: string;
  name: string;
  lr: string;
  batchSize: string;
  finalLoss: number;
}

/** A decreasing, slightly noisy loss curve that ends near `floor`; deterministic so the expected counts are fixed. */
function lossAt(step: number, floor: number, seed: number): number {
  const noise = 0.04 * Math.sin(step * 0.37 + seed) * Math.exp(-step / 3000);
  return floor + 2 * Math.exp(-step / 700) + noise;
}

async function ok<T>(res: Promise<{ status: number; json: T }>, what: string): Promise<T> {
  const r = await res;
  assert.equal(r.status, 200, `${what}: ${JSON.stringify(r.json)}`);
  return r.json;
}

async function seed(base: string): Promise<{ experimentId: string; experimentName: string; runs: SeededRun[] }> {
  const experimentName = 'ui-e2e-mnist';
  const { experiment_id: experimentId } = await ok(
    api<{ experiment_id: string }>(base, 'POST', 'experiments/create', { name: experimentName }),
    'create experiment',
  );
  const t0 = Date.now() - RUNS * 60_000;
  const runs: SeededRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    const name = `run-${String(i).padStart(2, '0')}`;
    const lr = LRS[i % LRS.length]!;
    const batchSize = i % 2 === 0 ? '32' : '64';
    const start = t0 + i * 60_000;
    const { run } = await ok(
      api<{ run: { info: { run_id: string } } }>(base, 'POST', 'runs/create', { experiment_id: experimentId, run_name: name, start_time: start }),
      'create run',
    );
    const id = run.info.run_id;
    const floor = 0.1 + i * 0.03;
    await ok(
      api(base, 'POST', 'runs/log-batch', {
        run_id: id,
        params: [
          { key: 'lr', value: lr },
          { key: 'batch_size', value: batchSize },
        ],
        tags: [{ key: 'team', value: 'vision' }],
      }),
      'log params',
    );
    let finalLoss = Number.NaN;
    for (let from = 0; from < STEPS; from += 1000) {
      const metrics = [];
      for (let step = from; step < Math.min(from + 1000, STEPS); step++) {
        const value = lossAt(step, floor, i);
        metrics.push({ key: 'loss', value, step, timestamp: start + step * 10 });
        finalLoss = value;
      }
      await ok(api(base, 'POST', 'runs/log-batch', { run_id: id, metrics }), 'log loss');
    }
    const acc = Array.from({ length: 50 }, (_, k) => ({ key: 'acc', value: 1 - lossAt(k * 100, floor, i) / 3, step: k * 100, timestamp: start + k * 1000 }));
    await ok(api(base, 'POST', 'runs/log-batch', { run_id: id, metrics: acc }), 'log acc');
    if (i === 0) {
      await ok(
        api(base, 'POST', 'runs/log-inputs', {
          run_id: id,
          datasets: [
            {
              tags: [{ key: 'mlflow.data.context', value: 'training' }],
              dataset: { name: 'mnist-train', digest: 'abc123', source_type: 'local', source: '/data/mnist/train.parquet' },
            },
          ],
        }),
        'log inputs',
      );
    }
    await ok(api(base, 'POST', 'runs/update', { run_id: id, status: 'FINISHED', end_time: start + 50_000 }), 'finish run');
    runs.push({ id, name, lr, batchSize, finalLoss });
  }
  return { experimentId, experimentName, runs };
}

/** Waits until the runs table has finished loading and shows `count` rows. */
async function waitForRows(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => !document.querySelector('[data-testid="runs-loading"]') && document.querySelectorAll('[data-testid="run-row"]').length === n,
    count,
  );
}

async function columnValues(page: Page, column: string): Promise<number[]> {
  const texts = await page.locator(`[data-testid="run-row"] td[data-col="${column}"]`).allTextContents();
  return texts.map(Number);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe('web UI', { skip: browserSkip }, () => {
  let server: PitwallProcess;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let seeded: Awaited<ReturnType<typeof seed>>;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(path.join(REPO, 'dist', 'ui', 'index.html')), 'dist/ui is built (npm run build)');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-ui-data-'));
    server = await startPitwall(dataDir);
    seeded = await seed(server.url);
    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await server?.stop(); // SIGTERM, then waits for the process to exit
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the experiments page lists the experiment and links to its runs', async () => {
    await page.goto(server.url + '/');
    await page.getByTestId('brand').waitFor();
    const link = page.getByTestId('experiment-link').filter({ hasText: seeded.experimentName });
    await link.waitFor();
    await shot(page, '1-experiments');
    await link.click();
    await page.waitForURL(`**/experiments/${seeded.experimentId}`);
    await waitForRows(page, RUNS);
    assert.equal(await page.getByTestId('experiment-name').textContent(), seeded.experimentName);
    const headers = await page.locator('[data-testid="runs-table"] thead').textContent();
    for (const col of ['Run', 'Status', 'Started', 'Duration', 'loss', 'acc', 'lr', 'batch_size']) assert.ok(headers?.includes(col), `column ${col}`);
    await shot(page, '2-runs');
  });

  test('a filter is applied by the server and narrows the rows', async () => {
    const expected = seeded.runs.filter((r) => r.finalLoss < 0.5 && r.lr === '0.01');
    assert.ok(expected.length > 0 && expected.length < RUNS, 'the seed makes the filter selective');
    await page.getByTestId('filter-input').fill(FILTER);
    await page.getByTestId('filter-input').press('Enter');
    await waitForRows(page, expected.length);
    const names = await page.getByTestId('run-link').allTextContents();
    assert.deepEqual(names.sort(), expected.map((r) => r.name).sort());
    assert.match(page.url(), /filter=/, 'the filter is kept in the URL');
    await shot(page, '3-filtered');
  });

  test("a bad filter shows the server's own error message", async () => {
    const bad = 'metrics.loss <<< 0.5';
    const direct = await api<{ message: string }>(server.url, 'POST', 'runs/search', { experiment_ids: [seeded.experimentId], filter: bad });
    assert.equal(direct.status, 400);
    await page.getByTestId('filter-input').fill(bad);
    await page.getByTestId('filter-input').press('Enter');
    const error = page.getByTestId('filter-error');
    await error.waitFor();
    assert.ok((await error.textContent())?.includes(direct.json.message), `shows "${direct.json.message}"`);
    assert.equal(await page.getByTestId('run-row').count(), 0);
    await shot(page, '4-bad-filter');
    await page.getByTestId('filter-input').fill('');
    await page.getByTestId('filter-input').press('Enter');
    await waitForRows(page, RUNS);
    assert.equal(await error.count(), 0, 'the error goes away with a good query');
  });

  test('clicking a metric column header orders the rows on the server', async () => {
    await page.getByTestId('sort-metrics.loss').click();
    await page.waitForURL(/sort=metrics.loss/);
    await waitForRows(page, RUNS);
    const asc = await columnValues(page, 'metrics.loss');
    assert.equal(asc.length, RUNS);
    assert.deepEqual(asc, [...asc].sort((a, b) => a - b), 'ascending');
    await page.getByTestId('sort-metrics.loss').click();
    await page.waitForURL(/sort=-metrics.loss/);
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('[data-testid="run-row"] td[data-col="metrics.loss"]')].map((c) => Number(c.textContent));
      return cells.length > 1 && cells[0]! > cells[cells.length - 1]!;
    });
    const desc = await columnValues(page, 'metrics.loss');
    assert.deepEqual(desc, [...desc].sort((a, b) => b - a), 'descending');
    assert.equal(await page.getByTestId('run-link').first().textContent(), 'run-29', 'the worst run comes first');
  });

  test('the run page shows params and draws a downsampled chart per metric', async () => {
    const run = seeded.runs[0]!;
    await page.getByTestId('run-link').filter({ hasText: run.name }).click();
    await page.waitForURL(`**/runs/${run.id}`);
    assert.equal(await page.getByTestId('run-name').textContent(), run.name);
    const params = await page.getByTestId('params-table').textContent();
    assert.ok(params?.includes('lr') && params.includes(run.lr) && params.includes('batch_size'));
    assert.ok((await page.getByTestId('datasets-table').textContent())?.includes('mnist-train'));
    const tags = page.getByTestId('tags-table');
    assert.ok((await tags.textContent())?.includes('team'));
    const systemToggle = page.getByTestId('system-tags-toggle');
    if ((await systemToggle.count()) > 0) {
      assert.ok(!(await tags.textContent())?.includes('mlflow.'), 'system tags hidden by default');
      await systemToggle.check();
      assert.ok((await tags.textContent())?.includes('mlflow.'), 'system tags shown on request');
    }

    const loss = page.locator('[data-testid="metric-panel"][data-metric="loss"]');
    await loss.locator('[data-testid="metric-chart"] canvas').waitFor();
    assert.equal(await loss.getByTestId('curve-total-value').textContent(), STEPS.toLocaleString('en-US'));
    await loss.getByTestId('downsampled').waitFor();
    const acc = page.locator('[data-testid="metric-panel"][data-metric="acc"]');
    await acc.locator('[data-testid="metric-chart"] canvas').waitFor();
    assert.equal(await acc.getByTestId('curve-total-value').textContent(), '50');
    await shot(page, '5-run');
  });

  test('log scale, smoothing and drag-to-zoom keep the chart and refine the curve', async () => {
    const loss = page.locator('[data-testid="metric-panel"][data-metric="loss"]');
    await loss.getByTestId('log-toggle').check();
    await loss.locator('[data-testid="metric-chart"] canvas').waitFor();
    await loss.getByTestId('smoothing-slider').fill('0.9');
    assert.equal(await loss.getByTestId('smoothing-value').textContent(), '0.90');
    await loss.locator('[data-testid="metric-chart"] canvas').waitFor();
    assert.equal(await loss.getByTestId('legend-item').count(), 1);

    // Drag across the middle fifth of the plot: the panel re-fetches that step range at full detail.
    const over = loss.locator('.u-over');
    const box = await over.boundingBox();
    assert.ok(box);
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.waitForFunction(() => /^step \d+/.test(document.querySelector('[data-metric="loss"] .legend-step')?.textContent ?? ''));
    assert.match((await loss.locator('.legend-value').textContent()) ?? '', /^[\d.]+ \([\d.]+\)$/, 'hover shows smoothed (raw) values');
    await page.mouse.move(box.x + box.width * 0.4, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
    await page.mouse.up();
    await loss.getByTestId('reset-zoom').waitFor();
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-metric="loss"] [data-testid="curve-total-value"]');
      const n = Number(el?.textContent?.replace(/,/g, ''));
      return n > 0 && n < 5000;
    });
    const zoomedTotal = Number((await loss.getByTestId('curve-total-value').textContent())?.replace(/,/g, ''));
    assert.ok(zoomedTotal > 500 && zoomedTotal < 1500, `about a fifth of the steps, got ${zoomedTotal}`);
    assert.equal(await loss.getByTestId('downsampled').count(), 0, 'a ~1000-step window comes back whole');
    await loss.locator('[data-testid="metric-chart"] canvas').waitFor();
    await shot(page, '6-run-zoomed-log-smoothed');

    await over.dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
    await loss.getByTestId('reset-zoom').waitFor({ state: 'detached' });
    await page.waitForFunction(
      () => document.querySelector('[data-metric="loss"] [data-testid="curve-total-value"]')?.textContent === '5,000',
    );
  });

  test('compare shows both runs side by side and overlays their curves', async () => {
    await page.goto(`${server.url}/experiments/${seeded.experimentId}`);
    await waitForRows(page, RUNS);
    const [a, b] = [seeded.runs[0]!, seeded.runs[1]!];
    assert.notEqual(a.lr, b.lr);
    for (const r of [a, b]) await page.locator(`[data-testid="run-row"][data-run-id="${r.id}"] [data-testid="run-checkbox"]`).check();
    const compare = page.getByTestId('compare-button');
    assert.ok(await compare.isEnabled());
    await compare.click();
    await page.waitForURL(/\/compare\?runs=/);
    const names = await page.getByTestId('compare-run-name').first().locator('..').textContent();
    assert.ok(names?.includes(a.name) && names.includes(b.name), `both run names shown: ${names}`);
    const lrRow = page.locator('[data-testid="compare-param-row"]').filter({ hasText: 'lr' });
    assert.equal(await lrRow.getAttribute('data-differs'), 'true', 'differing params are highlighted');
    const metricsTable = await page.getByTestId('compare-metrics').textContent();
    assert.ok(metricsTable?.includes('loss') && metricsTable.includes('acc'));
    const loss = page.locator('[data-testid="metric-panel"][data-metric="loss"]');
    await loss.locator('[data-testid="metric-chart"] canvas').waitFor();
    assert.deepEqual(await loss.getByTestId('legend-item').locator('.legend-label').allTextContents(), [a.name, b.name]);
    await loss.getByTestId('smoothing-slider').fill('0.6');
    await loss.getByTestId('log-toggle').check();
    await loss.locator('[data-testid="metric-chart"] canvas').waitFor();
    assert.equal(await loss.getByTestId('legend-item').count(), 2);
    await shot(page, '7-compare');
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});
