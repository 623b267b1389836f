/** Display helpers shared by the pages. Pure, so they run under node:test as well. */

export function formatTime(ms: number | string | null | undefined): string {
  if (ms === null || ms === undefined || ms === '') return '—';
  const n = Number(ms);
  if (!Number.isFinite(n) || n <= 0) return '—';
  const d = new Date(n);
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `1h 02m`, `3m 05s`, `4.2s`, `120ms`; `—` when the run has no end yet and is not running. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Duration of a run: end − start, or now − start while it is still running. */
export function runDuration(start: number | string | undefined, end: number | string | undefined | null, status: string): number | null {
  const s = Number(start);
  if (!Number.isFinite(s) || s <= 0) return null;
  const e = end === undefined || end === null || end === '' ? NaN : Number(end);
  if (Number.isFinite(e) && e > 0) return e - s;
  return status === 'RUNNING' ? Date.now() - s : null;
}

/** Metric values: up to 5 significant digits, exponent form for very small or very large values. */
export function formatValue(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return '';
  const n = typeof v === 'number' ? v : Number(v);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
  if (Number.isInteger(n) && Math.abs(n) < 1e9) return String(n);
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return n.toExponential(3);
  return String(Number(n.toPrecision(5)));
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

/** Step-axis ticks: `500`, `12.5K`, `1M`. */
export function formatStep(step: number): string {
  return Math.abs(step) >= 10_000 ? compact.format(step) : String(step);
}
