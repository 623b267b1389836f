/** A CSV syntax error, worded for people (the line it is on, what was wrong). */
export class CsvError extends Error {}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits CSV text into records of fields, fed in chunks (a file read as a stream): RFC 4180 quoting (`"a, b"`, `""` for
 * a quote, line breaks inside quotes), LF / CRLF / CR line ends, a leading BOM dropped, lines with no characters at
 * all skipped (pandas' `skip_blank_lines`). Quoted empty and unquoted empty fields both give ''. A record cut by the
 * end of a chunk is kept and parsed again with the next one, so a chunk boundary never changes the result.
 */
export class CsvRecords {
  private carry = '';
  private line = 1;
  private started = false;

  /** Parses what `chunk` completes, calling `onRecord` for each record with the line it starts on. */
  push(chunk: string, onRecord: (fields: string[], line: number) => void): void {
    this.parse(this.carry + chunk, false, onRecord);
  }

  /** Parses what is left (the last record may lack its line end). */
  end(onRecord: (fields: string[], line: number) => void): void {
    this.parse(this.carry, true, onRecord);
    this.carry = '';
  }

  private parse(buf: string, final: boolean, onRecord: (fields: string[], line: number) => void): void {
    let i = 0;
    if (!this.started && buf.length > 0) {
      this.started = true;
      if (buf.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = buf.length;
    let line = this.line;
    outer: while (i < n) {
      const recordStart = i;
      const recordLine = line;
      const fields: string[] = [];
      for (;;) {
        if (buf.charCodeAt(i) === QUOTE && i < n) {
          // A quoted field: runs to the closing quote; "" is a quote.
          let j = i + 1;
          let close = -1;
          let doubled = false;
          for (;;) {
            const k = buf.indexOf('"', j);
            if (k < 0) break;
            if (buf.charCodeAt(k + 1) === QUOTE) {
              doubled = true;
              j = k + 2;
              continue;
            }
            // A quote that ends the buffer may be the first of a "" split across chunks.
            if (k + 1 >= n && !final) break;
            close = k;
            break;
          }
          if (close < 0) {
            if (final) throw new CsvError(`unterminated quoted field starting on line ${line}`);
            this.keep(buf, recordStart, recordLine);
            return;
          }
          const raw = buf.slice(i + 1, close);
          for (let p = raw.indexOf('\n'); p >= 0; p = raw.indexOf('\n', p + 1)) line++;
          for (let p = raw.indexOf('\r'); p >= 0; p = raw.indexOf('\r', p + 1)) if (raw.charCodeAt(p + 1) !== LF) line++;
          fields.push(doubled ? raw.replaceAll('""', '"') : raw);
          i = close + 1;
          if (i < n) {
            const after = buf.charCodeAt(i);
            if (after !== COMMA && after !== LF && after !== CR) throw new CsvError(`unexpected character after a closing quote on line ${line}`);
          }
        } else {
          let j = i;
          while (j < n) {
            const c = buf.charCodeAt(j);
            if (c === COMMA || c === LF || c === CR) break;
            j++;
          }
          if (j >= n && !final) {
            this.keep(buf, recordStart, recordLine);
            return;
          }
          fields.push(buf.slice(i, j));
          i = j;
        }
        if (i >= n) {
          if (!final) {
            this.keep(buf, recordStart, recordLine);
            return;
          }
          // The last record, without a line end.
          onRecord(fields, recordLine);
          break outer;
        }
        const c = buf.charCodeAt(i);
        if (c === COMMA) {
          i++;
          if (i >= n) {
            if (!final) {
              this.keep(buf, recordStart, recordLine);
              return;
            }
            fields.push('');
            onRecord(fields, recordLine);
            break outer;
          }
          continue;
        }
        // A line end: CR LF may be split across chunks.
        if (c === CR && i + 1 >= n && !final) {
          this.keep(buf, recordStart, recordLine);
          return;
        }
        const blank = i === recordStart;
        i += c === CR && buf.charCodeAt(i + 1) === LF ? 2 : 1;
        line++;
        if (!blank) onRecord(fields, recordLine);
        break;
      }
    }
    this.carry = '';
    this.line = line;
  }

  private keep(buf: string, from: number, line: number): void {
    this.carry = buf.slice(from);
    this.line = line;
  }
}

/** All records of a whole CSV text. */
export function csvRecords(text: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const add = (fields: string[], line: number) => void out.push({ fields, line });
  const parser = new CsvRecords();
  parser.push(text, add);
  parser.end(add);
  return out;
}

/** Column names from a header row as pandas names them: an empty one is `Unnamed: <i>`, a repeated one `a.1`, `a.2`. */
export function csvHeaderNames(fields: string[]): string[] {
  const seen = new Map<string, number>();
  return fields.map((raw, j) => {
    const name = raw === '' ? `Unnamed: ${j}` : raw;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return n === 0 ? name : `${name}.${n}`;
  });
}
