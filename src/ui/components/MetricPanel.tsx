import { useMemo, useRef, useState } from 'react';
import type { MetricCurve } from '../../sdk/types.js';
import { buildChartData } from '../chart-data.js';
import { useInView } from '../hooks/useInView.js';
import { useMetricCurves, type StepRange } from '../hooks/useMetricCurves.js';
import { ChartControls } from './ChartControls.js';
import { ErrorMessage } from './ErrorMessage.js';
import { MetricChart, type ChartSeries } from './MetricChart.js';
import { Spinner } from './Spinner.js';

export interface PanelRun {
  readonly runId: string;
  readonly label: string;
  readonly color: string;
}

interface Props {
  readonly metricKey: string;
  /** Stable (memoised) list of runs to overlay. */
  readonly runs: readonly PanelRun[];
}

const CHART_HEIGHT = 240;

/** A card with one metric's chart and its controls. The chart loads when the card scrolls near the viewport. */
export function MetricPanel({ metricKey, runs }: Props) {
  const ref = useRef<HTMLElement>(null);
  const visible = useInView(ref);
  return (
    <section ref={ref} className="card metric-panel" data-testid="metric-panel" data-metric={metricKey}>
      <h3 className="metric-title">{metricKey}</h3>
      {visible ? <MetricPanelBody metricKey={metricKey} runs={runs} /> : <div style={{ height: CHART_HEIGHT + 60 }} />}
    </section>
  );
}

function MetricPanelBody({ metricKey, runs }: Props) {
  const [range, setRange] = useState<StepRange | null>(null);
  const [logScale, setLogScale] = useState(false);
  const [smoothing, setSmoothing] = useState(0);
  const curves = useMetricCurves(
    runs.map((r) => r.runId),
    metricKey,
    range,
  );

  const loaded = curves.data;
  const present = useMemo(() => {
    const out: { run: PanelRun; curve: MetricCurve }[] = [];
    runs.forEach((run, i) => {
      const curve = loaded?.[i];
      if (curve) out.push({ run, curve });
    });
    return out;
  }, [runs, loaded]);
  const series = useMemo<ChartSeries[]>(() => present.map((p) => ({ label: p.run.label, color: p.run.color })), [present]);
  const data = useMemo(
    () => buildChartData(present.map((p) => p.curve), { smoothing, logScale }),
    [present, smoothing, logScale],
  );

  const reset = () => setRange(null);
  return (
    <>
      <ChartControls
        logScale={logScale}
        onLogScale={setLogScale}
        smoothing={smoothing}
        onSmoothing={setSmoothing}
        zoomed={range !== null}
        onReset={reset}
      />
      <div className="chart-area">
        {curves.error !== undefined && !loaded ? (
          <ErrorMessage error={curves.error} onRetry={curves.reload} />
        ) : !loaded ? (
          <div className="chart-placeholder" style={{ height: CHART_HEIGHT }}>
            <Spinner />
          </div>
        ) : (
          <MetricChart
            series={series}
            data={data}
            logScale={logScale}
            height={CHART_HEIGHT}
            onZoom={(start, end) => setRange({ start, end })}
            onReset={reset}
          />
        )}
        {curves.loading && loaded && (
          <div className="chart-loading">
            <Spinner inline label="" />
          </div>
        )}
      </div>
      <CurveInfo present={present} range={range} hiddenNonPositive={data.hiddenNonPositive} />
    </>
  );
}

/** What the chart shows: recorded points vs drawn points, and whether the server downsampled. */
function CurveInfo({
  present,
  range,
  hiddenNonPositive,
}: {
  present: readonly { run: PanelRun; curve: MetricCurve }[];
  range: StepRange | null;
  hiddenNonPositive: number;
}) {
  const fmt = (n: number) => n.toLocaleString('en-US');
  return (
    <div className="curve-info" data-testid="curve-info">
      {range && (
        <div>
          Zoomed to steps {fmt(range.start)}–{fmt(range.end)} · double-click to reset
        </div>
      )}
      {present.map(({ run, curve }) => (
        <div key={run.runId} data-testid="curve-total">
          {present.length > 1 && (
            <>
              <span className="legend-swatch" style={{ background: run.color }} /> {run.label}:{' '}
            </>
          )}
          <span data-testid="curve-total-value">{fmt(curve.total)}</span> points
          {curve.min_step !== null && curve.max_step !== null && ` (steps ${fmt(curve.min_step)}–${fmt(curve.max_step)})`}
          {curve.downsampled ? (
            <span className="downsampled" data-testid="downsampled">
              {' '}
              · downsampled to {fmt(curve.points.length)}
            </span>
          ) : (
            ' · all points shown'
          )}
        </div>
      ))}
      {hiddenNonPositive > 0 && <div className="muted">{fmt(hiddenNonPositive)} values ≤ 0 hidden on the log scale</div>}
    </div>
  );
}
