/** Display helpers of the drift monitor pages. Pure, so they run under node:test as well. */
import { formatTime } from './format.js';
import type { ColumnDrift, DriftReport, Monitor, MonitorReference, MonitorType, RunStatus } from './monitors-client.js';
import { formatPercent } from './monitoring-format.js';

export const monitorPath = (name: string): string => `/monitors/${encodeURIComponent(name)}`;
export const monitorRunPath = (name: string, id: string): string => `${monitorPath(name)}/runs/${encodeURIComponent(id)}`;

/** Scores and thresholds: 3 significant digits, exponent form below 0.001 (p-values of 1e-17 are common). */
export function formatScore(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  if (Math.abs(v) < 1e-3) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(3)));
}

/** The way a score drifts: a p-value below its threshold, a distance at or above it. */
export function driftDirection(scoreKind: ColumnDrift['scoreKind']): '<' | '≥' {
  return scoreKind === 'distance' ? '≥' : '<';
}

/** A column's threshold with its direction, as the verdict reads it: `< 0.05`, `≥ 0.1`; a dash when untested. */
export function thresholdText(c: Pick<ColumnDrift, 'scoreKind' | 'threshold'>): string {
  if (c.threshold === undefined) return '—';
  return `${driftDirection(c.scoreKind)} ${formatScore(c.threshold)}`;
}

/** What a score is, for titles: `p-value` or `distance`. */
export const scoreKindLabel = (k: ColumnDrift['scoreKind']): string => (k === 'distance' ? 'distance' : 'p-value');

/** A check's or column's status in words: `insufficient_data` → `insufficient data`. */
export const statusLabel = (s: string): string => s.replace(/_/g, ' ');

/** A column's verdict badge: its class (`drifted`, `ok`, or the status that kept it from a verdict) and words. */
export function columnVerdict(c: Pick<ColumnDrift, 'status' | 'drifted'>): { status: string; label: string } {
  if (c.status !== 'tested') return { status: c.status, label: statusLabel(c.status) };
  return c.drifted ? { status: 'drifted', label: 'drifted' } : { status: 'ok', label: 'no drift' };
}

export interface ColumnRow {
  readonly column: ColumnDrift;
  /** 1 for a text column's descriptors, drawn under it. */
  readonly depth: 0 | 1;
}

/** The report's columns in its order, each text column's descriptors right under it (orphans at the end). */
export function columnRows(columns: readonly ColumnDrift[]): ColumnRow[] {
  const names = new Set(columns.map((c) => c.column));
  const children = new Map<string, ColumnDrift[]>();
  for (const c of columns) {
    if (c.derivedFrom !== undefined && names.has(c.derivedFrom)) children.set(c.derivedFrom, [...(children.get(c.derivedFrom) ?? []), c]);
  }
  const rows: ColumnRow[] = [];
  for (const c of columns) {
    if (c.derivedFrom !== undefined) {
      if (!names.has(c.derivedFrom)) rows.push({ column: c, depth: 1 });
      continue;
    }
    rows.push({ column: c, depth: 0 });
    for (const d of children.get(c.column) ?? []) rows.push({ column: d, depth: 1 });
  }
  return rows;
}

/** The report's verdict in one line: `Dataset drift detected` / `No dataset drift`, and `3 of 5 columns drifted (60% ≥ 50%)`. */
export function reportSummary(r: Pick<DriftReport, 'tested' | 'drifted' | 'share' | 'driftShare' | 'datasetDrift'>): { headline: string; detail: string } {
  if (r.tested === 0) return { headline: 'Nothing could be tested', detail: 'no column had enough values on both sides' };
  const cmp = r.share >= r.driftShare ? '≥' : '<';
  return {
    headline: r.datasetDrift ? 'Dataset drift detected' : 'No dataset drift',
    detail: `${r.drifted} of ${r.tested} column${r.tested === 1 ? '' : 's'} drifted (${formatPercent(r.share)} ${cmp} ${formatPercent(r.driftShare)})`,
  };
}

/** `3 / 5` drifted of tested; a dash for a check that tested nothing. */
export function driftedOfTested(r: { drifted: number; tested: number; status?: RunStatus }): string {
  return r.tested === 0 ? '—' : `${r.drifted} / ${r.tested}`;
}

