import type { Histogram } from '../serving/histogram.js';

export type Labels = Record<string, string>;

/** A number as the Prometheus text format writes it. */
function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Label values escape backslash, double quote and newline. */
const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function labelText(labels: Labels, extra?: [string, string]): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/**
 * The Prometheus text exposition format (version 0.0.4), written family by family: one `# HELP` and `# TYPE` per
 * metric name, then its samples. A family with no samples is still declared, so dashboards find every name.
 */
export class Exposition {
  private readonly lines: string[] = [];

  private head(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): void {
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
  }

  counter(name: string, help: string, samples: Iterable<[Labels, number]>): this {
    this.head(name, 'counter', help);
    for (const [l, v] of samples) this.lines.push(`${name}${labelText(l)} ${num(v)}`);
    return this;
  }

  gauge(name: string, help: string, samples: Iterable<[Labels, number]>): this {
    this.head(name, 'gauge', help);
    for (const [l, v] of samples) this.lines.push(`${name}${labelText(l)} ${num(v)}`);
    return this;
  }

  /** Cumulative `_bucket{le=…}` counts, `_sum` and `_count` from each `Histogram`. */
  histogram(name: string, help: string, samples: Iterable<[Labels, Histogram]>): this {
    this.head(name, 'histogram', help);
    for (const [l, h] of samples) {
      let acc = 0;
      h.bounds.forEach((b, i) => {
        acc += h.counts[i]!;
        this.lines.push(`${name}_bucket${labelText(l, ['le', num(b)])} ${acc}`);
      });
      this.lines.push(`${name}_bucket${labelText(l, ['le', '+Inf'])} ${h.count}`, `${name}_sum${labelText(l)} ${num(h.sum)}`, `${name}_count${labelText(l)} ${h.count}`);
    }
    return this;
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** The exposition format's content type. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
