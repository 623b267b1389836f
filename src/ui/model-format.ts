/** Display helpers of the registry pages. Pure, so they run under node:test as well. */
import type { Approval, Dim } from '../sdk/registry-types.js';

export const modelPath = (name: string): string => `/models/${encodeURIComponent(name)}`;
export const versionPath = (name: string, version: string): string => `${modelPath(name)}/versions/${encodeURIComponent(version)}`;
export const runPath = (runId: string): string => `/runs/${encodeURIComponent(runId)}`;

/** A string literal of MLflow's filter grammar (a quote inside is doubled). */
export function filterString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * The server filter for what a user typed in the models filter box: an expression (`name LIKE 'a%'`,
 * `tags.team = 'risk'`) is sent as typed; plain words are a case-insensitive name substring.
 */
export function modelsFilter(input: string): string {
  const s = input.trim();
  if (s === '') return '';
  if (/[=<>]|\b(like|ilike)\b/i.test(s)) return s;
  return `name ILIKE ${filterString(`%${s}%`)}`;
}

/** The latest review of each version (by time, then id): what decides whether a protected alias may point at it. */
export function latestDecisions(approvals: readonly Approval[]): Map<string, Approval> {
  const out = new Map<string, Approval>();
  for (const a of approvals) {
    const seen = out.get(a.version);
    if (!seen || a.createdAt > seen.createdAt || (a.createdAt === seen.createdAt && a.id > seen.id)) out.set(a.version, a);
  }
  return out;
}

/** `[N, 3]`, `[?, 1]` for unknown sizes, `scalar` for `[]`, `?` when the rank is unknown. */
export function formatShape(shape: readonly Dim[] | null | undefined): string {
  if (shape === null || shape === undefined) return '?';
  if (shape.length === 0) return 'scalar';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** The first 12 hex digits of a digest: enough to tell files apart at a glance. */
export function shortSha(sha: string): string {
  return sha.length > 12 ? sha.slice(0, 12) : sha;
}

/** `1.2B`, `15.2M`, `260K`: parameter counts. */
export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, unit] of units) if (Math.abs(n) >= size) return `${Number((n / size).toPrecision(3))}${unit}`;
  return String(n);
}

/** Scale of an evaluation-score bar: scores in [0, 1] against 1, others against the largest magnitude. */
export function scoreScale(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return 1;
  if (finite.every((v) => v >= 0 && v <= 1)) return 1;
  return Math.max(...finite.map((v) => Math.abs(v))) || 1;
}