/** Window lengths: `45 min`, `1 h`, `1 h 30 min`, `1 d`, `2 d 6 h`. */
export function formatMinutes(m: number): string {
  if (!Number.isFinite(m) || m <= 0) return '—';
  if (m < 60) return `${m} min`;
  if (m < 1440) return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
  const d = Math.floor(m / 1440);
  const h = Math.round((m % 1440) / 60);
  return h === 0 ? `${d} d` : `${d} d ${h} h`;
}

/** A window of time: `2025-06-01 10:00:00 – 11:00:00`, the date written once when both ends share it. */
export function formatRange(from: number, to: number): string {
  const a = formatTime(from);
  const b = formatTime(to);
  if (a === '—' || b === '—') return `${a} – ${b}`;
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} – ${b.slice(11)}` : `${a} – ${b}`;
}

/** Where a webhook posts, without its path: a Slack incoming webhook's path is its secret. */
export function webhookOrigin(url: string): string {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? `${u.protocol}//…` : u.origin;
  } catch {
    return '(not a URL)';
  }
}

/** The reference in a word or two, for the list: `upload (38 rows)`, `run artifact`, `window`, `none`. */
export function referenceKind(r: MonitorReference | null): string {
  if (!r) return 'none';
  switch (r.type) {
    case 'upload':
      return `upload (${r.rows.toLocaleString('en-US')} row${r.rows === 1 ? '' : 's'})`;
    case 'run_artifact':
      return 'run artifact';
    case 'window':
      return 'window';
  }
}

/** The reference in a sentence, for the monitor's settings. */
export function referenceText(r: MonitorReference | null): string {
  if (!r) return 'none yet — upload one with PUT …/reference (CSV or JSON lines)';
  switch (r.type) {
    case 'upload':
      return `uploaded ${r.format.toUpperCase()}, ${r.rows.toLocaleString('en-US')} rows, ${formatTime(r.uploadedAt)}`;
    case 'run_artifact':
      return `${r.path} of run ${r.runId}`;
    case 'window':
      return `traffic of ${r.deployment}, ${formatRange(r.from, r.to)}`;
  }
}

/** The schedule: the cron expression and its timezone, or that it is paused. */
export function scheduleText(m: Pick<Monitor, 'schedule' | 'timezone' | 'enabled'>): string {
  return `${m.schedule} (${m.timezone})${m.enabled ? '' : ' · paused'}`;
}

/** The monitor's options as indented JSON, `{}` when it has none. */
export function optionsJson(options: Record<string, unknown>): string {
  return Object.keys(options).length === 0 ? '{}' : JSON.stringify(options, null, 2);
}

/** The alert a check sent: `drift`, `recovery`, or a dash. */
export function alertText(alert: 'drift' | 'recovery' | null): string {
  return alert ?? '—';
}

export interface CheckWording {
  /** The history card's title. */
  readonly section: string;
  /** What the share per check counts: the share chart's line and its legend. */
  readonly unit: string;
  /** The share chart's accessible name. */
  readonly shareName: string;
  /** The checks table's column of `drifted / tested`, and its title. */
  readonly header: string;
  readonly headerTitle: string;
  /** What the marks on the charts are. */
  readonly marked: string;
}

const WORDING: Record<MonitorType, CheckWording> = {
  data: { section: 'Drift over time', unit: 'drifted columns', shareName: 'Share of drifted columns per check', header: 'Drifted / tested', headerTitle: 'Columns drifted / tested', marked: 'drifted checks marked' },
  performance: { section: 'Performance over time', unit: 'alerting chunks', shareName: 'Share of alerting chunks per check', header: 'Alerting / chunks', headerTitle: 'Chunks outside the band / chunks with a value', marked: 'alerting checks marked' },
  llm_quality: { section: 'Quality over time', unit: 'degraded signals', shareName: 'Share of degraded signals per check', header: 'Degraded / signals', headerTitle: 'Signals degraded / tested', marked: 'degraded checks marked' },
};

/** How a monitor type's checks are spoken of: columns that drift, chunks that alert, signals that degrade. */
export const checkWording = (type: MonitorType): CheckWording => WORDING[type] ?? WORDING.data;
