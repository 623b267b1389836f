import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvError, CsvRecords, csvRecords } from './csv-records.js';

const fields = (text: string) => csvRecords(text).map((r) => r.fields);

describe('CSV records', () => {
  it('reads quoting, doubled quotes, line breaks in quotes, CRLF / CR ends, a BOM, blank lines', () => {
    assert.deepEqual(fields('\uFEFFa,b\r\n1,"x, y"\n\n2,"say ""hi"""\r3,"two\nlines"\n'), [['a', 'b'], ['1', 'x, y'], ['2', 'say "hi"'], ['3', 'two\nlines']]);
    assert.deepEqual(fields('a,b\n,\n"",x'), [['a', 'b'], ['', ''], ['', 'x']]);
    assert.deepEqual(
      csvRecords('a\n"x\ny"\nz').map((r) => r.line),
      [1, 2, 4],
    );
  });

  it('refuses an unterminated quote and text after a closing quote, naming the line', () => {
    assert.throws(() => fields('a\n1\n"open'), (e: unknown) => e instanceof CsvError && /line 3/.test(e.message));
    assert.throws(() => fields('a\n"x"y'), (e: unknown) => e instanceof CsvError && /after a closing quote on line 2/.test(e.message));
  });

  it('gives the same records however the text is cut into chunks', () => {
    const text = 'id,name,note\r\n1,"Smith, J","said ""no""\nthen left"\n2,,\r\n\n3,Ann,"x"\r4,"",end';
    const whole = csvRecords(text);
    for (let a = 0; a <= text.length; a++) {
      for (let b = a; b <= text.length; b += 3) {
        const out: { fields: string[]; line: number }[] = [];
        const add = (f: string[], line: number) => void out.push({ fields: f, line });
        const p = new CsvRecords();
        p.push(text.slice(0, a), add);
        p.push(text.slice(a, b), add);
        p.push(text.slice(b), add);
        p.end(add);
        assert.deepEqual(out, whole, `cut at ${a} and ${b}`);
      }
    }
  });
});
