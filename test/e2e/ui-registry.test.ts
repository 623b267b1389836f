/**
 * The registry pages and the run artifact browser end to end: the built `pitwall server`, seeded over the HTTP API
 * (a run with a dataset input and artifacts, a logged model, the Titanic ONNX pipeline registered from the run, an
 * alias and an approval), driven in Debian's Chromium through playwright-core. Screenshots land in
 * `.tmp/ui-e2e/registry-*.png` (git-ignored) for a human look.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { type Browser, SHOTS, browserSkip, launchBrowser } from './browser.js';
import { REPO, api, startPitwall, type PitwallProcess } from './pitwall-process.js';

const ONNX = path.join(REPO, '..', 'shared', 'models', 'sklearn-titanic', 'pipeline_titanic_nozipmap.onnx');
const GGUF = path.join(REPO, '..', 'shared', 'models', 'stories260K', 'stories260K.gguf');
const MODEL = 'titanic';
const CSV_ROWS = 250;
const NOTES = 'Trained on the 1912 manifest.\nDropped cabin: 77% missing.\n';

interface Seeded {
  experimentId: string;
  runId: string;
  runName: string;
  modelId: string;
}

async function ok<T>(res: Promise<{ status: number; json: T }>, what: string, status = 200): Promise<T> {
  const r = await res;
  assert.equal(r.status, status, `${what}: ${JSON.stringify(r.json)}`);
  return r.json;
}

/** Any JSON route by full path (the registry's /api/v1 and PATCH / PUT routes are not under api()'s prefix). */
async function call<T = unknown>(base: string, method: string, route: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(base + route, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as T };
}

