import type { SortState } from '../run-columns.js';

interface Props {
  readonly column: string;
  readonly label: string;
  readonly sort: SortState | null;
  readonly onSort: (column: string) => void;
  readonly className?: string;
  readonly title?: string;
}

/** A column header that asks the server to order by `column` when clicked. */
export function SortHeader({ column, label, sort, onSort, className, title }: Props) {
  const active = sort?.column === column;
  const ariaSort = active ? (sort.desc ? 'descending' : 'ascending') : 'none';
  return (
    <th className={className} aria-sort={ariaSort} title={title ?? column}>
      <button type="button" className={active ? 'sort sort-active' : 'sort'} data-testid={`sort-${column}`} onClick={() => onSort(column)}>
        <span className="sort-label">{label}</span>
        <span className="sort-arrow" aria-hidden="true">
          {active ? (sort.desc ? '▼' : '▲') : '↕'}
        </span>
      </button>
    </th>
  );
}
