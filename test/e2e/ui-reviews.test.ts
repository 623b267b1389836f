/**
 * The reports of LLM quality and performance monitors and the human review queue, end to end: the built `pitwall
 * server` serving stories260K (its answers mostly thumbed down, the same GGUF as the judge) and the Titanic pipeline
 * (a labelled validation window as the reference, then traffic labelled with the opposite of each passenger's fate),
 * monitors created and checked through the API, then in Debian's Chromium through playwright-core: the quality report
 * with its degraded thumbs-down rate and interval chart, the review queue (grading, skipping, the judge's grade
 * beside people's), and the performance report's chart with its alerting chunks. Screenshots land in
 * `.tmp/ui-e2e/reviews-*.png` (git-ignored).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { csvRecords } from '../../src/core/csv-records.js';
import { STORIES_FILE } from '../../src/serving/llm/testing/stories.js';
import { type Passenger, TITANIC_FILE, titanicV2 } from '../../src/serving/testing/titanic.js';
import { type Browser, SHOTS, browserSkip, launchBrowser } from './browser.js';
import { REPO, pitwall, startPitwall, type PitwallProcess } from './pitwall-process.js';

const LLM = 'stories';
const QUALITY = 'stories-quality';
const PERF = 'titanic-accuracy';
const TITANIC_CSV = path.resolve(REPO, '../shared/data/titanic-sample/small_titanic.csv');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** The sample's passengers with every field the model needs, and whether each survived. */
function passengers(): { p: Passenger; survived: number }[] {
  const [header, ...rows] = csvRecords(readFileSync(TITANIC_CSV, 'utf8')).map((r) => r.fields);
  const at = (name: string) => header!.indexOf(name);
  return rows
    .filter((r) => r[at('age')] !== '' && r[at('embarked')] !== '' && r[at('fare')] !== '')
    .map((r) => ({ p: [Number(r[at('pclass')]), r[at('sex')]!, Number(r[at('age')]), Number(r[at('fare')]), r[at('embarked')]!] as Passenger, survived: Number(r[at('survived')]) }));
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `reviews-${name}.png`), fullPage: true });
}

