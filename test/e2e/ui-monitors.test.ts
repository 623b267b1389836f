/**
 * The drift monitor pages end to end: the built `pitwall server` serving the Titanic ONNX pipeline (registered with
 * the CLI, deployed through the SDK) and fed passengers unlike its reference, a monitor created through the API with
 * the sample as its reference, then in Debian's Chromium through playwright-core: the list, the monitor page, "Check
 * now", the drifted check and its report with the per-column table and distributions. Screenshots land in
 * `.tmp/ui-e2e/monitors-*.png` (git-ignored) for a human look.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { csvRecords } from '../../src/core/csv-records.js';
import { PitwallClient } from '../../src/sdk/client.js';
import type { V2InferRequest } from '../../src/sdk/deployments-client.js';
import { type Passenger, TITANIC_FILE, titanicV2 } from '../../src/serving/testing/titanic.js';
import { type Browser, SHOTS, browserSkip, launchBrowser } from './browser.js';
import { REPO, freePort, pitwall, startPitwall, type PitwallProcess } from './pitwall-process.js';

const MODEL = 'titanic';
const MONITOR = 'titanic-features';
const TITANIC_CSV = path.resolve(REPO, '../shared/data/titanic-sample/small_titanic.csv');

/** The sample's passengers with every field the model needs. */
function passengers(): Passenger[] {
  const [header, ...rows] = csvRecords(readFileSync(TITANIC_CSV, 'utf8')).map((r) => r.fields);
  const at = (name: string) => header!.indexOf(name);
  return rows
    .filter((r) => r[at('age')] !== '' && r[at('embarked')] !== '' && r[at('fare')] !== '')
    .map((r) => [Number(r[at('pclass')]), r[at('sex')]!, Number(r[at('age')]), Number(r[at('fare')]), r[at('embarked')]!]);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `monitors-${name}.png`), fullPage: true });
}

