import { useState, type MouseEvent } from 'react';
import { linePath, nearestIndex, niceScale, stepIndex, timeTicks } from '../chart-scale.js';
import { formatTime } from '../format.js';
import { useWidth } from '../hooks/useWidth.js';

export interface TimeSeriesLine {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  /** One value per step of `times`; null is a gap (no data), never drawn as 0. */
  readonly values: readonly (number | null)[];
  /** Points drawn as a marker as well (a drifted check), one flag per value. */
  readonly marks?: readonly boolean[];
}

interface Props {
  /**
   * Step start times (epoch ms), evenly `stepMs` apart; each value is drawn in the middle of its step. With `stepMs`
   * 0 they are points in time of their own (sorted, not evenly spaced: one per check), drawn where they are.
   */
  readonly times: readonly number[];
  readonly stepMs: number;
  /** The time axis. */
  readonly from: number;
  readonly to: number;
  readonly lines: readonly TimeSeriesLine[];
  /** Values on the axis and in the legend. */
  readonly format: (v: number) => string;
  /** The value axis reaches at least this (1 for shares), whatever the values. */
  readonly top?: number;
  /** A dashed horizontal line across the whole plot (a threshold), in the legend with its value. */
  readonly rule?: { readonly value: number; readonly label: string } | undefined;
  /** What the chart shows, for screen readers and tests (`data-metric`). */
  readonly name: string;
  readonly metric?: string;
  /** Shown instead of the plot: why there is nothing to draw. */
  readonly empty?: string | undefined;
  readonly height?: number;
  readonly testId?: string;
}

const M = { top: 10, right: 14, bottom: 24, left: 64 };
const DASH = '5 4';
const RULE_COLOR = '#8a94a3';

/** A legend swatch: a short line, dashed like the series. */
function LineSwatch({ color, dashed }: { color: string; dashed: boolean }) {
  return (
    <svg className="line-swatch" width={18} height={10} aria-hidden="true">
      <line x1={1} x2={17} y1={5} y2={5} stroke={color} strokeWidth={2} strokeDasharray={dashed ? '4 3' : undefined} />
    </svg>
  );
}

/**
 * A small SVG line chart over time: a value axis from 0, round local times underneath, one line per series (dashed
 * ones for a second quantity), gaps where a step has no value, and a dot for a value with no neighbour; optionally
 * marked points (drifted checks) and a dashed threshold across the plot. Hovering shows the step's values in the
 * legend. It fills its container's width.
 */
export function TimeSeriesChart({ times, stepMs, from, to, lines, format, top = 0, rule, name, metric, empty, height = 180, testId = 'ts-chart' }: Props) {
  const [host, width] = useWidth<HTMLDivElement>();
  const [hover, setHover] = useState<number | null>(null);

  const values = lines.flatMap((l) => l.values.filter((v): v is number => v !== null));
  const peak = values.length > 0 ? Math.max(...values) : 0;
  const note = empty ?? (values.length === 0 ? 'No data in this window' : undefined);
  const plotW = Math.max(10, width - M.left - M.right);
  const plotH = height - M.top - M.bottom;
  const scale = niceScale(Math.max(peak, top, rule?.value ?? 0));
  const span = Math.max(1, to - from);
  const x = (t: number) => M.left + ((t - from) / span) * plotW;
  const y = (v: number) => M.top + plotH - (v / scale.max) * plotH;
  const mid = (i: number) => x(times[i]! + stepMs / 2);
  const ticks = timeTicks(from, to, Math.max(2, Math.floor(plotW / 70)), -new Date(from).getTimezoneOffset());
  const hovered = hover !== null && hover >= 0 && hover < times.length ? hover : null;

  const onMove = (e: MouseEvent<SVGSVGElement>) => {
    const px = e.clientX - e.currentTarget.getBoundingClientRect().left;
    if (px < M.left || px > M.left + plotW || times.length === 0) return setHover(null);
    const t = from + ((px - M.left) / plotW) * span;
    setHover(stepMs > 0 ? stepIndex(t, times[0]!, stepMs, times.length) : nearestIndex(t, times));
  };

  return (
    <div className="ts-chart" ref={host} data-testid={testId} data-metric={metric} data-peak={peak} data-points={values.length}>
      {note !== undefined ? (
        <div className="chart-empty ts-empty" style={{ height }} data-testid="ts-chart-empty">
          {note}
        </div>
      ) : (
        width > 0 && (
          <svg width={width} height={height} role="img" aria-label={name} onMouseMove={onMove} onMouseLeave={() => setHover(null)}>
            {scale.ticks.map((v) => (
              <g key={v}>
                <line className="ts-grid" x1={M.left} x2={M.left + plotW} y1={y(v)} y2={y(v)} />
                <text className="ts-tick" x={M.left - 6} y={y(v) + 4} textAnchor="end">
                  {format(v)}
                </text>
              </g>
            ))}
            {ticks.map((t) => (
              <text key={t.time} className="ts-tick" x={x(t.time)} y={height - 6} textAnchor="middle">
                {t.label}
              </text>
            ))}
            <line className="ts-axis" x1={M.left} x2={M.left + plotW} y1={M.top + plotH} y2={M.top + plotH} />
            {rule && <line className="ts-rule" data-testid="chart-rule" data-value={rule.value} x1={M.left} x2={M.left + plotW} y1={y(rule.value)} y2={y(rule.value)} stroke={RULE_COLOR} strokeDasharray={DASH} />}
            {hovered !== null && <line className="ts-cursor" x1={mid(hovered)} x2={mid(hovered)} y1={M.top} y2={M.top + plotH} />}
            {lines.map((l) => {
              const { d, dots } = linePath(l.values.map((v, i) => (v === null ? null : { x: mid(i), y: y(v) })));
              const at = hovered === null ? null : l.values[hovered];
              return (
                <g key={l.key} data-testid="chart-line" data-series={l.label}>
                  {d && <path d={d} fill="none" stroke={l.color} strokeWidth={1.75} strokeDasharray={l.dashed ? DASH : undefined} strokeLinejoin="round" />}
                  {dots.map((p) => (
                    <circle key={p.x} cx={p.x} cy={p.y} r={2.5} fill={l.color} />
                  ))}
                  {l.marks?.map((m, i) => {
                    const v = l.values[i];
                    return m && v !== null && v !== undefined ? <circle key={`m${i}`} className="ts-mark" data-testid="chart-mark" cx={mid(i)} cy={y(v)} r={4} /> : null;
                  })}
                  {at !== null && at !== undefined && hovered !== null && <circle className="ts-hover-dot" cx={mid(hovered)} cy={y(at)} r={3.5} stroke={l.color} />}
                </g>
              );
            })}
          </svg>
        )
      )}
      {note === undefined && (
        <div className="chart-legend" data-testid="ts-legend">
          <span className="legend-step">{hovered !== null ? formatTime(times[hovered]) : 'hover for values'}</span>
          {lines.map((l) => {
            const v = hovered === null ? undefined : l.values[hovered];
            return (
              <span key={l.key} className="legend-item" data-testid="ts-legend-item">
                <LineSwatch color={l.color} dashed={l.dashed === true} />
                <span className="legend-label">{l.label}</span>
                {v !== undefined && <span className="legend-value">{v === null ? '—' : format(v)}</span>}
              </span>
            );
          })}
          {rule && (
            <span className="legend-item" data-testid="ts-legend-item">
              <LineSwatch color={RULE_COLOR} dashed />
              <span className="legend-label">{rule.label}</span>
              <span className="legend-value">{format(rule.value)}</span>
            </span>
          )}
        </div>
      )}
    </div>
  );
}
