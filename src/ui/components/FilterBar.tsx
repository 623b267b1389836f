import { useEffect, useState } from 'react';

interface Props {
  /** The filter currently applied. */
  readonly value: string;
  readonly onApply: (filter: string) => void;
  readonly placeholder: string;
  readonly testId?: string;
}

/** A search-filter input in MLflow's grammar; Enter applies, Escape restores the applied filter. */
export function FilterBar({ value, onApply, placeholder, testId = 'filter-input' }: Props) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const dirty = draft.trim() !== value;
  return (
    <form
      className="filter-bar"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft.trim());
      }}
    >
      <input
        type="search"
        className="filter-input"
        data-testid={testId}
        value={draft}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-label="Filter"
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setDraft(value);
        }}
      />
      <button type="submit" className="button" disabled={!dirty}>
        Search
      </button>
      {value !== '' && (
        <button
          type="button"
          className="button button-quiet"
          onClick={() => {
            setDraft('');
            onApply('');
          }}
        >
          Clear
        </button>
      )}
    </form>
  );
}
