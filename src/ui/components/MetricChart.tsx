import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartData } from '../chart-data.js';
import { formatStep, formatValue } from '../format.js';
import { withAlpha } from '../palette.js';
import { ChartLegend } from './ChartLegend.js';

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
}

interface Props {
  /** One entry per curve, in the order of `data.raw`. */
  readonly series: readonly ChartSeries[];
  readonly data: ChartData;
  readonly logScale: boolean;
  readonly height?: number;
  /** The user dragged across [start, end] on the step axis. */
  readonly onZoom: (startStep: number, endStep: number) => void;
  /** The user double-clicked the plot. */
  readonly onReset: () => void;
}

const AXIS = { stroke: '#5b6472', grid: { stroke: '#eceff3', width: 1 }, ticks: { stroke: '#d8dde4', width: 1 } };

/**
 * A uPlot line chart over steps: one curve per series, drawn faint raw + solid smoothed when `data.smoothed` is set.
 * Drag selects a step range (reported through `onZoom`; the owner re-fetches that range), double-click resets.
 * The chart is rebuilt when its inputs change, which costs a few milliseconds for ≤ 1000 points per curve.
 */
export function MetricChart({ series, data, logScale, height = 240, onZoom, onReset }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onZoom, onReset });
  callbacks.current = { onZoom, onReset };
  const [hoverIdx, setHoverIdx] = useState<number | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el || data.steps.length === 0) return;
    const smoothed = data.smoothed;
    const columns: uPlot.AlignedData = [data.steps];
    const uSeries: uPlot.Series[] = [{ label: 'step' }];
    // A line needs two points: a metric logged once (a final accuracy) is drawn as dots.
    const dots = { show: data.steps.length < 3, size: 7 };
    const first = data.steps[0] ?? 0;
    const oneStep = data.steps.every((x) => x === first) ? first : null;
    series.forEach((s, i) => {
      columns.push(data.raw[i] ?? []);
      uSeries.push({
        label: smoothed ? `${s.label} (raw)` : s.label,
        stroke: smoothed ? withAlpha(s.color, 0.28) : s.color,
        width: smoothed ? 1 : 1.5,
        points: smoothed ? { show: false } : dots,
      });
      if (smoothed) {
        columns.push(smoothed[i] ?? []);
        uSeries.push({ label: s.label, stroke: s.color, width: 1.75, points: dots });
      }
    });

    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height,
      legend: { show: false },
      // One step alone would sit on the chart's edge: centre it.
      scales: { x: oneStep === null ? { time: false } : { time: false, range: (): uPlot.Range.MinMax => [oneStep - 1, oneStep + 1] }, y: logScale ? { distr: 3, log: 10 } : { auto: true } },
      axes: [
        { ...AXIS, label: 'step', labelSize: 18, size: 36, values: (_u, splits) => splits.map((v) => formatStep(v)) },
        { ...AXIS, size: 64, values: (_u, splits) => splits.map((v) => formatValue(v)) },
      ],
      series: uSeries,
      cursor: {
        drag: { x: true, y: false, setScale: false },
        bind: {
          dblclick: () => () => {
            callbacks.current.onReset();
            return null;
          },
        },
      },
      hooks: {
        setSelect: [
          (u) => {
            const { left, width } = u.select;
            if (width < 3) return;
            const start = u.posToVal(left, 'x');
            const end = u.posToVal(left + width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            // Show the zoomed range right away; the owner then fetches it at full resolution.
            u.setScale('x', { min: start, max: end });
            callbacks.current.onZoom(Math.floor(start), Math.ceil(end));
          },
        ],
        setCursor: [(u) => setHoverIdx(u.cursor.idx ?? null)],
      },
    };
    const chart = new uPlot(opts, columns, el);
    const ro = new ResizeObserver(() => {
      const w = el.clientWidth;
      if (w > 0 && Math.abs(w - chart.width) > 1) chart.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.destroy();
    };
  }, [series, data, logScale, height]);

  if (data.steps.length === 0) {
    return (
      <div className="chart-empty" style={{ height }} data-testid="metric-chart-empty">
        No points in this range
      </div>
    );
  }
  return (
    <div className="chart">
      <div ref={host} className="chart-canvas" data-testid="metric-chart" title="Drag to zoom · double-click to reset" />
      <ChartLegend series={series} data={data} hoverIdx={hoverIdx} />
    </div>
  );
}
