import { AppError, invalidParam } from '../../core/errors/index.js';
import { validateCron } from '../../jobs/cron.js';
import type { Monitor, MonitorReference, MonitorRun, MonitorSpec, MonitorWebhook, PerformanceSpec, QualitySpec } from '../../store/index.js';
import { DEFAULT_RUBRIC } from '../quality/judge.js';
import { COLUMN_KINDS, type ColumnKind } from '../column-kind.js';
import { checkDriftOptions, type DriftOptions } from '../report.js';

type Wire = Record<string, unknown>;

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const DEFAULT_SCHEDULE = '0 * * * *';
export const DEFAULT_WINDOW_MINUTES = 60;
export const DEFAULT_MAX_ROWS = 100_000;
export const MAX_ROWS_LIMIT = 1_000_000;

const isObject = (v: unknown): v is Wire => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: unknown, field: string, max = 1000): string {
  if (typeof v !== 'string' || v.length > max) throw invalidParam(`${field} must be a string of at most ${max} characters`, field);
  return v;
}

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidParam(`${field} must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`, field);
  return v;
}

function stringMap(v: unknown, field: string): Record<string, string> {
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) throw invalidParam(`${field} must be an object of column → string`, field);
  return v as Record<string, string>;
}

function numberMap(v: unknown, field: string): Record<string, number> {
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'number')) throw invalidParam(`${field} must be an object of name → number`, field);
  return v as Record<string, number>;
}

function stringList(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidParam(`${field} must be a list of column names`, field);
  return v as string[];
}

/**
 * Drift report options from their wire form (the same names as `DriftOptions`, snake-cased: `drift_share`,
 * `min_rows`); checks shapes here, names of tests and columns when the report runs. Fields are `options.<name>`.
 */
