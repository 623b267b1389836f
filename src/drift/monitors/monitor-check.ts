import { StringDecoder } from 'node:string_decoder';
import type { ArtifactStore } from '../../artifacts/index.js';
import { artifactPathOf } from '../../artifacts/artifact-uri.js';
import { isAppError } from '../../core/errors/index.js';
import { newPredictionId } from '../../core/ids.js';
import type { Monitor, MonitorRun, MonitorRunStatus, PerformanceSpec, Store } from '../../store/index.js';
import { type PerformanceRow, performanceReport, performanceRows } from '../performance/performance-check.js';
import { type Dataset, DatasetBuilder } from '../dataset.js';
import { DatasetError, formatOf, readDatasetText } from '../read-dataset.js';
import { StatsError } from '../../stats/errors.js';
import { driftReport } from '../report.js';
import { driftOptionsFromWire } from './monitor-spec.js';
import { predictionRows } from './prediction-rows.js';
import { alertOf, sendAlert } from './webhooks.js';
import { forEachWindowPage } from './window.js';
import { type ChatCall, JUDGE_ENTITY_KEY } from '../quality/judge.js';
import { qualityReport } from '../quality/quality-check.js';

export interface CheckDeps {
  store: Store;
  artifacts: ArtifactStore;
  fetch?: typeof fetch;
  /** The server's public URL, for links in alerts. */
  baseUrl?: string;
  now?: () => number;
  /** The chat endpoint an `llm_quality` monitor's judge is called through (set once the server's app exists). */
  chat?: ChatCall;
}

/** A reason a check could not run, shown as its error. */
class CheckError extends Error {}

async function* utf8(body: AsyncIterable<Buffer | string>): AsyncIterable<string> {
  const d = new StringDecoder('utf8');
  for await (const chunk of body) yield typeof chunk === 'string' ? chunk : d.write(chunk);
  const rest = d.end();
  if (rest) yield rest;
}

async function artifactDataset(artifacts: ArtifactStore, path: string, name: string): Promise<Dataset> {
  const { body } = await artifacts.get(path);
  try {
    return await readDatasetText(utf8(body), { name, format: formatOf(path) });
  } finally {
    body.destroy();
  }
}

/**
 * The predictions of `deployment` in [from, to), newest first, up to `maxRows` rows, as one dataset. Failed requests
 * and those cut at the log's payload limit are left out.
 */
export async function windowDataset(store: Store, deployment: string, from: number, to: number, maxRows: number): Promise<{ dataset: Dataset; predictions: number }> {
  const b = new DatasetBuilder();
  let predictions = 0;
  let after: { time: number; id: string } | undefined;
  do {
    const page = await store.predictions.list({ deployment, from, to, status: { min: 200, max: 299 }, maxResults: 1000, ...(after ? { after } : {}) });
    for (const p of page.items) {
      if (p.entityKey === JUDGE_ENTITY_KEY) continue;
      const rows = predictionRows(p);
      if (!rows) continue;
      predictions++;
      for (const r of rows) b.addObject(r);
      if (b.rows >= maxRows) return { dataset: b.finish(), predictions };
    }
    after = page.next;
  } while (after);
  return { dataset: b.finish(), predictions };
}

/** The newest active run of the experiment (by start time, among its latest 100) that has logged `path`. */
async function latestRunArtifact(deps: CheckDeps, experimentId: string, path: string): Promise<{ runId: string; storePath: string }> {
  const runs = await deps.store.runs.search({ experimentIds: [experimentId], filter: [], orderBy: [], viewType: 'ACTIVE_ONLY', maxResults: 100, offset: 0 });
  for (const r of runs.items) {
    const storePath = `${artifactPathOf(r.info.artifactUri, deps.artifacts.rootUri, 'current')}/${path}`;
    const st = await deps.artifacts.stat(storePath);
    if (st && !st.isDir) return { runId: r.info.runId, storePath };
  }
  throw new CheckError(`no run of experiment ${experimentId} has logged ${path} (among its latest 100 runs)`);
}

