interface Props {
  readonly logScale: boolean;
  readonly onLogScale: (on: boolean) => void;
  readonly smoothing: number;
  readonly onSmoothing: (weight: number) => void;
  readonly zoomed: boolean;
  readonly onReset: () => void;
}

/** Log-scale toggle, EMA smoothing slider (0–0.99, like TensorBoard's) and a reset-zoom button. */
export function ChartControls({ logScale, onLogScale, smoothing, onSmoothing, zoomed, onReset }: Props) {
  return (
    <div className="chart-controls">
      <label className="control" title="Logarithmic y axis; values ≤ 0 are hidden">
        <input type="checkbox" data-testid="log-toggle" checked={logScale} onChange={(e) => onLogScale(e.target.checked)} />
        Log y
      </label>
      <label className="control" title="Exponential moving average weight">
        Smoothing
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={smoothing}
          data-testid="smoothing-slider"
          onChange={(e) => onSmoothing(Number(e.target.value))}
        />
        <span className="control-value" data-testid="smoothing-value">
          {smoothing.toFixed(2)}
        </span>
      </label>
      {zoomed && (
        <button type="button" className="link-button" data-testid="reset-zoom" onClick={onReset}>
          Reset zoom
        </button>
      )}
    </div>
  );
}
