import { CsvError, csvHeaderNames, csvRecords } from '../../core/csv-records.js';

/**
 * A CSV reader for scoring bodies (`Content-Type: text/csv`), shaped like what `pandas.read_csv` makes of
 * `DataFrame.to_csv(index=False)` output: RFC 4180 quoting (`"a, b"`, `""` for a quote), LF / CRLF / CR line ends, a
 * leading BOM dropped, blank lines skipped, a header row, empty fields read as missing (`null`), short rows padded with
 * missing values, long rows refused, empty header names read as `Unnamed: <i>` and repeated ones renamed `a.1`, `a.2`
 * (pandas' `mangle_dupe_cols`). Iterative, one pass.
 */

export interface CsvTable {
  columns: string[];
  /** Row-major cells; `null` is an empty field. */
  rows: (string | null)[][];
}

export { CsvError };

/** Reads CSV text with a header row. Throws {@link CsvError} with a message in pandas' terms. */
export function parseCsvTable(text: string): CsvTable {
  const recs = csvRecords(text);
  const head = recs[0];
  if (!head) throw new CsvError('No columns to parse from file');
  const columns = csvHeaderNames(head.fields);
  const width = columns.length;
  const rows = recs.slice(1).map(({ fields, line }) => {
    if (fields.length > width) throw new CsvError(`Expected ${width} fields in line ${line}, saw ${fields.length}`);
    const row: (string | null)[] = fields.map((f) => (f === '' ? null : f));
    while (row.length < width) row.push(null);
    return row;
  });
  return { columns, rows };
}