export function driftOptionsFromWire(o: Wire): DriftOptions {
  const known = ['columns', 'exclude', 'kinds', 'tests', 'thresholds', 'correction', 'drift_share', 'min_rows', 'seed'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw invalidParam(`options.${k} is not a drift option (${known.join(', ')})`, `options.${k}`);
  const out: DriftOptions = {};
  if (o.columns !== undefined) out.columns = stringList(o.columns, 'options.columns');
  if (o.exclude !== undefined) out.exclude = stringList(o.exclude, 'options.exclude');
  if (o.kinds !== undefined) {
    const kinds = stringMap(o.kinds, 'options.kinds');
    for (const [c, k] of Object.entries(kinds)) if (!COLUMN_KINDS.includes(k as ColumnKind)) throw invalidParam(`Kind '${k}' is not one of ${COLUMN_KINDS.join(', ')}`, `options.kinds.${c}`);
    out.kinds = kinds as Record<string, ColumnKind>;
  }
  if (o.tests !== undefined) {
    if (!isObject(o.tests)) throw invalidParam('options.tests must be an object', 'options.tests');
    const { columns, ...rest } = o.tests;
    out.tests = { ...stringMap(rest, 'options.tests'), ...(columns !== undefined ? { columns: stringMap(columns, 'options.tests.columns') } : {}) };
  }
  if (o.thresholds !== undefined) {
    if (!isObject(o.thresholds)) throw invalidParam('options.thresholds must be an object', 'options.thresholds');
    const { columns, ...rest } = o.thresholds;
    out.thresholds = { ...numberMap(rest, 'options.thresholds'), ...(columns !== undefined ? { columns: numberMap(columns, 'options.thresholds.columns') } : {}) };
  }
  if (o.correction !== undefined) {
    if (o.correction !== 'none' && o.correction !== 'bonferroni' && o.correction !== 'bh') throw invalidParam('options.correction must be none, bonferroni or bh', 'options.correction');
    out.correction = o.correction;
  }
  if (o.drift_share !== undefined) {
    if (typeof o.drift_share !== 'number' || !(o.drift_share > 0 && o.drift_share <= 1)) throw invalidParam('options.drift_share must be in (0, 1]', 'options.drift_share');
    out.driftShare = o.drift_share;
  }
  if (o.min_rows !== undefined) out.minRows = int(o.min_rows, 'options.min_rows', 1, 1_000_000_000);
  if (o.seed !== undefined) out.seed = int(o.seed, 'options.seed', 0, 2 ** 31 - 1);
  try {
    checkDriftOptions(out);
  } catch (e) {
    if (e instanceof AppError && e.field) throw invalidParam(e.message, `options.${e.field}`);
    throw e;
  }
  return out;
}

function referenceFromWire(v: unknown, current: MonitorReference | null): MonitorReference | null {
  if (v === null) return null;
  if (!isObject(v)) throw invalidParam('reference must be an object with a type: run_artifact or window (upload one with PUT …/reference)', 'reference');
  switch (v.type) {
    case 'run_artifact': {
      const runId = str(v.run_id, 'reference.run_id', 64);
      const path = str(v.path, 'reference.path', 1000);
      if (path === '' || path.startsWith('/') || path.split('/').includes('..')) throw invalidParam('reference.path must be a relative path inside the run\'s artifacts', 'reference.path');
      return { type: 'run_artifact', runId, path };
    }
    case 'window': {
      const from = int(v.from, 'reference.from', 0, 8.64e15);
      const to = int(v.to, 'reference.to', 0, 8.64e15);
      if (to <= from) throw invalidParam('reference.to must be after reference.from', 'reference.to');
      return { type: 'window', deployment: v.deployment === undefined ? '' : str(v.deployment, 'reference.deployment', 255), from, to };
    }
    case 'upload':
      // Kept as it is: an upload is made through PUT …/reference, not described.
      if (current?.type === 'upload') return current;
      throw invalidParam('an uploaded reference is sent with PUT /api/v1/monitors/{name}/reference (CSV or JSON lines)', 'reference.type');
    default:
      throw invalidParam(`reference.type must be run_artifact or window, not ${JSON.stringify(v.type)}`, 'reference.type');
  }
}

function webhooksFromWire(v: unknown): MonitorWebhook[] {
  if (!Array.isArray(v)) throw invalidParam('webhooks must be a list of {url, format}', 'webhooks');
  if (v.length > 10) throw invalidParam('at most 10 webhooks', 'webhooks');
  return v.map((h, i) => {
    const field = `webhooks[${i}]`;
    if (!isObject(h)) throw invalidParam(`${field} must be {url, format}`, field);
    const url = str(h.url, `${field}.url`, 2000);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalidParam(`${field}.url is not a URL`, `${field}.url`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalidParam(`${field}.url must be http or https`, `${field}.url`);
    if (parsed.username || parsed.password) throw invalidParam(`${field}.url must not carry a user name or password (put the secret in the path, as Slack does)`, `${field}.url`);
    const format = h.format ?? 'json';
    if (format !== 'json' && format !== 'slack') throw invalidParam(`${field}.format must be json or slack`, `${field}.format`);
    return { url, format };
  });
}

function num(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw invalidParam(`${field} must be a number from ${min} to ${max}, not ${JSON.stringify(v)}`, field);
  return v;
}

/**
 * An `llm_quality` monitor's settings: `judge` (`{deployment, rubric?, sample_size?}`: a chat deployment grading up to
 * `sample_size` (default 20) new answers per check), `review_sample_size` (answers per check queued for people,
 * default 10), `pass_score` (default 4), `max_thumbs_down_rate` (0.2), `min_pass_rate` (0.7), `confidence` (0.95),
 * `min_count` (10).
 */
function qualityFromWire(v: unknown, base: QualitySpec | null): QualitySpec {
  const o = v === undefined ? {} : v;
  if (!isObject(o)) throw invalidParam('quality must be an object', 'quality');
  const known = ['judge', 'review_sample_size', 'pass_score', 'max_thumbs_down_rate', 'min_pass_rate', 'confidence', 'min_count'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw invalidParam(`quality.${k} is not a quality setting (${known.join(', ')})`, `quality.${k}`);
  let judge = base?.judge ?? null;
  if (o.judge === null) judge = null;
  else if (o.judge !== undefined) {
    if (!isObject(o.judge)) throw invalidParam('quality.judge must be {deployment, rubric?, sample_size?}', 'quality.judge');
    judge = {
      deployment: str(o.judge.deployment, 'quality.judge.deployment', 255),
      rubric: o.judge.rubric === undefined ? DEFAULT_RUBRIC : str(o.judge.rubric, 'quality.judge.rubric', 5000),
      sampleSize: o.judge.sample_size === undefined ? 20 : int(o.judge.sample_size, 'quality.judge.sample_size', 1, 1000),
    };
  }
  return {
    judge,
    reviewSampleSize: o.review_sample_size === undefined ? (base?.reviewSampleSize ?? 10) : int(o.review_sample_size, 'quality.review_sample_size', 0, 1000),
    passScore: o.pass_score === undefined ? (base?.passScore ?? 4) : int(o.pass_score, 'quality.pass_score', 1, 5),
    maxThumbsDownRate: o.max_thumbs_down_rate === undefined ? (base?.maxThumbsDownRate ?? 0.2) : num(o.max_thumbs_down_rate, 'quality.max_thumbs_down_rate', 0, 1),
    minPassRate: o.min_pass_rate === undefined ? (base?.minPassRate ?? 0.7) : num(o.min_pass_rate, 'quality.min_pass_rate', 0, 1),
    confidence: o.confidence === undefined ? (base?.confidence ?? 0.95) : num(o.confidence, 'quality.confidence', 0.5, 0.999),
    minCount: o.min_count === undefined ? (base?.minCount ?? 10) : int(o.min_count, 'quality.min_count', 1, 100_000),
  };
}

const METRICS: PerformanceSpec['metric'][] = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'mae', 'rmse'];

/**
 * A `performance` monitor's settings: `metric` (accuracy, precision, recall, f1, roc_auc, mae, rmse; default
 * accuracy), `chunk_size` (rows per chunk, default 100), `chunk_minutes` (chunks by time instead: hourly 60, daily
 * 1440; default none), `positive_label` (default 1), `positive_index` (the positive
 * class's column of a probabilities output, default 1), `estimate` (CBPE where labels are missing, default true).
 */
function performanceFromWire(v: unknown, base: PerformanceSpec | null): PerformanceSpec {
  const o = v === undefined ? {} : v;
  if (!isObject(o)) throw invalidParam('performance must be an object', 'performance');
  const known = ['metric', 'chunk_size', 'chunk_minutes', 'positive_label', 'positive_index', 'estimate'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw invalidParam(`performance.${k} is not a performance setting (${known.join(', ')})`, `performance.${k}`);
  const metric = o.metric === undefined ? (base?.metric ?? 'accuracy') : o.metric;
  if (!METRICS.includes(metric as PerformanceSpec['metric'])) throw invalidParam(`performance.metric must be one of ${METRICS.join(', ')}`, 'performance.metric');
  const positive = o.positive_label === undefined ? (base?.positiveLabel ?? 1) : o.positive_label;
  if (typeof positive !== 'number' && typeof positive !== 'string') throw invalidParam('performance.positive_label must be a number or a string', 'performance.positive_label');
  const estimate = o.estimate === undefined ? (base?.estimate ?? true) : o.estimate;
  if (typeof estimate !== 'boolean') throw invalidParam('performance.estimate must be true or false', 'performance.estimate');
  return {
    metric: metric as PerformanceSpec['metric'],
    chunkSize: o.chunk_size === undefined ? (base?.chunkSize ?? 100) : int(o.chunk_size, 'performance.chunk_size', 10, 1_000_000),
    chunkMinutes: o.chunk_minutes === undefined ? (base?.chunkMinutes ?? null) : o.chunk_minutes === null ? null : int(o.chunk_minutes, 'performance.chunk_minutes', 1, 366 * 24 * 60),
    positiveLabel: positive,
    positiveIndex: o.positive_index === undefined ? (base?.positiveIndex ?? 1) : int(o.positive_index, 'performance.positive_index', 0, 10_000),
    estimate,
  };
}

/**
 * A monitor spec from a create (`base` undefined) or update body. Defaults: schedule hourly (`0 * * * *`, UTC),
 * a 60-minute window, at most 100,000 rows per check, enabled.
 */
export function specFromWire(body: unknown, base?: MonitorSpec): MonitorSpec {
  if (!isObject(body)) throw invalidParam('the body must be a JSON object', 'body');
  const known = ['name', 'description', 'type', 'quality', 'performance', 'current', 'deployment', 'reference', 'schedule', 'timezone', 'window_minutes', 'max_rows', 'options', 'webhooks', 'enabled'];
  for (const k of Object.keys(body)) if (!known.includes(k)) throw invalidParam(`'${k}' is not a monitor field (${known.join(', ')})`, k);
  let name: string;
  if (base) {
    if (body.name !== undefined && body.name !== base.name) throw invalidParam('a monitor cannot be renamed', 'name');
    name = base.name;
  } else {
    name = str(body.name, 'name', 128);
    if (!NAME_PATTERN.test(name)) throw invalidParam('name must be 1–128 letters, digits, dots, dashes or underscores, starting with a letter or digit', 'name');
  }
  const current = body.current !== undefined ? (currentFromWire(body.current) ?? null) : (base?.current ?? null);
  const deployment = body.deployment !== undefined ? str(body.deployment, 'deployment', 255) : (base?.deployment ?? '');
  if (!deployment && !current) throw invalidParam('deployment (the deployment whose traffic is watched) is required, or current (a dataset logged by runs)', 'deployment');
  const timezone = body.timezone !== undefined ? str(body.timezone, 'timezone', 64) : (base?.timezone ?? 'UTC');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw invalidParam(`timezone '${timezone}' is not an IANA time zone (such as UTC or Europe/Paris)`, 'timezone');
  }
  const schedule = body.schedule !== undefined ? str(body.schedule, 'schedule', 200) : (base?.schedule ?? DEFAULT_SCHEDULE);
  try {
    validateCron(schedule, timezone);
  } catch (e) {
    throw invalidParam(`schedule: ${(e as Error).message}`, 'schedule');
  }
  const options = body.options !== undefined ? body.options : (base?.options ?? {});
  if (!isObject(options)) throw invalidParam('options must be an object of drift options', 'options');
  driftOptionsFromWire(options);
  let reference = body.reference !== undefined ? referenceFromWire(body.reference, base?.reference ?? null) : (base?.reference ?? null);
  if (reference?.type === 'window' && reference.deployment === '') {
    if (!deployment) throw invalidParam('a window reference of a dataset monitor must name the deployment whose log it reads', 'reference.deployment');
    reference = { ...reference, deployment };
  }
  const type = body.type !== undefined ? body.type : (base?.type ?? 'data');
  if (type !== 'data' && type !== 'llm_quality' && type !== 'performance') throw invalidParam(`type must be data, llm_quality or performance, not ${JSON.stringify(type)}`, 'type');
  if (type !== 'llm_quality' && body.quality !== undefined && body.quality !== null) throw invalidParam('quality settings are for llm_quality monitors', 'quality');
  if (type !== 'performance' && body.performance !== undefined && body.performance !== null) throw invalidParam('performance settings are for performance monitors', 'performance');
  if (current && type !== 'data') throw invalidParam('current (a dataset logged by runs) is for data monitors', 'current');
  const quality = type === 'llm_quality' ? qualityFromWire(body.quality, base?.quality ?? null) : null;
  const performance = type === 'performance' ? performanceFromWire(body.performance, base?.performance ?? null) : null;
  const enabled = body.enabled !== undefined ? body.enabled : (base?.enabled ?? true);
  if (typeof enabled !== 'boolean') throw invalidParam('enabled must be true or false', 'enabled');
  return {
    name,
    description: body.description !== undefined ? str(body.description, 'description', 5000) : (base?.description ?? ''),
    type,
    deployment,
    reference,
    schedule,
    timezone,
    windowMinutes: body.window_minutes !== undefined ? int(body.window_minutes, 'window_minutes', 1, 366 * 24 * 60) : (base?.windowMinutes ?? DEFAULT_WINDOW_MINUTES),
    maxRows: body.max_rows !== undefined ? int(body.max_rows, 'max_rows', 10, MAX_ROWS_LIMIT) : (base?.maxRows ?? DEFAULT_MAX_ROWS),
    options,
    webhooks: body.webhooks !== undefined ? webhooksFromWire(body.webhooks) : (base?.webhooks ?? []),
    enabled,
    quality,
    performance,
    current,
  };
}

/** `{type: "latest_run_artifact", experiment_id, path}`: the dataset a data monitor reads instead of a deployment's traffic. */
function currentFromWire(v: unknown): NonNullable<MonitorSpec['current']> | null {
  if (v === null) return null;
  if (!isObject(v) || v.type !== 'latest_run_artifact') throw invalidParam('current must be {type: "latest_run_artifact", experiment_id, path}', 'current.type');
  const experimentId = str(v.experiment_id, 'current.experiment_id', 64);
  const path = str(v.path, 'current.path', 1000);
  if (path === '' || path.startsWith('/') || path.split('/').includes('..')) throw invalidParam("current.path must be a relative path inside a run's artifacts", 'current.path');
  return { type: 'latest_run_artifact', experimentId, path };
}

function performanceToWire(p: PerformanceSpec | null | undefined): unknown {
  if (!p) return null;
  return { metric: p.metric, chunk_size: p.chunkSize, chunk_minutes: p.chunkMinutes ?? null, positive_label: p.positiveLabel, positive_index: p.positiveIndex, estimate: p.estimate };
}

function qualityToWire(q: QualitySpec | null): unknown {
  if (!q) return null;
  return {
    judge: q.judge ? { deployment: q.judge.deployment, rubric: q.judge.rubric, sample_size: q.judge.sampleSize } : null,
    review_sample_size: q.reviewSampleSize,
    pass_score: q.passScore,
    max_thumbs_down_rate: q.maxThumbsDownRate,
    min_pass_rate: q.minPassRate,
    confidence: q.confidence,
    min_count: q.minCount,
  };
}

function referenceToWire(r: MonitorReference | null): unknown {
  if (!r) return null;
  switch (r.type) {
    case 'upload':
      return { type: 'upload', format: r.format, rows: r.rows, uploaded_at: r.uploadedAt };
    case 'run_artifact':
      return { type: 'run_artifact', run_id: r.runId, path: r.path };
    case 'window':
      return { type: 'window', deployment: r.deployment, from: r.from, to: r.to };
  }
}

export function monitorToWire(m: Monitor): Wire {
  return {
    name: m.name,
    description: m.description,
    type: m.type,
    deployment: m.deployment,
    reference: referenceToWire(m.reference),
    schedule: m.schedule,
    timezone: m.timezone,
    window_minutes: m.windowMinutes,
    max_rows: m.maxRows,
    options: m.options,
    // A webhook's path is often its secret (Slack's is): the API shows where it goes, not the whole URL.
    webhooks: m.webhooks.map((h) => ({ url: `${new URL(h.url).origin}/…`, format: h.format })),
    enabled: m.enabled,
    quality: qualityToWire(m.quality),
    performance: performanceToWire(m.performance),
    current: m.current ? { type: m.current.type, experiment_id: m.current.experimentId, path: m.current.path } : null,
    state: m.state,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  };
}

export function runToWire(r: MonitorRun): Wire {
  return {
    id: r.id,
    monitor: r.monitor,
    time: r.time,
    window_from: r.windowFrom,
    window_to: r.windowTo,
    status: r.status,
    reference_rows: r.referenceRows,
    current_rows: r.currentRows,
    tested: r.tested,
    drifted: r.drifted,
    share: r.share,
    error: r.error,
    alert: r.alert,
    alert_error: r.alertError,
    ...(r.report !== null ? { report: r.report } : {}),
  };
}
