import { createReadStream, statSync } from 'node:fs';
import { CsvError, CsvRecords, csvHeaderNames } from '../core/csv-records.js';
import { type Dataset, DatasetBuilder } from './dataset.js';

export type DatasetFormat = 'csv' | 'jsonl';

/** A file the drift report cannot read: names the file, the line, and what is wrong. */
export class DatasetError extends Error {}

/** The format a file name says: `.jsonl` / `.ndjson` are JSON lines; anything else is read as CSV. */
export function formatOf(file: string): DatasetFormat {
  return /\.(jsonl|ndjson)(\.|$)/i.test(file) ? 'jsonl' : 'csv';
}

/**
 * Reads a CSV (with a header row) or JSON lines file into columns, streaming it in 1 MB chunks; `onProgress` hears the
 * bytes read so far and the file's size.
 */
export async function readDataset(file: string, opts: { format?: DatasetFormat; onProgress?: (done: number, total: number) => void } = {}): Promise<Dataset> {
  const format = opts.format ?? formatOf(file);
  let total: number;
  try {
    total = statSync(file).size;
  } catch (e) {
    throw new DatasetError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const b = new DatasetBuilder();
  let done = 0;
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    if (format === 'csv') {
      const csv = new CsvRecords();
      let header = true;
      const add = (fields: string[], line: number) => {
        if (header) {
          b.header(csvHeaderNames(fields));
          header = false;
          return;
        }
        if (fields.length > b.width) throw new DatasetError(`${file}: line ${line} has ${fields.length} fields, the header ${b.width}`);
        b.addFields(fields);
      };
      for await (const chunk of stream) {
        csv.push(chunk as string, add);
        done += Buffer.byteLength(chunk as string);
        opts.onProgress?.(done, total);
      }
      csv.end(add);
      if (header) throw new DatasetError(`${file}: empty file, no header row`);
    } else {
      let carry = '';
      let line = 0;
      const addLine = (raw: string) => {
        line++;
        const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
        if (text.trim() === '') return;
        let o: unknown;
        try {
          o = JSON.parse(text);
        } catch (e) {
          throw new DatasetError(`${file}: line ${line} is not JSON: ${(e as Error).message}`);
        }
        if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new DatasetError(`${file}: line ${line} is not a JSON object`);
        b.addObject(o as Record<string, unknown>);
      };
      for await (const chunk of stream) {
        const lines = (carry + (chunk as string)).split('\n');
        carry = lines.pop()!;
        for (const l of lines) addLine(l);
        done += Buffer.byteLength(chunk as string);
        opts.onProgress?.(done, total);
      }
      addLine(carry);
    }
  } catch (e) {
    stream.destroy();
    if (e instanceof CsvError) throw new DatasetError(`${file}: ${e.message}`);
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(`${file}: ${(e as Error).message}`);
  }
  return b.finish();
}
