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

export class CsvError extends Error {}

/** Splits CSV text into records of fields (quoted empty and unquoted empty both give ''). */
function records(text: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let atRecordStart = true;
  const endRecord = () => {
    // A blank line (no characters at all) is skipped, as pandas' skip_blank_lines does.
    if (!(fields.length === 0 && field === '' && atRecordStart)) {
      fields.push(field);
      out.push({ fields, line: recordLine });
    }
    fields = [];
    field = '';
    atRecordStart = true;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === '' && (atRecordStart || text[i - 1] === ',')) {
      // A quoted field: runs to the closing quote; "" is a quote.
      const start = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvError(`unterminated quoted field starting on line ${start}`);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) line++;
        field += q;
        i++;
      }
      atRecordStart = false;
      const after = text[i];
      if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') throw new CsvError(`unexpected character after a closing quote on line ${line}`);
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      atRecordStart = false;
      i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (atRecordStart) recordLine = line;
    field += c;
    atRecordStart = false;
    i++;
  }
  if (!atRecordStart || field !== '' || fields.length > 0) endRecord();
  return out;
}

/** Reads CSV text with a header row. Throws {@link CsvError} with a message in pandas' terms. */
export function parseCsvTable(text: string): CsvTable {
  const recs = records(text);
  const head = recs[0];
  if (!head) throw new CsvError('No columns to parse from file');
  const seen = new Map<string, number>();
  const columns = head.fields.map((raw, j) => {
    const name = raw === '' ? `Unnamed: ${j}` : raw;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return n === 0 ? name : `${name}.${n}`;
  });
  const width = columns.length;
  const rows = recs.slice(1).map(({ fields, line }) => {
    if (fields.length > width) throw new CsvError(`Expected ${width} fields in line ${line}, saw ${fields.length}`);
    const row: (string | null)[] = fields.map((f) => (f === '' ? null : f));
    while (row.length < width) row.push(null);
    return row;
  });
  return { columns, rows };
}