describe('web UI: quality and performance reports, the review queue', { skip: browserSkip }, () => {
  let server: PitwallProcess;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let qualityRun = '';
  const pageErrors: string[] = [];

  const call = async (method: string, route: string, body?: unknown): Promise<{ json: Json; headers: Headers }> => {
    const res = await fetch(server.url + route, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${route}: ${res.status} ${text}`);
    return { json: JSON.parse(text) as Json, headers: res.headers };
  };
  const v1 = async (method: string, route: string, body?: unknown) => (await call(method, `/api/v1${route}`, body)).json;

  const register = async (file: string, name: string) => {
    const r = await pitwall(['models', 'register', file, '--name', name], { PITWALL_TRACKING_URI: server.url });
    assert.equal(r.code, 0, r.stderr);
  };
  const deploy = async (name: string, model: string, config?: Json) => {
    await v1('POST', '/deployments', { name, model, ...(config ? { config } : {}) });
    for (let i = 0; i < 1200; i++) {
      const st = (await v1('GET', `/deployments/${name}/status`)).status;
      if (st.ready) return;
      assert.notEqual(st.targets[0]?.state, 'failed', JSON.stringify(st));
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`${name} never became ready`);
  };
  /** Queues a check, waits for its job, answers the check's id. */
  const check = async (name: string): Promise<string> => {
    const queued = await v1('POST', `/monitors/${name}/run`);
    for (let i = 0; i < 2400; i++) {
      const { job } = await v1('GET', `/jobs/${queued.job_id}`);
      if (job.state === 'completed') return String(job.output.run_id);
      assert.ok(job.state !== 'failed' && job.state !== 'cancelled', JSON.stringify(job));
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the check of ${name} never finished`);
  };

  before(async () => {
    assert.ok(existsSync(path.join(REPO, 'dist', 'ui', 'index.html')), 'dist/ui is built (npm run build)');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-ui-rev-data-'));
    server = await startPitwall(dataDir);
    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('an LLM quality check: the thumbs-down rate degraded, drawn with its interval against its threshold', async () => {
    await register(STORIES_FILE, LLM);
    await deploy(LLM, `models:/${LLM}/1`, { parallel: 2, context_size: 512, threads: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await call('POST', '/v1/chat/completions', { model: LLM, messages: [{ role: 'user', content: `Tell me story number ${i} about a cat.` }], max_tokens: 24, seed: i });
      ids.push(String(r.headers.get('x-pitwall-prediction-id')));
    }
    // Ten of twelve answers get a thumbs down.
    for (const [i, id] of ids.entries()) await v1('POST', '/feedback', { prediction_id: id, thumbs: i < 10 ? 'down' : 'up' });
    await v1('POST', '/monitors', {
      name: QUALITY,
      type: 'llm_quality',
      deployment: LLM,
      window_minutes: 60,
      quality: { judge: { deployment: LLM, sample_size: 12 }, review_sample_size: 4, min_count: 10 },
    });
    qualityRun = await check(QUALITY);

    await page.goto(`${server.url}/monitors/${QUALITY}/runs/${qualityRun}`);
    const headline = page.getByTestId('report-headline');
    await headline.waitFor();
    assert.match((await headline.textContent()) ?? '', /^[12] of 2 signals degraded$/);
    assert.equal(await page.getByTestId('run-status').textContent(), 'drifted');
    assert.equal(await page.getByTestId('run-report-json').count(), 0, 'no raw JSON any more');
    const down = page.locator('[data-testid="signal-row"][data-signal="thumbs_down_rate"]');
    assert.equal(await down.getAttribute('data-degraded'), 'true');
    assert.equal(await down.getByTestId('signal-verdict').textContent(), 'degraded');
    assert.match((await down.getByTestId('signal-rate').textContent()) ?? '', /^83\.3% \([\d.]+–[\d.]+%\)$/);
    assert.equal(await page.locator('[data-testid="signal-row"][data-signal="human_pass_rate"]').getAttribute('data-status'), 'insufficient_data');

    const mark = page.locator('[data-testid="signals-chart"] [data-testid="signal-mark"][data-signal="thumbs_down_rate"]');
    await mark.waitFor();
    assert.equal(await mark.getAttribute('data-state'), 'degraded');
    assert.equal(await mark.getByTestId('signal-interval').count(), 1, 'its interval drawn');
    assert.equal(await mark.getByTestId('signal-point').count(), 1);
    const [low, point, threshold] = await mark.evaluate((g) => {
      const bar = g.querySelector('[data-testid="signal-interval"] line')!;
      return [Number(bar.getAttribute('x1')), Number(g.querySelector('circle')!.getAttribute('cx')), Number(g.querySelector('[data-testid="signal-threshold"]')!.getAttribute('x1'))];
    });
    assert.ok(threshold! < low! && low! < point!, `threshold ${threshold} < interval ${low} < rate ${point}: the whole interval is past the threshold`);
    assert.equal(await page.locator('[data-testid="signal-mark"][data-signal="human_pass_rate"]').getAttribute('data-state'), 'insufficient');

    assert.equal(await page.getByTestId('feedback-down').textContent(), '10');
    assert.equal(await page.getByTestId('feedback-up').textContent(), '2');
    assert.equal(await page.getByTestId('judge-deployment').textContent(), LLM);
    assert.equal(await page.getByTestId('judge-graded').textContent(), '12');
    assert.equal(await page.getByTestId('judge-now').textContent(), '12');
    assert.match((await page.getByTestId('judge-mean').textContent()) ?? '', /^[1-5](\.\d+)?$/);
    assert.equal(await page.getByTestId('judge-errors').count(), 0);
    assert.equal(await page.getByTestId('human-queued').textContent(), '4');
    assert.match((await page.getByTestId('agreement-error').textContent()) ?? '', /no answer has both/);
    await shot(page, '1-quality-report');
    await page.getByTestId('signals-chart').screenshot({ path: path.join(SHOTS, 'reviews-1b-signals.png') });
  });

  test('the review queue from the report: grade two answers, skip one, the counter going down, the judge beside', async () => {
    await page.evaluate(() => window.localStorage.removeItem('pitwall.reviewer'));
    const link = page.getByTestId('review-queue-link');
    assert.equal(await link.textContent(), '4 pending — open the queue');
    await link.click();
    await page.waitForURL(`**/reviews?monitor=${QUALITY}`);
    const count = page.getByTestId('pending-count');
    await count.waitFor();
    assert.equal(await count.textContent(), '4 pending');
    assert.equal(await page.getByTestId('nav-reviews').getAttribute('aria-current'), 'page');
    assert.equal(await page.getByTestId('filter-monitor').inputValue(), QUALITY);
    assert.equal(await page.getByTestId('filter-state-pending').getAttribute('aria-pressed'), 'true');
    const card = page.getByTestId('review-card');
    assert.match((await card.getByTestId('review-prompt').textContent()) ?? '', /^Tell me story number \d+ about a cat\.$/);
    assert.ok(((await card.getByTestId('review-answer').textContent()) ?? '').length > 0);
    assert.deepEqual(await card.locator('.grade-button').allTextContents(), ['1 bad', '2 poor', '3 acceptable', '4 good', '5 excellent']);
    assert.equal(await page.getByTestId('graded-table').count(), 0, 'nothing graded yet');
    await shot(page, '2-queue');

    const grade = async (action: () => Promise<void>, left: number, confirmation: RegExp) => {
      const before = await card.getAttribute('data-id');
      await action();
      // The counter and the confirmation change together, once the grade is stored.
      await page.waitForFunction((n) => document.querySelector('[data-testid="pending-count"]')?.textContent === `${n} pending`, left);
      assert.match((await page.getByTestId('review-confirmation').textContent()) ?? '', confirmation);
      if (left > 0) assert.notEqual(await card.getAttribute('data-id'), before, 'on to the next answer');
    };
    await page.getByTestId('reviewer-name').fill('ana');
    await grade(() => card.getByTestId('grade-2').click(), 3, /^Graded 2 · poor — on to the next answer\.$/);
    assert.equal(await card.getByTestId('review-comment').inputValue(), '', 'the comment starts empty for the next answer');
    await card.getByTestId('review-comment').fill('Lovely cat, clear story.');
    await grade(() => card.getByTestId('grade-5').click(), 2, /^Graded 5 · excellent/);
    await grade(() => card.getByTestId('review-skip').click(), 1, /^Skipped/);

    const graded = page.locator('[data-testid="graded-table"] [data-testid="review-row"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="graded-table"] [data-testid="review-row"]').length === 2);
    assert.deepEqual(await graded.getByTestId('review-score').allTextContents(), ['5 · excellent', '2 · poor'], 'latest graded first');
    assert.deepEqual(await graded.getByTestId('review-reviewer').allTextContents(), ['ana', 'ana']);
    assert.equal(await graded.getByTestId('judge-score').count(), 2, "the judge's grade of both answers beside");
    for (const t of await graded.getByTestId('judge-score').allTextContents()) assert.match(t, /^[1-5] · \w+$/);
    await shot(page, '3-graded');

    // Stored on the server, and the name is remembered.
    const done = (await v1('GET', `/reviews?monitor=${QUALITY}&source=human&state=done`)).reviews as Json[];
    assert.deepEqual(done.map((r) => [r.score, r.reviewer, r.comment]).sort(), [
      [2, 'ana', null],
      [5, 'ana', 'Lovely cat, clear story.'],
    ]);
    await page.reload();
    await count.waitFor();
    assert.equal(await count.textContent(), '1 pending');
    assert.equal(await page.getByTestId('reviewer-name').inputValue(), 'ana');

    await page.getByTestId('filter-state-skipped').click();
    await page.waitForURL(`**/reviews?monitor=${QUALITY}&state=skipped`);
    await page.locator('[data-testid="reviews-table"] [data-testid="review-row"]').first().waitFor();
    assert.equal(await page.locator('[data-testid="review-row"]').count(), 1);
    assert.equal(await page.locator('[data-testid="review-row"]').getAttribute('data-state'), 'skipped');
    await page.getByTestId('filter-state-done').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="reviews-table"] [data-testid="review-row"][data-state="done"]').length === 2);
    assert.equal(await page.getByTestId('judge-score').count(), 2);
    assert.equal(await count.textContent(), '1 pending', 'the counter stays on every list');
  });

  test('the monitor page of a quality monitor speaks of degraded signals and links to its queue', async () => {
    await page.goto(`${server.url}/monitors/${QUALITY}`);
    const share = page.getByTestId('share-chart');
    await share.waitFor();
    assert.deepEqual(await share.getByTestId('chart-line').evaluateAll((els) => els.map((e) => e.getAttribute('data-series'))), ['degraded signals']);
    assert.equal(await share.getByTestId('chart-mark').count(), 1, 'the degraded check is marked');
    assert.ok((await page.getByTestId('signal-chart').count()) >= 1, 'a rate chart per signal');
    assert.match((await page.getByTestId('checks-table').locator('thead').textContent()) ?? '', /Degraded \/ signals/);
    assert.match((await page.getByTestId('monitor-reference').textContent()) ?? '', /none needed/);
    assert.equal(await page.getByTestId('checks-empty').count(), 0);
    assert.equal(await page.getByTestId('monitor-reviews-link').getAttribute('href'), `/reviews?monitor=${QUALITY}`);
    await shot(page, '4-quality-monitor');
  });

  test("a performance check's report: the metric per chunk against the band, the alerting chunks marked red", async () => {
    await register(TITANIC_FILE, 'titanic');
    for (const name of ['validation', 'titanic']) await deploy(name, 'models:/titanic/1');
    const people = passengers();
    const serve = async (deployment: string, rows: { p: Passenger; label: number }[]) => {
      const ids: string[] = [];
      for (const r of rows) ids.push(String((await call('POST', `/v2/models/${deployment}/infer`, titanicV2([r.p]))).headers.get('x-pitwall-prediction-id')));
      await v1('POST', '/labels', { labels: ids.map((id, i) => ({ prediction_id: id, label: rows[i]!.label })) });
    };
    const refFrom = Date.now() - 1;
    await serve('validation', [...people, ...people].map((x) => ({ p: x.p, label: x.survived })));
    const refTo = Date.now() + 1;
    await v1('POST', '/monitors', {
      name: PERF,
      type: 'performance',
      deployment: 'titanic',
      reference: { type: 'window', deployment: 'validation', from: refFrom, to: refTo },
      window_minutes: 30,
      performance: { metric: 'accuracy', chunk_size: 12 },
    });
    // The same people labelled with the opposite of their fate: the model is now mostly wrong.
    await serve('titanic', people.map((x) => ({ p: x.p, label: 1 - x.survived })));
    const id = await check(PERF);

    await page.goto(`${server.url}/monitors/${PERF}/runs/${id}`);
    const chart = page.getByTestId('performance-chart');
    await chart.locator('svg[role="img"]').waitFor();
    assert.equal(await page.getByTestId('run-status').textContent(), 'drifted');
    assert.match((await page.getByTestId('report-headline').textContent()) ?? '', /^(\d+) of \1 chunks outside the band$/);
    assert.equal(await page.getByTestId('perf-metric').textContent(), 'accuracy');
    assert.equal(await page.getByTestId('perf-chunk-size').textContent(), '12 rows');
    assert.match((await page.getByTestId('perf-band').textContent()) ?? '', /^0\.\d+–[\d.]+ \(mean 0\.\d+\)$/);
    assert.equal(await page.getByTestId('perf-current').textContent(), `${people.length} rows, ${people.length} labelled (100%)`);

    const refChunks = Number(await chart.getAttribute('data-reference-chunks'));
    const chunks = Number(await chart.getAttribute('data-chunks'));
    assert.equal(refChunks, Math.floor((people.length * 2) / 12));
    assert.ok(chunks >= 2, `${chunks} current chunks`);
    assert.equal(Number(await chart.getAttribute('data-alerts')), chunks, 'every current chunk alerts');
    assert.equal(await chart.locator('[data-testid="performance-point"][data-alert="true"]').count(), chunks, 'alerting chunks marked');
    assert.equal(await chart.locator('[data-testid="performance-point"][data-alert="true"]').first().getAttribute('fill'), '#e15759');
    assert.equal(await chart.getByTestId('performance-divider').count(), 1);
    assert.equal(await chart.getByTestId('band-lower').count(), 1);
    assert.equal(await chart.getByTestId('band-upper').count(), 1);
    assert.match((await chart.getByTestId('performance-reference').getAttribute('d')) ?? '', /^M[\d.,L]+$/);
    assert.match((await chart.getByTestId('performance-estimated').getAttribute('d')) ?? '', /^M/, "CBPE's estimates dashed beside the realized values");
    assert.equal(await chart.getByTestId('performance-ci-bar').count(), chunks);
    // Realized points sit below the lower threshold (larger y), divider between the reference and current chunks.
    const { lower, ys, xs, divider } = await chart.evaluate((el) => ({
      lower: Number(el.querySelector('[data-testid="band-lower"]')!.getAttribute('y1')),
      ys: [...el.querySelectorAll('[data-testid="performance-point"]')].map((c) => Number(c.getAttribute('cy'))),
      xs: [...el.querySelectorAll('[data-testid="performance-point"]')].map((c) => Number(c.getAttribute('cx'))),
      divider: Number(el.querySelector('[data-testid="performance-divider"]')!.getAttribute('x1')),
    }));
    assert.ok(ys.every((y) => y > lower), `points ${ys} below the lower threshold at ${lower}`);
    assert.ok(xs.every((x) => x > divider), 'current chunks right of the divider');

    const rows = page.getByTestId('chunk-row');
    assert.equal(await rows.count(), chunks);
    assert.deepEqual(new Set(await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-alert')}/${e.getAttribute('data-basis')}`))), new Set(['true/realized']));
    await chart.screenshot({ path: path.join(SHOTS, 'reviews-5b-performance-chart.png') });
    await shot(page, '5-performance-report');

    await page.goto(`${server.url}/monitors/${PERF}`);
    const share = page.getByTestId('share-chart');
    await share.waitFor();
    assert.deepEqual(await share.getByTestId('chart-line').evaluateAll((els) => els.map((e) => e.getAttribute('data-series'))), ['alerting chunks']);
    assert.equal(await page.getByTestId('performance-history').getAttribute('data-metric'), 'accuracy');
    assert.match((await page.getByTestId('checks-table').locator('thead').textContent()) ?? '', /Alerting \/ chunks/);
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});