export async function referenceDataset(deps: CheckDeps, m: Monitor): Promise<Dataset> {
  const ref = m.reference;
  if (!ref) throw new CheckError('the monitor has no reference yet: upload one (PUT /api/v1/monitors/{name}/reference) or set a run artifact or a past window');
  switch (ref.type) {
    case 'upload':
      return artifactDataset(deps.artifacts, ref.path, 'the uploaded reference');
    case 'run_artifact': {
      const run = await deps.store.runs.getInfo(ref.runId);
      const base = artifactPathOf(run.artifactUri, deps.artifacts.rootUri, 'reference.run_id');
      return artifactDataset(deps.artifacts, `${base}/${ref.path}`, `artifact ${ref.path} of run ${ref.runId}`);
    }
    case 'window':
      return (await windowDataset(deps.store, ref.deployment, ref.from, ref.to, m.maxRows)).dataset;
  }
}

/**
 * One check of a monitor over the last `windowMinutes` of the deployment's prediction log: for a `data` monitor the
 * drift report against the reference with the monitor's options; for `llm_quality` the feedback, judge and human
 * grade rates (`qualityReport`). The result is stored whatever happens (an error is a check with status `error`). Alerts go
 * out only when the verdict changes — ok (or never tested) to drifted sends `drift`, drifted to ok sends `recovery` —
 * so a drift that lasts for days is announced once; checks that cannot test anything leave the state alone.
 */
export async function runCheck(deps: CheckDeps, name: string): Promise<MonitorRun> {
  const m = await deps.store.monitors.get(name);
  const now = deps.now?.() ?? Date.now();
  const run: MonitorRun = {
    id: newPredictionId(now),
    monitor: name,
    time: now,
    windowFrom: now - m.windowMinutes * 60_000,
    windowTo: now,
    status: 'error',
    referenceRows: 0,
    currentRows: 0,
    tested: 0,
    drifted: 0,
    share: null,
    report: null,
    error: null,
    alert: null,
    alertError: null,
  };
  try {
    if (m.type === 'llm_quality' && m.quality) {
      const report = await qualityReport(deps, { ...m, quality: m.quality }, { from: run.windowFrom, to: run.windowTo, now });
      run.report = report;
      run.currentRows = report.predictions;
      run.tested = report.signals.filter((s) => s.status === 'tested').length;
      run.drifted = report.signals.filter((s) => s.degraded).length;
      run.share = run.tested > 0 ? run.drifted / run.tested : null;
      run.status = run.tested === 0 ? 'insufficient_data' : run.drifted > 0 ? 'drifted' : 'ok';
    } else if (m.type === 'performance' && m.performance) await performanceCheck(deps, m, m.performance, run);
    else await dataCheck(deps, m, run);
  } catch (e) {
    if (!(e instanceof CheckError || e instanceof DatasetError || isAppError(e))) throw e;
    run.error = e.message;
  }
  if (run.status === 'ok' || run.status === 'drifted') {
    const kind = run.status === 'drifted' && m.state !== 'drifted' ? 'drift' : run.status === 'ok' && m.state === 'drifted' ? 'recovery' : null;
    if (kind && m.webhooks.length > 0) {
      run.alert = kind;
      run.alertError = await sendAlert(m.webhooks, alertOf(kind, m, run, deps.baseUrl), deps.fetch);
    }
    if (run.status !== m.state) await deps.store.monitors.setState(name, run.status);
  }
  await deps.store.monitors.addRun(run);
  return run;
}

