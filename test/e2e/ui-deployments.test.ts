/**
 * The deployment pages end to end: the built `pitwall server` serving the Titanic ONNX pipeline and the stories260K
 * GGUF LLM (registered with the CLI, deployed through the SDK), driven in Debian's Chromium through playwright-core:
 * status and counters, then the monitoring (stats per version, the prediction log and its feedback buttons).
 * Screenshots land in `.tmp/ui-e2e/deployments-*.png` (git-ignored) for a human look.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PitwallClient } from '../../src/sdk/client.js';
import type { V2InferRequest } from '../../src/sdk/deployments-client.js';
import { STORIES_FILE } from '../../src/serving/llm/testing/stories.js';
import { TITANIC_FILE, titanicV2 } from '../../src/serving/testing/titanic.js';
import { type Browser, SHOTS, browserSkip, launchBrowser } from './browser.js';
import { REPO, pitwall, startPitwall, type PitwallProcess } from './pitwall-process.js';

const MODEL = 'titanic';
const SPLIT = 'titanic-ab';
const LLM = 'stories';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `deployments-${name}.png`), fullPage: true });
}

/** The number a counter on the page shows (`1,234` → 1234). */
async function counter(page: Page, testId: string): Promise<number> {
  return Number(((await page.getByTestId(testId).first().textContent()) ?? '').replace(/,/g, ''));
}