describe('web UI: drift monitors', { skip: browserSkip }, () => {
  let server: PitwallProcess;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let client: PitwallClient;
  let hookUrl = '';
  const pageErrors: string[] = [];

  const v1 = async (method: string, route: string, body?: unknown, type = 'application/json') => {
    const res = await fetch(`${server.url}/api/v1${route}`, { method, ...(body !== undefined ? { headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${route}: ${res.status} ${text}`);
    return JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  before(async () => {
    assert.ok(existsSync(path.join(REPO, 'dist', 'ui', 'index.html')), 'dist/ui is built (npm run build)');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-ui-mon-data-'));
    server = await startPitwall(dataDir);
    client = new PitwallClient({ baseUrl: server.url });
    // A Slack webhook nothing listens on: the alert fails (kept on the check), and its path must never be shown.
    hookUrl = `http://127.0.0.1:${await freePort()}/services/T000/B000/SECRETPATH`;
    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('with no monitors, the list tells a new user how to create one', async () => {
    await page.goto(server.url + '/');
    await page.getByTestId('nav-monitors').click();
    await page.waitForURL('**/monitors');
    const empty = page.getByTestId('monitors-empty');
    await empty.waitFor();
    const text = (await empty.textContent()) ?? '';
    assert.match(text, /No drift monitors yet/);
    assert.match(text, /POST .*\/api\/v1\/monitors/);
    assert.match(text, /PUT .*\/reference/);
    assert.equal(await page.getByTestId('nav-monitors').getAttribute('aria-current'), 'page');
    await shot(page, '0-empty');
  });

  test('a monitor of a deployment with shifted traffic shows in the list, unknown until checked', async () => {
    const r = await pitwall(['models', 'register', TITANIC_FILE, '--name', MODEL], { PITWALL_TRACKING_URI: server.url });
    assert.equal(r.code, 0, r.stderr);
    const d = await client.deployments.create({ name: MODEL, model: `models:/${MODEL}/1` });
    await client.deployments.waitReady(MODEL, { revision: d.revision, timeoutMs: 60_000 });
    // Traffic unlike the reference (first-class passengers of both sexes): older, richer, all men; one request each.
    const people = passengers();
    assert.ok(people.length >= 30, `${people.length} passengers`);
    for (const [, , age, fare, emb] of people) {
      await client.deployments.infer(MODEL, titanicV2([[1, 'male', age + 35, fare * 6 + 300, emb]]) as V2InferRequest);
    }
    await v1('POST', '/monitors', {
      name: MONITOR,
      deployment: MODEL,
      description: 'Passenger features against the training sample.',
      schedule: '0 3 * * *',
      timezone: 'Europe/Paris',
      window_minutes: 30,
      options: { columns: ['pclass', 'sex', 'age', 'fare', 'embarked'] },
      webhooks: [{ url: hookUrl, format: 'slack' }],
    });
    const uploaded = await v1('PUT', `/monitors/${MONITOR}/reference`, readFileSync(TITANIC_CSV, 'utf8'), 'text/csv');
    assert.equal(uploaded.monitor.reference.rows, 38);

    await page.reload();
    const row = page.locator(`[data-testid="monitor-row"][data-name="${MONITOR}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId('monitor-deployment').textContent(), MODEL);
    assert.equal(await row.getByTestId('monitor-state').textContent(), 'unknown');
    assert.equal(await row.getByTestId('monitor-schedule').textContent(), '0 3 * * * (Europe/Paris)');
    assert.equal(await row.getByTestId('monitor-last').textContent(), 'no checks yet');
    assert.equal(await row.getByTestId('monitor-reference').textContent(), 'upload (38 rows)');
    assert.match((await page.getByTestId('monitors-count').textContent()) ?? '', /^1 monitor · refreshed every 10 s/);
    await shot(page, '1-list');
  });

  test('the monitor page shows its settings, webhooks by origin only, and what to do before the first check', async () => {
    await page.locator(`[data-testid="monitor-row"][data-name="${MONITOR}"]`).getByTestId('monitor-link').click();
    await page.waitForURL(`**/monitors/${MONITOR}`);
    await page.getByTestId('monitor-name').waitFor();
    assert.equal(await page.getByTestId('monitor-state').textContent(), 'unknown');
    const settings = page.getByTestId('monitor-settings');
    assert.equal(await settings.getByTestId('monitor-deployment').textContent(), MODEL);
    assert.equal(await settings.locator('[data-testid="monitor-deployment"] a').getAttribute('href'), `/deployments/${MODEL}`);
    assert.equal(await settings.getByTestId('monitor-schedule').textContent(), '0 3 * * * (Europe/Paris)');
    assert.equal(await settings.getByTestId('monitor-window').textContent(), 'last 30 min, at most 100,000 rows');
    assert.match((await settings.getByTestId('monitor-reference').textContent()) ?? '', /^uploaded CSV, 38 rows, /);
    const hook = (await settings.getByTestId('monitor-webhook').textContent()) ?? '';
    assert.equal(hook, `${new URL(hookUrl).origin}/… slack`);
    assert.deepEqual(JSON.parse((await page.getByTestId('monitor-options').textContent()) ?? ''), { columns: ['pclass', 'sex', 'age', 'fare', 'embarked'] });
    assert.match((await page.getByTestId('checks-empty').textContent()) ?? '', /^No checks yet — press Check now, or wait for the schedule \(0 3 \* \* \*, Europe\/Paris\)/);
    assert.ok(!((await page.content()).includes('SECRETPATH')), "the webhook's path is nowhere on the page");
    await shot(page, '2-monitor-empty');
  });

  test('"Check now" spins until the check appears: drifted, with its alert, marked on the share chart', async () => {
    // Hold the answer to the POST back, so that the spinner is there to be seen.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(`**/api/v1/monitors/${MONITOR}/run`, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByTestId('check-now').click();
    const spinner = page.getByTestId('spinner');
    await spinner.waitFor();
    assert.equal(await spinner.textContent(), 'Checking…');
    assert.equal(await page.getByTestId('check-now').isDisabled(), true);
    release();

    const row = page.locator('[data-testid="check-row"]').first();
    await row.waitFor({ timeout: 30_000 });
    await page.unroute(`**/api/v1/monitors/${MONITOR}/run`);
    assert.equal(await row.getAttribute('data-status'), 'drifted');
    assert.equal(await row.getByTestId('check-status').textContent(), 'drifted');
    const [drifted, tested] = ((await row.getByTestId('check-drifted').textContent()) ?? '').split(' / ').map(Number);
    assert.equal(tested, 5);
    assert.ok(drifted! >= 3, `${drifted} drifted`);
    assert.match((await row.getByTestId('check-alert').textContent()) ?? '', /^drift webhook failed$/);
    await page.getByTestId('spinner').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('check-now').isDisabled(), false);
    await page.waitForFunction(() => document.querySelector('[data-testid="monitor-state"]')?.textContent === 'drifted');

    const share = page.getByTestId('share-chart');
    assert.equal(await share.getAttribute('data-points'), '1', 'one point per check');
    assert.equal(await share.getByTestId('chart-mark').count(), 1, 'the drifted check is marked');
    assert.deepEqual(await share.getByTestId('chart-line').evaluateAll((els) => els.map((e) => e.getAttribute('data-series'))), ['drifted columns']);
    assert.equal(await share.getByTestId('chart-rule').getAttribute('data-value'), '0.5', "the dataset drift share, dashed");
    assert.match((await share.getByTestId('ts-legend').textContent()) ?? '', /dataset drift from50%/);
    const ageChart = page.locator('[data-testid="column-chart"][data-metric="age"]');
    await ageChart.waitFor();
    assert.equal(await ageChart.getByTestId('chart-mark').count(), 1);
    assert.ok((await page.getByTestId('column-chart').count()) >= 3, 'a score chart per tested column');
    assert.ok(!((await page.content()).includes('SECRETPATH')), 'the alert error names the hook by origin only');
    await shot(page, '3-checked');

    // Another check: still drifted, not announced again; the share chart now draws a line through both.
    await page.getByTestId('check-now').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="check-row"]').length === 2, undefined, { timeout: 30_000 });
    const newest = page.locator('[data-testid="check-row"]').first();
    assert.equal(await newest.getAttribute('data-status'), 'drifted');
    assert.equal(await newest.getByTestId('check-alert').textContent(), '—');
    await page.waitForFunction(() => document.querySelector('[data-testid="share-chart"]')?.getAttribute('data-points') === '2');
    assert.equal(await share.getByTestId('chart-mark').count(), 2);
    assert.equal(await share.locator('[data-testid="chart-line"] path').count(), 1);
    await page.getByTestId('spinner').waitFor({ state: 'detached' });
    await page.getByTestId('monitor-drift').screenshot({ path: path.join(SHOTS, 'monitors-3b-charts.png') });
  });

  test("the check's report: the verdict, the per-column table with age drifted, and age's distributions drawn", async () => {
    await page.locator('[data-testid="check-row"]').first().getByTestId('check-link').click();
    await page.waitForURL(`**/monitors/${MONITOR}/runs/*`);
    const headline = page.getByTestId('report-headline');
    await headline.waitFor();
    assert.equal(await headline.textContent(), 'Dataset drift detected');
    assert.match((await page.getByTestId('report-summary').textContent()) ?? '', /\d of 5 columns drifted \(\d+% ≥ 50%\) · reference 38 rows · current \d+ rows · window /);
    assert.equal(await page.getByTestId('run-status').textContent(), 'drifted');

    const rows = page.getByTestId('column-row');
    assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-column'))), ['pclass', 'sex', 'age', 'fare', 'embarked']);
    const age = page.locator('[data-testid="column-row"][data-column="age"]');
    assert.equal(await age.getAttribute('data-drifted'), 'true');
    assert.equal(await age.getByTestId('column-verdict').textContent(), 'drifted');
    assert.equal(await age.getByTestId('column-threshold').textContent(), '< 0.05');
    assert.ok(Number(await age.getByTestId('column-score').textContent()) < 0.05);

    const chart = page.locator('[data-testid="distribution-chart"][data-column="age"]');
    await chart.locator('svg').waitFor();
    assert.equal(await chart.getAttribute('data-type'), 'histogram');
    const bins = Number(await chart.getAttribute('data-bins'));
    assert.ok(bins > 1, `${bins} bins`);
    assert.equal(await chart.locator('rect[data-side="reference"]').count(), bins);
    assert.equal(await chart.locator('rect[data-side="current"]').count(), bins);
    assert.equal(await chart.getByTestId('distribution-step').count(), 1);
    assert.match((await chart.textContent()) ?? '', /reference.*current/);
    const sex = page.locator('[data-testid="distribution-chart"][data-column="sex"]');
    assert.equal(await sex.getAttribute('data-type'), 'bars');
    await page.locator('[data-testid="column-card"][data-column="age"]').screenshot({ path: path.join(SHOTS, 'monitors-4b-age.png') });
    await shot(page, '4-report');
  });

  test('the deployment page lists its monitors, linking to each; leaving the pages stops their refreshes', async () => {
    await page.goto(`${server.url}/deployments/${MODEL}`);
    const section = page.getByTestId('deployment-monitors');
    const row = section.locator(`[data-testid="monitor-row"][data-name="${MONITOR}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId('monitor-state').textContent(), 'drifted');
    assert.equal(await row.getByTestId('monitor-last-status').textContent(), 'drifted');
    assert.equal(await section.getByTestId('monitor-deployment').count(), 0, 'no deployment column on its own page');
    assert.match((await row.getByTestId('monitor-drifted').textContent()) ?? '', /^\d \/ 5$/);
    await section.screenshot({ path: path.join(SHOTS, 'monitors-5-deployment.png') });
    await row.getByTestId('monitor-link').click();
    await page.waitForURL(`**/monitors/${MONITOR}`);
    await page.getByTestId('check-row').first().waitFor();

    const seen: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/monitors')) seen.push(r.url());
    });
    await page.getByTestId('nav-models').click();
    await page.waitForURL('**/models');
    seen.length = 0;
    await new Promise((r) => setTimeout(r, 11_000));
    assert.deepEqual(seen, [], 'no monitor request once the page is closed');
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});
