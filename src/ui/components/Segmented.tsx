export interface SegmentedOption<T extends string> {
  readonly value: T;
  readonly label: string;
}

/** A row of toggle buttons of which one is on: a time range, a filter. Each button's test id is `{testId}-{value}`. */
export function Segmented<T extends string>({ options, value, onChange, label, testId }: { options: readonly SegmentedOption<T>[]; value: T; onChange: (v: T) => void; label: string; testId: string }) {
  return (
    <span className="segmented" role="group" aria-label={label} data-testid={testId}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          className={o.value === value ? 'segment active' : 'segment'}
          aria-pressed={o.value === value}
          data-testid={`${testId}-${o.value}`}
          onClick={() => o.value !== value && onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </span>
  );
}