describe('web UI: deployments', { skip: browserSkip }, () => {
  let server: PitwallProcess;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let client: PitwallClient;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(path.join(REPO, 'dist', 'ui', 'index.html')), 'dist/ui is built (npm run build)');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-ui-dep-data-'));
    server = await startPitwall(dataDir);
    client = new PitwallClient({ baseUrl: server.url });
    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('with no deployments, the page tells a new user how to create one', async () => {
    await page.goto(server.url + '/');
    await page.getByTestId('nav-deployments').click();
    await page.waitForURL('**/deployments');
    const empty = page.getByTestId('deployments-empty');
    await empty.waitFor();
    assert.match((await empty.textContent()) ?? '', /pitwall deploy NAME models:\/MODEL@ALIAS/);
    assert.equal(await page.getByTestId('nav-deployments').getAttribute('aria-current'), 'page');
    await shot(page, '0-empty');
  });

  test('the list shows each deployment ready, with its targets, served versions and shares', async () => {
    for (const args of [
      ['models', 'register', TITANIC_FILE, '--name', MODEL],
      ['models', 'register', TITANIC_FILE, '--name', MODEL],
    ]) {
      const r = await pitwall(args, { PITWALL_TRACKING_URI: server.url });
      assert.equal(r.code, 0, r.stderr);
    }
    await client.registry.setAlias(MODEL, 'champion', '1');
    await client.registry.setAlias(MODEL, 'challenger', '2');
    const one = await client.deployments.create({ name: MODEL, model: `models:/${MODEL}@champion`, description: 'Survival classifier, champion only.' });
    const ab = await client.deployments.create({
      name: SPLIT,
      targets: [
        { model: MODEL, alias: 'champion', weight: 3 },
        { model: MODEL, alias: 'challenger', weight: 1 },
      ],
      config: { maxBatchSize: 16, maxQueue: 64 },
    });
    await client.deployments.waitReady(MODEL, { revision: one.revision, timeoutMs: 60_000 });
    await client.deployments.waitReady(SPLIT, { revision: ab.revision, timeoutMs: 60_000 });

    await page.reload();
    const row = page.locator(`[data-testid="deployment-row"][data-name="${MODEL}"]`);
    await row.waitFor();
    assert.equal(await page.getByTestId('deployment-row').count(), 2);
    assert.equal(await row.getByTestId('deployment-state').textContent(), 'ready');
    assert.equal(await row.getByTestId('deployment-state').getAttribute('class'), 'status status-ready');
    assert.equal(await row.getByTestId('deployment-targets').textContent(), 'titanic@champion → v1');
    assert.equal(await row.getByTestId('deployment-served').getAttribute('href'), `/models/${MODEL}/versions/1`);
    const abRow = page.locator(`[data-testid="deployment-row"][data-name="${SPLIT}"]`);
    assert.deepEqual(await abRow.getByTestId('deployment-target').allTextContents(), ['titanic@champion → v1 · 75%', 'titanic@challenger → v2 · 25%']);
    assert.match((await page.getByTestId('deployments-count').textContent()) ?? '', /^2 deployments/);
    await shot(page, '1-list');
  });

  test('the deployment page shows config, served version, split bar and endpoints, after a spinner', async () => {
    // Hold the first status answer back, so the spinner is there to be seen.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/v1/deployments/*/status', async (route) => {
      await held;
      await route.continue();
    });
    await page.locator(`[data-testid="deployment-row"][data-name="${MODEL}"]`).getByTestId('deployment-link').click();
    await page.waitForURL(`**/deployments/${MODEL}`);
    const spinner = page.getByTestId('spinner');
    await spinner.waitFor();
    assert.equal(await spinner.textContent(), 'Loading deployment…');
    release();
    await page.getByTestId('deployment-name').waitFor();
    await page.unroute('**/api/v1/deployments/*/status');

    assert.equal(await page.getByTestId('deployment-state').textContent(), 'ready');
    assert.ok(((await page.getByTestId('deployment-info').textContent()) ?? '').includes('Survival classifier, champion only.'));
    const config = (await page.getByTestId('deployment-config').textContent()) ?? '';
    for (const want of ['Max batch size32', 'Max queue delay5 ms', 'Queue capacity256', 'Timeout10 s', 'Threads (intra / inter-op)1 / 1']) assert.ok(config.includes(want), `${want} in ${config}`);

    const panel = page.getByTestId('target-panel');
    assert.equal(await panel.count(), 1);
    assert.equal(await panel.getAttribute('data-target'), 'titanic@champion');
    assert.equal(await panel.getByTestId('target-state').textContent(), 'ready');
    assert.equal(await panel.getByTestId('served-version').textContent(), 'version 1');
    assert.equal(await panel.getByTestId('served-version').getAttribute('href'), `/models/${MODEL}/versions/1`);
    assert.equal(await panel.getByTestId('target-batching').textContent(), 'dynamic');
    assert.equal(await panel.getByTestId('queue-text').textContent(), '0 / 256 queued');
    assert.equal(await panel.getByTestId('target-error').count(), 0, 'no error shown while there is none');

    const split = page.getByTestId('traffic-split');
    const segments = split.getByTestId('split-segment');
    assert.equal(await segments.count(), 1, 'one target still gets its bar');
    assert.equal(await segments.first().getAttribute('data-share'), '100%');
    assert.ok(((await split.textContent()) ?? '').includes('100%'));

    assert.deepEqual(await page.getByTestId('endpoint-url').allTextContents(), [
      `${server.url}/v2/models/${MODEL}/infer`,
      `${server.url}/deployments/${MODEL}/invocations`,
    ]);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const copy = page.getByTestId('endpoint').first().getByTestId('copy-button');
    await copy.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="copy-button"]')?.textContent === 'Copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${server.url}/v2/models/${MODEL}/infer`);
    await shot(page, '2-deployment');
  });

  test('requests sent to the deployment show up on the page by themselves', async () => {
    const before = await counter(page, 'counter-requests');
    const batchesBefore = await counter(page, 'counter-batches');
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
    const requests = 6;
    for (let i = 0; i < requests; i++) {
      const res = await client.deployments.infer(MODEL, titanicV2() as V2InferRequest);
      assert.equal(res.model_version, '1');
    }
    await page.waitForFunction(
      ([want]) => Number(document.querySelector('[data-testid="counter-requests"]')?.textContent?.replace(/,/g, '')) >= want!,
      [before + requests],
      { timeout: 10_000 },
    );
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: string }).marker), 'same page', 'refreshed in place, not reloaded');
    assert.equal(await counter(page, 'counter-requests'), before + requests);
    const batches = await counter(page, 'counter-batches');
    assert.ok(batches > batchesBefore && batches <= batchesBefore + requests, `batches ${batchesBefore} → ${batches}`);
    assert.match((await page.getByTestId('counter-mean-batch').textContent()) ?? '', /^\d+(\.\d+)?$/);
    assert.equal(await counter(page, 'counter-rejected'), 0);
    await shot(page, '3-after-requests');
  });

  test('the monitoring section charts and totals the requests per version, lists the latest predictions, and stores a 👎', async () => {
    const monitoring = page.getByTestId('monitoring');
    const before = (await client.monitoring.stats(MODEL)).versions.reduce((a, v) => a + v.totals.requests, 0);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      await client.deployments.infer(MODEL, titanicV2() as V2InferRequest, { entityKey: `passenger-${i}`, onPredictionId: (id) => ids.push(id) });
    }
    assert.equal(ids.length, 4);
    // One request the model refuses (its inputs are missing): a 400, logged like the others.
    const bad = await fetch(`${server.url}/v2/models/${MODEL}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [] }) });
    assert.equal(bad.status, 400);
    const badId = bad.headers.get('x-pitwall-prediction-id');
    assert.ok(badId);
    const total = before + 5;
    assert.ok(total <= 20, 'every request fits on the first page of the log');

    // The totals table and the charts catch up by themselves (stats are re-read every 5 s).
    const v1 = monitoring.locator('[data-testid="totals-row"][data-version="titanic v1"]');
    await page.waitForFunction(
      ([want]) => Number(document.querySelector('[data-testid="totals-row"][data-version="titanic v1"] [data-testid="totals-requests"]')?.textContent?.replace(/,/g, '')) === want,
      [total],
      { timeout: 15_000 },
    );
    assert.equal(await monitoring.getByTestId('totals-row').count(), 1, 'one version has served this deployment');
    assert.equal(await v1.getByTestId('totals-errors').textContent(), '1 / 0', 'the 400 is a client error');
    assert.equal(await v1.getByTestId('totals-error-rate').textContent(), '0%', 'the error rate counts 5xx');
    assert.match((await v1.getByTestId('totals-p95').textContent()) ?? '', /^[\d.]+ (ms|s)$/);
    assert.equal(await v1.getByTestId('totals-feedback').textContent(), '0');
    const requests = monitoring.locator('[data-testid="stats-chart"][data-metric="requests"]');
    assert.ok(Number(await requests.getAttribute('data-peak')) > 0, 'the request rate rose above 0');
    assert.deepEqual(await requests.getByTestId('chart-line').evaluateAll((els) => els.map((e) => e.getAttribute('data-series'))), ['titanic v1']);
    assert.ok((await requests.locator('[data-testid="chart-line"] path, [data-testid="chart-line"] circle').count()) > 0, 'the line is drawn');
    const latency = monitoring.locator('[data-testid="stats-chart"][data-metric="latency"]');
    assert.deepEqual(await latency.getByTestId('chart-line').evaluateAll((els) => els.map((e) => e.getAttribute('data-series'))), ['titanic v1 p95', 'titanic v1 p50']);
    assert.match((await monitoring.locator('[data-testid="stats-chart"][data-metric="tokens"]').textContent()) ?? '', /No tokens generated/);

    // A longer range asks the server for longer steps, and still counts every request.
    const sixHours = page.waitForRequest((r) => r.url().includes(`/api/v1/deployments/${MODEL}/stats`) && r.url().includes('step=5m'));
    await page.getByTestId('range-6h').click();
    await sixHours;
    await page.waitForFunction(() => document.querySelector('[data-testid="monitoring"]')?.getAttribute('data-range') === '6h');
    assert.equal(await page.getByTestId('range-6h').getAttribute('aria-pressed'), 'true');
    assert.equal(Number(await v1.getByTestId('totals-requests').textContent()), total);
    await page.getByTestId('range-1h').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="monitoring"]')?.getAttribute('data-range') === '1h');

    // The log: every request, newest first, the 400 on top.
    const log = page.getByTestId('prediction-log');
    const rows = log.getByTestId('prediction-row');
    await page.waitForFunction(([want]) => document.querySelectorAll('[data-testid="prediction-row"]').length === want, [total], { timeout: 15_000 });
    const shownIds = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    assert.equal(shownIds[0], badId, 'newest first');
    for (const id of ids) assert.ok(shownIds.includes(id), `${id} listed`);
    const badRow = log.locator(`[data-testid="prediction-row"][data-id="${badId}"]`);
    assert.equal(await badRow.getByTestId('prediction-status').textContent(), '400');
    assert.equal(await badRow.getByTestId('prediction-status').getAttribute('class'), 'status status-4xx');
    const row = log.locator(`[data-testid="prediction-row"][data-id="${ids[0]}"]`);
    assert.equal(await row.getByTestId('prediction-status').getAttribute('class'), 'status status-2xx');
    assert.equal(await row.getByTestId('prediction-version').textContent(), 'titanic v1');
    assert.equal(await row.getByTestId('prediction-entity').textContent(), 'passenger-0');
    const preview = (await row.getByTestId('prediction-inputs').textContent()) ?? '';
    assert.ok(preview.startsWith('{"inputs":[{"name":"pclass"') && preview.endsWith('…') && Array.from(preview).length === 120, preview);
    assert.match((await row.getByTestId('prediction-outputs').textContent()) ?? '', /"name":"label"/);

    // A click on the row shows the full inputs and outputs, pretty-printed.
    await row.locator('td').nth(1).click();
    const detail = log.getByTestId('prediction-detail');
    await detail.waitFor();
    const inputs = (await detail.getByTestId('detail-inputs').textContent()) ?? '';
    assert.ok(inputs.includes('"name": "embarked"') && inputs.includes('\n'), inputs);
    assert.match((await detail.getByTestId('detail-outputs').textContent()) ?? '', /"name": "probabilities"/);
    assert.ok(((await detail.getByTestId('detail-id').textContent()) ?? '').startsWith(ids[0]!));

    // 👎 on a row: stored on the server, and shown on the row and in the totals once refreshed.
    assert.equal(await row.getByTestId('thumbs-down').getAttribute('data-count'), '0');
    await row.getByTestId('thumbs-down').click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="prediction-row"][data-id="${id}"] [data-testid="thumbs-down"]`)?.getAttribute('data-count') === '1', ids[0]);
    assert.equal(await row.getByTestId('thumbs-up').getAttribute('data-count'), '0');
    const stored = (await (await fetch(`${server.url}/api/v1/predictions/${ids[0]}`)).json()) as { prediction: { feedback: { thumbs: string }[] } };
    assert.deepEqual(
      stored.prediction.feedback.map((f) => f.thumbs),
      ['down'],
    );
    await page.waitForFunction(() => document.querySelector('[data-testid="totals-row"] [data-testid="totals-feedback"]')?.textContent === '1');
    assert.equal(await v1.getByTestId('totals-thumbs-down').textContent(), '100%');
    assert.match((await detail.getByTestId('detail-feedback').textContent()) ?? '', /thumbs down/);
    assert.equal(await page.getByTestId('feedback-error').count(), 0);
    await shot(page, '3b-monitoring');

    // Only errors: the 400 alone.
    await log.getByTestId('prediction-filter-errors').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="prediction-row"]').length === 1);
    assert.equal(await rows.first().getAttribute('data-id'), badId);
    await log.getByTestId('prediction-filter-all').click();
    await page.waitForFunction(([want]) => document.querySelectorAll('[data-testid="prediction-row"]').length === want, [total]);
    await monitoring.screenshot({ path: path.join(SHOTS, 'deployments-3c-charts.png') });
  });

  test('a split deployment draws its shares to scale, and a target error shows up while the old version serves', async () => {
    await page.getByTestId('nav-deployments').click();
    await page.locator(`[data-testid="deployment-row"][data-name="${SPLIT}"]`).getByTestId('deployment-link').click();
    await page.waitForURL(`**/deployments/${SPLIT}`);
    const segments = page.getByTestId('traffic-split').getByTestId('split-segment');
    await segments.first().waitFor();
    assert.deepEqual(await segments.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-target')} ${e.getAttribute('data-share')}`)), [
      'titanic@champion 75%',
      'titanic@challenger 25%',
    ]);
    const widths = await segments.evaluateAll((els) => els.map((e) => (e.querySelector('rect') as SVGGraphicsElement).getBoundingClientRect().width));
    assert.ok(Math.abs(widths[0]! / widths[1]! - 3) < 0.05, `widths ${widths.join(', ')}`);
    assert.equal(await page.getByTestId('target-panel').count(), 2);
    assert.equal(await page.getByTestId('target-panel').nth(1).getByTestId('queue-text').textContent(), '0 / 64 queued');
    await page.getByTestId('traffic-split').screenshot({ path: path.join(SHOTS, 'deployments-4b-split.png') });

    // The challenger alias goes away: version 2 keeps serving and the page says why it cannot follow.
    await client.registry.deleteAlias(MODEL, 'challenger');
    const challenger = page.locator('[data-testid="target-panel"][data-target="titanic@challenger"]');
    const error = challenger.getByTestId('target-error');
    await error.waitFor({ timeout: 15_000 });
    const text = (await error.textContent()) ?? '';
    assert.match(text, /challenger/, text);
    assert.match(text, /Version 2 keeps serving/, text);
    assert.equal(await challenger.getByTestId('served-version').textContent(), 'version 2');
    await shot(page, '4-split-with-error');

    // The list says so too, beside a state that stays ready.
    await page.getByTestId('nav-deployments').click();
    const abRow = page.locator(`[data-testid="deployment-row"][data-name="${SPLIT}"]`);
    await abRow.getByTestId('deployment-errors').waitFor();
    assert.equal(await abRow.getByTestId('deployment-state').textContent(), 'ready');
    assert.equal((await abRow.getByTestId('deployment-errors').textContent())?.trim(), '1 error');
    assert.match((await abRow.getByTestId('deployment-errors').getAttribute('title')) ?? '', /challenger/);
    await shot(page, '5-list-with-error');
  });

  test('an LLM deployment shows its slots, OpenAI endpoints and LLM config, and its token counters rise as completions come in', async () => {
    const r = await pitwall(['models', 'register', STORIES_FILE, '--name', LLM], { PITWALL_TRACKING_URI: server.url });
    assert.equal(r.code, 0, r.stderr);
    const d = await client.deployments.create({ name: LLM, model: `models:/${LLM}/1`, config: { parallel: 2, contextSize: 256 } });
    await client.deployments.waitReady(LLM, { revision: d.revision, timeoutMs: 120_000 });

    await page.getByTestId('nav-deployments').click();
    await page.locator(`[data-testid="deployment-row"][data-name="${LLM}"]`).getByTestId('deployment-link').click();
    await page.waitForURL(`**/deployments/${LLM}`);
    const panel = page.getByTestId('target-panel');
    await panel.getByTestId('slots').waitFor();
    assert.equal(await panel.getAttribute('data-batching'), 'continuous');
    assert.equal(await panel.getByTestId('target-batching').textContent(), 'continuous (2 sequences at once)');
    assert.equal(await panel.getByTestId('slots').getAttribute('data-slots'), '2');
    assert.equal(await panel.getByTestId('slots-text').textContent(), '0 / 2 slots in use');
    assert.equal(await panel.getByTestId('queue-text').textContent(), '0 / 256 queued');
    assert.equal(await panel.getByTestId('llm-architecture').textContent(), 'llama');
    assert.match((await panel.getByTestId('llm-context').textContent()) ?? '', /^256 tokens/);
    assert.ok(((await panel.getByTestId('llm-chat-template').textContent()) ?? '').length > 0);
    assert.match((await panel.getByTestId('llm-threads').textContent()) ?? '', /^\d+$/);
    assert.equal(await panel.getByTestId('latency-ttft-p50').textContent(), '—', 'no latency before the first request');
    assert.equal(await page.getByTestId('predictions-empty').textContent(), 'No predictions logged yet — send a request to /v1/chat/completions with "model": "stories".');
    assert.equal(await page.getByTestId('stats-empty').textContent(), 'No requests in the last 1 h — send a request to /v1/chat/completions with "model": "stories".');

    const config = page.getByTestId('deployment-config');
    assert.equal(await config.getAttribute('data-kind'), 'llm');
    assert.equal(await config.getByTestId('config-parallel').textContent(), '2');
    assert.equal(await config.getByTestId('config-context-size').textContent(), '256 tokens');
    assert.equal(await config.getByTestId('config-threads').textContent(), 'half the cores');
    assert.equal(await config.getByTestId('config-kv-cache').textContent(), '1,024 MiB');
    assert.equal(await config.getByTestId('config-timeout').textContent(), '300 s', 'LLM deployments get minutes');
    assert.deepEqual(await page.getByTestId('endpoint-url').allTextContents(), [`${server.url}/v1/chat/completions`, `${server.url}/v1/completions`, `${server.url}/v1/models`]);
    assert.match((await page.getByTestId('openai-hint').textContent()) ?? '', /"model": "stories".*base_url="http:\/\/[^"]+\/v1"/);
    await shot(page, '6-llm');

    const generatedBefore = await counter(page, 'counter-generation-tokens');
    const requestsBefore = await counter(page, 'counter-requests');
    const completions = await Promise.all(
      [0, 1].map(async () => {
        const res = await fetch(`${server.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: LLM, prompt: 'Once upon a time', max_tokens: 16 }) });
        const body = (await res.json()) as { choices: { text: string }[]; usage: { completion_tokens: number; prompt_tokens: number } };
        assert.equal(res.status, 200, JSON.stringify(body));
        assert.ok(body.choices[0]!.text.length > 0);
        return body.usage;
      }),
    );
    const generated = completions.reduce((a, u) => a + u.completion_tokens, 0);
    assert.ok(generated > 0);
    await page.waitForFunction(
      ([want]) => Number(document.querySelector('[data-testid="counter-generation-tokens"]')?.textContent?.replace(/,/g, '')) >= want!,
      [generatedBefore + generated],
      { timeout: 10_000 },
    );
    assert.equal(await counter(page, 'counter-generation-tokens'), generatedBefore + generated);
    assert.equal(await counter(page, 'counter-requests'), requestsBefore + 2);
    assert.ok((await counter(page, 'counter-prompt-tokens')) >= completions.reduce((a, u) => a + u.prompt_tokens, 0));
    assert.equal(await counter(page, 'counter-rejected'), 0);
    assert.match((await panel.getByTestId('counter-finished').textContent()) ?? '', /^\d+ stop · \d+ length · 0 abort · 0 error$/);
    assert.match((await panel.getByTestId('latency-ttft-p50').textContent()) ?? '', /^[\d.]+ (ms|s)$/);
    assert.match((await panel.getByTestId('latency-tpot-p50').textContent()) ?? '', /^[\d.]+ (ms|s)$/);
    assert.equal(await panel.getByTestId('slots-text').textContent(), '0 / 2 slots in use', 'every slot free again');
    // The monitoring charts the generated tokens, and the log lists both completions.
    const tokens = page.locator('[data-testid="stats-chart"][data-metric="tokens"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="stats-chart"][data-metric="tokens"]')?.getAttribute('data-peak')) > 0, undefined, { timeout: 15_000 });
    assert.equal(await tokens.getByTestId('ts-chart-empty').count(), 0);
    assert.match((await page.getByTestId('totals-tokens').textContent()) ?? '', new RegExp(`→ ${generated}$`));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="prediction-row"]').length === 2);
    await shot(page, '7-llm-after-completions');
  });

  test('leaving the page stops its refreshes', async () => {
    const seen: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/deployments/') || r.url().includes('/api/v1/predictions')) seen.push(r.url());
    });
    await page.getByTestId('nav-models').click();
    await page.waitForURL('**/models');
    await page.getByTestId('model-row').first().waitFor();
    seen.length = 0;
    await new Promise((r) => setTimeout(r, 5500));
    assert.deepEqual(seen, [], 'no deployment, stats or prediction request once the page is closed');
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});
