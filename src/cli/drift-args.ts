import type { ParseArgsConfig } from 'node:util';
import type { ColumnKind } from '../drift/column-kind.js';
import type { DatasetFormat } from '../drift/read-dataset.js';
import type { DriftOptions } from '../drift/report.js';
import { expectPositionals, parsePositiveInt, str, type Values } from './arg-values.js';
import { UsageError } from './errors.js';

/** `pitwall drift report`: compares two files on this machine, no server involved. */
export interface DriftCommand {
  kind: 'drift report';
  reference: string;
  current: string;
  format?: DatasetFormat;
  html?: string;
  json: boolean;
  failOnDrift: boolean;
  options: Omit<DriftOptions, 'onColumn'>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export const DRIFT_OPTIONS: Record<string, Options> = {
  'drift report': {
    help: { type: 'boolean', short: 'h' },
    json: { type: 'boolean' },
    reference: { type: 'string', short: 'r' },
    current: { type: 'string', short: 'c' },
    format: { type: 'string' },
    html: { type: 'string' },
    columns: { type: 'string' },
    exclude: { type: 'string' },
    kind: { type: 'string', multiple: true },
    test: { type: 'string' },
    'num-test': { type: 'string' },
    'cat-test': { type: 'string' },
    'text-test': { type: 'string' },
    'embedding-test': { type: 'string' },
    'column-test': { type: 'string', multiple: true },
    threshold: { type: 'string' },
    'num-threshold': { type: 'string' },
    'cat-threshold': { type: 'string' },
    'text-threshold': { type: 'string' },
    'embedding-threshold': { type: 'string' },
    'column-threshold': { type: 'string', multiple: true },
    correction: { type: 'string' },
    'drift-share': { type: 'string' },
    'min-rows': { type: 'string' },
    seed: { type: 'string' },
    'fail-on-drift': { type: 'boolean' },
  },
};

const TOPIC = 'drift report';

function number(v: string, flag: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got '${v}'`, TOPIC);
  return n;
}

/** `COLUMN=VALUE` pairs of a repeatable flag. */
function pairs(list: string[] | undefined, flag: string): [string, string][] {
  return (list ?? []).map((p) => {
    const i = p.lastIndexOf('=');
    if (i <= 0 || i === p.length - 1) throw new UsageError(`${flag} takes COLUMN=VALUE, got '${p}'`, TOPIC);
    return [p.slice(0, i), p.slice(i + 1)];
  });
}

const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter((s) => s !== ''));

export function parseDriftCommand(values: Values, positionals: string[]): DriftCommand {
  expectPositionals(positionals, TOPIC, 0, 0, '');
  const reference = str(values.reference);
  const current = str(values.current);
  if (reference === undefined) throw new UsageError('missing --reference FILE (the data the model was trained or validated on)', TOPIC);
  if (current === undefined) throw new UsageError('missing --current FILE (the data to compare with it)', TOPIC);
  const format = str(values.format);
  if (format !== undefined && format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format must be csv or jsonl, got '${format}'`, TOPIC);

  const tests: NonNullable<DriftOptions['tests']> = {};
  const thresholds: NonNullable<DriftOptions['thresholds']> = {};
  for (const k of ['num', 'cat', 'text', 'embedding'] as const) {
    const t = str(values[`${k}-test`]);
    if (t !== undefined) tests[k] = t;
    const th = str(values[`${k}-threshold`]);
    if (th !== undefined) thresholds[k] = number(th, `--${k}-threshold`);
  }
  const all = str(values.test);
  if (all !== undefined) tests.all = all;
  const allThreshold = str(values.threshold);
  if (allThreshold !== undefined) thresholds.all = number(allThreshold, '--threshold');
  const columnTests = pairs(values['column-test'] as string[] | undefined, '--column-test');
  if (columnTests.length > 0) tests.columns = Object.fromEntries(columnTests);
  const columnThresholds = pairs(values['column-threshold'] as string[] | undefined, '--column-threshold');
  if (columnThresholds.length > 0) thresholds.columns = Object.fromEntries(columnThresholds.map(([c, v]) => [c, number(v, `--column-threshold ${c}`)]));

  const options: DriftCommand['options'] = {};
  const columns = list(str(values.columns));
  if (columns) options.columns = columns;
  const exclude = list(str(values.exclude));
  if (exclude) options.exclude = exclude;
  const kinds = pairs(values.kind as string[] | undefined, '--kind');
  if (kinds.length > 0) options.kinds = Object.fromEntries(kinds) as Record<string, ColumnKind>;
  if (Object.keys(tests).length > 0) options.tests = tests;
  if (Object.keys(thresholds).length > 0) options.thresholds = thresholds;
  const correction = str(values.correction);
  if (correction !== undefined) {
    if (correction !== 'none' && correction !== 'bonferroni' && correction !== 'bh') throw new UsageError(`--correction must be none, bonferroni or bh, got '${correction}'`, TOPIC);
    options.correction = correction;
  }
  const share = str(values['drift-share']);
  if (share !== undefined) {
    const n = number(share, '--drift-share');
    if (n > 1) throw new UsageError(`--drift-share must be at most 1, got '${share}'`, TOPIC);
    options.driftShare = n;
  }
  const minRows = str(values['min-rows']);
  if (minRows !== undefined) options.minRows = parsePositiveInt(minRows, '--min-rows', TOPIC, 1, 1_000_000_000);
  const seed = str(values.seed);
  if (seed !== undefined) options.seed = parsePositiveInt(seed, '--seed', TOPIC, 0, 2 ** 31 - 1);
  const html = str(values.html);
  return {
    kind: TOPIC,
    reference,
    current,
    ...(format !== undefined ? { format } : {}),
    ...(html !== undefined ? { html } : {}),
    json: values.json === true,
    failOnDrift: values['fail-on-drift'] === true,
    options,
  };
}
