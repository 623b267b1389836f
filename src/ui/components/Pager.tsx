interface Props {
  readonly page: number;
  readonly hasPrev: boolean;
  readonly hasNext: boolean;
  readonly onPrev: () => void;
  readonly onNext: () => void;
  readonly summary?: string;
}

/** Previous / next over server pages (page tokens); the server does not count, so there is no "page N of M". */
export function Pager({ page, hasPrev, hasNext, onPrev, onNext, summary }: Props) {
  return (
    <div className="pager" data-testid="pager">
      <button type="button" className="button" disabled={!hasPrev} onClick={onPrev} data-testid="prev-page">
        ← Previous
      </button>
      <span className="pager-label" data-testid="page-label">
        Page {page + 1}
        {summary ? ` · ${summary}` : ''}
      </span>
      <button type="button" className="button" disabled={!hasNext} onClick={onNext} data-testid="next-page">
        Next →
      </button>
    </div>
  );
}