async function upload(base: string, storePath: string, body: Uint8Array | string): Promise<void> {
  const res = await fetch(`${base}/api/2.0/mlflow-artifacts/artifacts/${storePath.split('/').map(encodeURIComponent).join('/')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
  assert.equal(res.status, 200, `upload ${storePath}: ${await res.text()}`);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A real RGB PNG (a gradient with a diagonal band), so the preview has something to decode and draw. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const band = Math.abs(x - y * (width / height)) < 6;
      raw[row + 1 + x * 3] = band ? 228 : Math.round((x / width) * 80);
      raw[row + 2 + x * 3] = band ? 87 : Math.round((y / height) * 120) + 60;
      raw[row + 3 + x * 3] = band ? 46 : 200;
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function trainCsv(): string {
  const lines = ['pclass,sex,age,fare,embarked,survived'];
  for (let i = 0; i < CSV_ROWS; i++) lines.push(`${(i % 3) + 1},${i % 2 ? 'female' : 'male'},${20 + (i % 50)},${(7.25 + i * 0.5).toFixed(2)},${'SCQ'[i % 3]},${i % 2}`);
  return lines.join('\n') + '\n';
}

/** The experiment, run, artifacts and logged model; the registry is seeded later, after the empty state is checked. */
async function seedTracking(base: string): Promise<Seeded> {
  const { experiment_id: experimentId } = await ok(api<{ experiment_id: string }>(base, 'POST', 'experiments/create', { name: 'ui-e2e-titanic' }), 'create experiment');
  const runName = 'titanic-train';
  const { run } = await ok(api<{ run: { info: { run_id: string; artifact_uri: string } } }>(base, 'POST', 'runs/create', { experiment_id: experimentId, run_name: runName, start_time: Date.now() - 60_000 }), 'create run');
  const runId = run.info.run_id;
  await ok(
    api(base, 'POST', 'runs/log-inputs', {
      run_id: runId,
      datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: { name: 'titanic-train', digest: 'd41d8cd9', source_type: 'local', source: '/data/titanic/train.csv' } }],
    }),
    'log inputs',
  );
  await ok(api(base, 'POST', 'runs/log-batch', { run_id: runId, params: [{ key: 'max_depth', value: '4' }], metrics: [{ key: 'accuracy', value: 0.81, step: 0, timestamp: Date.now() }] }), 'log batch');
  const root = `${experimentId}/${runId}/artifacts`;
  assert.equal(run.info.artifact_uri, `mlflow-artifacts:/${root}`, 'runs store artifacts behind the proxy');
  await upload(base, `${root}/data/train.csv`, trainCsv());
  await upload(base, `${root}/notes.txt`, NOTES);
  await upload(base, `${root}/plots/roc.png`, png(240, 160));
  await upload(base, `${root}/logs/train.log`, Array.from({ length: 6000 }, (_, i) => `step ${i} loss ${(1 / (i + 1)).toFixed(6)}`).join('\n'));
  await upload(base, `${root}/model/model.onnx`, readFileSync(ONNX));
  await ok(api(base, 'POST', 'runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() }), 'finish run');
  const { model } = await ok(
    api<{ model: { info: { model_id: string } } }>(base, 'POST', 'logged-models', { experiment_id: experimentId, name: 'titanic-pipeline', source_run_id: runId, model_type: 'onnx' }),
    'create logged model',
  );
  return { experimentId, runId, runName, modelId: model.info.model_id };
}

async function seedRegistry(base: string, s: Seeded): Promise<void> {
  await ok(api(base, 'POST', 'registered-models/create', { name: MODEL, description: 'Survival classifier (sklearn pipeline exported to ONNX).' }), 'create model');
  await ok(api(base, 'POST', 'registered-models/create', { name: 'mnist-cnn' }), 'create a second model');
  const created = await ok(
    api<{ model_version: { version: string } }>(base, 'POST', 'model-versions/create', { name: MODEL, source: `runs:/${s.runId}/model`, run_id: s.runId, model_id: s.modelId }),
    'register version',
  );
  assert.equal(created.model_version.version, '1');
  await ok(call(base, 'PATCH', `/api/v1/models/${MODEL}/versions/1/card`, {
    intended_use: 'Teaching: predicts survival of Titanic passengers from class, sex, age, fare and port.',
    evaluation_scores: [{ metric: 'accuracy', value: 0.81, dataset: 'titanic-test' }, { metric: 'roc_auc', value: 0.86, dataset: 'titanic-test' }],
    known_failure_modes: ['Children under 5 are scored as adults when age is missing'],
    limitations: 'Trained on 891 passengers; not for any real decision.',
  }), 'card');
  await ok(call(base, 'PUT', `/api/v1/models/${MODEL}/policy`, { protected_aliases: ['champion'] }), 'protect champion');
  await ok(call(base, 'POST', `/api/v1/models/${MODEL}/versions/1/approvals`, { approver: 'ada@example.com', comment: 'Matches the offline eval.' }), 'approve', 201);
  await ok(api(base, 'POST', 'registered-models/alias', { name: MODEL, alias: 'champion', version: '1' }), 'alias');
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `registry-${name}.png`), fullPage: true });
}

describe('web UI: registry and artifacts', { skip: browserSkip }, () => {
  let server: PitwallProcess;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let seeded: Seeded;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(path.join(REPO, 'dist', 'ui', 'index.html')), 'dist/ui is built (npm run build)');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-ui-reg-data-'));
    server = await startPitwall(dataDir);
    seeded = await seedTracking(server.url);
    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('with no models, the models page tells a new user how to register one', async () => {
    await page.goto(server.url + '/');
    await page.getByTestId('nav-models').click();
    await page.waitForURL('**/models');
    const empty = page.getByTestId('models-empty');
    await empty.waitFor();
    assert.match((await empty.textContent()) ?? '', /pitwall models register \.\/model\.onnx --name titanic/);
    await shot(page, '0-models-empty');
  });

  test('the models list shows each model with its versions and aliases, and filters by name', async () => {
    await seedRegistry(server.url, seeded);
    await page.reload();
    const row = page.getByTestId('model-row').filter({ hasText: MODEL });
    await row.waitFor();
    assert.equal(await page.getByTestId('model-row').count(), 2);
    const text = (await row.textContent()) ?? '';
    assert.ok(text.includes('v1') && text.includes('@champion') && text.includes('Survival classifier'), text);
    assert.equal(await row.locator('.chip-protected').count(), 1, 'the protected alias is marked');
    await shot(page, '1-models');

    await page.getByTestId('models-filter').fill('tita');
    await page.getByTestId('models-filter').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="model-row"]').length === 1);
    assert.match(page.url(), /filter=tita/);
    await page.getByTestId('models-filter').fill('no-such-model');
    await page.getByTestId('models-filter').press('Enter');
    await page.getByTestId('models-empty').waitFor();
    assert.match((await page.getByTestId('models-empty').textContent()) ?? '', /No model matches/);
    await page.getByTestId('models-filter').fill('');
    await page.getByTestId('models-filter').press('Enter');
    await page.getByTestId('model-link').filter({ hasText: MODEL }).click();
    await page.waitForURL(`**/models/${MODEL}`);
  });

  test('the model page lists versions with flavor, run link and approval, and the aliases', async () => {
    const row = page.locator('[data-testid="version-row"][data-version="1"]');
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    for (const want of ['v1', 'None', 'onnx', `runs:/${seeded.runId}/model`, 'approved', '@champion']) assert.ok(text.includes(want), `${want} in ${text}`);
    assert.equal(await row.getByTestId('version-run-link').getAttribute('href'), `/runs/${seeded.runId}`);
    const aliases = (await page.getByTestId('aliases-panel').textContent()) ?? '';
    assert.ok(aliases.includes('@champion') && aliases.includes('version 1') && aliases.includes('protected'), aliases);
    await shot(page, '2-model');
    await row.getByTestId('version-link').click();
    await page.waitForURL(`**/models/${MODEL}/versions/1`);
  });

  test('the version page shows the signature, files, card, approval and the lineage graph', async () => {
    const pclass = page.locator('[data-testid="signature-input"][data-name="pclass"]');
    await pclass.waitFor();
    assert.equal(await pclass.locator('[data-col="dtype"]').textContent(), 'int64');
    assert.equal(await pclass.locator('[data-col="shape"]').textContent(), '[?, 1]');
    assert.equal(await page.getByTestId('signature-input').count(), 5);
    assert.equal(await page.getByTestId('flavor').textContent(), 'onnx');
    const files = (await page.getByTestId('files-table').textContent()) ?? '';
    assert.ok(files.includes('model.onnx') && files.includes('1.7 KiB') && files.includes('bea427a029b8'), files);
    assert.ok(((await page.getByTestId('storage-location').textContent()) ?? '').startsWith(`mlflow-artifacts:/${seeded.experimentId}/${seeded.runId}/artifacts/model`));
    assert.equal(await page.getByTestId('score-row').count(), 2);
    assert.ok(((await page.getByTestId('failure-modes').textContent()) ?? '').includes('Children under 5'));

    const approval = page.getByTestId('approval-row');
    await approval.waitFor();
    const atext = (await approval.textContent()) ?? '';
    assert.ok(atext.includes('ada@example.com') && atext.includes('approved') && atext.includes('Matches the offline eval.'), atext);

    const graph = page.getByTestId('lineage-graph');
    await graph.waitFor();
    const nodes = graph.getByTestId('lineage-node');
    assert.equal(await nodes.count(), 4);
    const types = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    assert.deepEqual(types.sort(), ['dataset', 'logged_model', 'model_version', 'run']);
    assert.equal(await graph.locator('[data-root="true"]').getAttribute('data-type'), 'model_version');
    const relations = await graph.getByTestId('lineage-edge').evaluateAll((els) => els.map((e) => e.getAttribute('data-relation')).sort());
    assert.deepEqual(relations, ['input (training)', 'logged', 'registered_as', 'registered_as']);
    // Columns run left to right in lineage order.
    const xs = await nodes.evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-type'), (e as SVGGraphicsElement).getBBox().x])));
    assert.ok(xs.dataset! < xs.run! && xs.run! < xs.logged_model! && xs.logged_model! < xs.model_version!, JSON.stringify(xs));
    await shot(page, '3-version');
    await graph.screenshot({ path: path.join(SHOTS, 'registry-3b-lineage.png') });
  });

  test('a run node in the lineage opens the run page, whose artifact browser previews CSV, text, images and logs', async () => {
    await page.getByTestId('lineage-graph').locator('[data-testid="lineage-node"][data-type="run"]').click();
    await page.waitForURL(`**/runs/${seeded.runId}`);
    assert.equal(await page.getByTestId('run-name').textContent(), seeded.runName);
    const browser = page.getByTestId('artifact-browser');
    await browser.waitFor();
    const top = await browser.locator('[data-testid="artifact-dir"], [data-testid="artifact-file"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    assert.deepEqual(top, ['data', 'logs', 'model', 'plots', 'notes.txt'], 'directories first, then files');

    await browser.locator('[data-testid="artifact-dir"][data-path="data"]').click();
    await browser.locator('[data-testid="artifact-file"][data-path="data/train.csv"]').click();
    const csv = page.getByTestId('preview-csv');
    await csv.waitFor();
    assert.deepEqual(await csv.locator('thead th').allTextContents(), ['#', 'pclass', 'sex', 'age', 'fare', 'embarked', 'survived']);
    assert.equal(await csv.getByTestId('csv-row').count(), 100, 'the first 100 rows');
    assert.deepEqual(await csv.getByTestId('csv-row').first().locator('td').allTextContents(), ['1', '1', 'male', '20', '7.25', 'S', '0']);
    assert.match(page.url(), /artifact=data%2Ftrain\.csv/, 'the selection is in the URL');
    await shot(page, '4-run-csv');

    await browser.locator('[data-testid="artifact-file"][data-path="notes.txt"]').click();
    assert.equal(await page.getByTestId('preview-text').textContent(), NOTES);

    await browser.locator('[data-testid="artifact-dir"][data-path="logs"]').click();
    await browser.locator('[data-testid="artifact-file"][data-path="logs/train.log"]').click();
    await page.getByTestId('preview-text').waitFor();
    const log = (await page.getByTestId('preview-text').textContent()) ?? '';
    assert.ok(log.startsWith('step 0 loss 1.000000\n') && log.length <= 64 * 1024 && !log.includes('step 5999'), 'only the head of a large file');
    assert.match((await page.getByTestId('artifact-preview').textContent()) ?? '', /Showing the first 64 KiB of/);

    await browser.locator('[data-testid="artifact-dir"][data-path="plots"]').click();
    await browser.locator('[data-testid="artifact-file"][data-path="plots/roc.png"]').click();
    const img = page.getByTestId('preview-image');
    await img.waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid="preview-image"]') as HTMLImageElement | null)?.naturalWidth === 240);
    await shot(page, '5-run-image');

    await browser.locator('[data-testid="artifact-dir"][data-path="model"]').click();
    await browser.locator('[data-testid="artifact-file"][data-path="model/model.onnx"]').click();
    await page.getByTestId('preview-binary').waitFor();
    const link = page.getByTestId('preview-binary').getByTestId('artifact-download');
    assert.equal(await link.textContent(), 'Download (1.7 KiB)');
    const href = await link.getAttribute('href');
    const res = await fetch(href!);
    assert.equal(res.status, 200);
    assert.equal((await res.arrayBuffer()).byteLength, readFileSync(ONNX).length, 'the link downloads the whole file');
  });

  test('a deep link to an artifact opens its directory and previews it', async () => {
    await page.goto(`${server.url}/runs/${seeded.runId}?artifact=${encodeURIComponent('data/train.csv')}`);
    await page.getByTestId('preview-csv').waitFor();
    assert.equal(await page.locator('[data-testid="artifact-file"][data-path="data/train.csv"]').getAttribute('class'), 'tree-item selected');
  });

  test('a second version shows as not reviewed, and a busier lineage graph keeps its nodes apart', async () => {
    await ok(api(server.url, 'POST', 'model-versions/create', { name: MODEL, source: `runs:/${seeded.runId}/model`, run_id: seeded.runId, model_id: seeded.modelId }), 'register v2');
    await page.goto(`${server.url}/models/${MODEL}`);
    const v2 = page.locator('[data-testid="version-row"][data-version="2"]');
    await v2.waitFor();
    assert.equal(await v2.getByTestId('decision').textContent(), 'not reviewed');
    assert.deepEqual(await page.getByTestId('version-link').allTextContents(), ['v2', 'v1'], 'newest first');
    await v2.getByTestId('version-link').click();
    await page.waitForURL(`**/models/${MODEL}/versions/2`);
    const graph = page.getByTestId('lineage-graph');
    await graph.waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="lineage-node"]').length === 5);
    const boxes = await graph.getByTestId('lineage-node').evaluateAll((els) => els.map((e) => (e as SVGGraphicsElement).getBBox()).map((b) => ({ x: b.x, y: b.y, w: b.width, h: b.height })));
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y, `nodes overlap: ${JSON.stringify([a, b])}`);
    }
    assert.equal(await graph.locator('[data-root="true"]').getAttribute('data-key'), `model_version:${MODEL}/2`);
    assert.ok(((await page.getByTestId('approvals-empty').textContent()) ?? '').includes('Not reviewed yet'));
    await graph.screenshot({ path: path.join(SHOTS, 'registry-6-lineage-two-versions.png') });
    // The v1 node leads to its own page.
    await graph.locator(`[data-testid="lineage-node"][data-key="model_version:${MODEL}/1"]`).click();
    await page.waitForURL(`**/models/${MODEL}/versions/1`);
    await page.getByTestId('approval-row').waitFor();
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });

  test('a GGUF version shows its architecture, context length, quantization and size', async () => {
    await upload(server.url, `${seeded.experimentId}/${seeded.runId}/artifacts/llm/stories260K.gguf`, readFileSync(GGUF));
    await ok(api(server.url, 'POST', 'registered-models/create', { name: 'stories' }), 'create gguf model');
    await ok(api(server.url, 'POST', 'model-versions/create', { name: 'stories', source: `runs:/${seeded.runId}/llm`, run_id: seeded.runId }), 'register gguf');
    await page.goto(`${server.url}/models/stories/versions/1`);
    const facts = page.getByTestId('gguf-facts');
    await facts.waitFor();
    const text = (await facts.textContent()) ?? '';
    for (const want of ['Architecturellama', 'Context length2,048', 'QuantizationF32', 'Parameters293K', 'Blocks5']) assert.ok(text.includes(want), `${want} in ${text}`);
    assert.equal(await page.getByTestId('flavor').textContent(), 'gguf');
    assert.equal(await page.getByTestId('signature-table').count(), 0, 'a GGUF file has no tensor signature');
    assert.ok(((await page.getByTestId('files-table').textContent()) ?? '').includes('1.1 MiB'));
    await page.getByTestId('manifest').screenshot({ path: path.join(SHOTS, 'registry-7-gguf.png') });
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});