/** A reference file's rows for a performance monitor: columns `y_true` (or `label`), `y_pred` (or `prediction`), `proba` (or `probability`). */
function rowsOfDataset(d: Dataset): PerformanceRow[] {
  const col = (...names: string[]) => d.columns.find((c) => names.includes(c.name));
  const yTrue = col('y_true', 'label');
  const yPred = col('y_pred', 'prediction');
  const proba = col('proba', 'probability');
  if (!yTrue || !yPred) throw new CheckError('a performance reference needs columns y_true (or label) and y_pred (or prediction), and proba (or probability) for estimates');
  const value = (c: typeof yTrue, i: number): number | string | null => {
    if (c.numbers) return Number.isNaN(c.numbers[i]!) ? null : c.numbers[i]!;
    const s = c.strings?.[i];
    return s === undefined || s === null ? null : s;
  };
  const out: PerformanceRow[] = [];
  for (let i = 0; i < d.rows; i++) {
    const p = value(yPred, i);
    if (p === null) continue;
    const pr = proba ? value(proba, i) : null;
    out.push({ yPred: p, yTrue: value(yTrue, i), proba: typeof pr === 'number' ? pr : null });
  }
  return out;
}

/** The performance rows of a window of the log, oldest first, read a page at a time (pages come newest first). */
async function windowRows(deps: CheckDeps, q: { deployment: string; from: number; to: number; maxPredictions: number }, spec: PerformanceSpec): Promise<PerformanceRow[]> {
  const pages: PerformanceRow[][] = [];
  await forEachWindowPage(deps.store, q, async (page) => {
    pages.push(await performanceRows(deps.store, page, spec));
  });
  return pages.reverse().flat();
}

/** The metric per chunk of the window against the reference's band (realized, or estimated by CBPE), into `run`. */
async function performanceCheck(deps: CheckDeps, m: Monitor, spec: PerformanceSpec, run: MonitorRun): Promise<void> {
  const ref = m.reference;
  let reference: PerformanceRow[];
  if (!ref) throw new CheckError('the monitor has no reference yet: a past window of labelled traffic, or a file with y_true, y_pred and proba columns');
  if (ref.type === 'window') reference = await windowRows(deps, { deployment: ref.deployment, from: ref.from, to: ref.to, maxPredictions: m.maxRows }, spec);
  else reference = rowsOfDataset(await referenceDataset(deps, m));
  run.referenceRows = reference.length;
  const current = await windowRows(deps, { deployment: m.deployment, from: run.windowFrom, to: run.windowTo, maxPredictions: m.maxRows }, spec);
  run.currentRows = current.length;
  let report;
  try {
    report = performanceReport(reference, current, spec);
  } catch (e) {
    if (e instanceof StatsError) throw new CheckError(e.message);
    throw e;
  }
  run.report = report;
  run.tested = report.chunks.filter((c) => c.value !== null).length;
  run.drifted = report.chunks.filter((c) => c.alert).length;
  run.share = run.tested > 0 ? run.drifted / run.tested : null;
  run.status = run.tested === 0 ? 'insufficient_data' : run.drifted > 0 ? 'drifted' : 'ok';
}

/** The data drift report of the window against the reference, into `run`. */
async function dataCheck(deps: CheckDeps, m: Monitor, run: MonitorRun): Promise<void> {
  const reference = await referenceDataset(deps, m);
  run.referenceRows = reference.rows;
  let dataset: Dataset;
  let source: { run_id: string; path: string } | undefined;
  if (m.current) {
    const latest = await latestRunArtifact(deps, m.current.experimentId, m.current.path);
    source = { run_id: latest.runId, path: m.current.path };
    dataset = await artifactDataset(deps.artifacts, latest.storePath, `artifact ${m.current.path} of run ${latest.runId}`);
  } else dataset = (await windowDataset(deps.store, m.deployment, run.windowFrom, run.windowTo, m.maxRows)).dataset;
  run.currentRows = dataset.rows;
  const report = await driftReport(reference, dataset, driftOptionsFromWire(m.options));
  run.report = source ? { ...report, source } : report;
  run.tested = report.tested;
  run.drifted = report.drifted;
  run.share = report.tested > 0 ? report.share : null;
  run.status = (report.tested === 0 ? 'insufficient_data' : report.datasetDrift ? 'drifted' : 'ok') satisfies MonitorRunStatus;
}
