interface Props {
  readonly rows: readonly { readonly key: string; readonly value: string }[];
  readonly testId: string;
  readonly empty: string;
}

/** A two-column key / value table, sorted by key. */
export function KeyValueTable({ rows, testId, empty }: Props) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  const sorted = [...rows].sort((a, b) => a.key.localeCompare(b.key, undefined, { numeric: true }));
  return (
    <table className="table kv-table" data-testid={testId}>
      <tbody>
        {sorted.map((r) => (
          <tr key={r.key} data-testid={`${testId}-row`}>
            <th scope="row">{r.key}</th>
            <td className="kv-value">{r.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
