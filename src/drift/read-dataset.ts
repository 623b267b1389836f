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
  let total: number;
  try {
    total = statSync(file).size;
  } catch (e) {
    throw new DatasetError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    return await readDatasetText(stream as AsyncIterable<string>, { name: file, total, format: opts.format ?? formatOf(file), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  } finally {
    stream.destroy();
  }
}

/** Reads a dataset from text chunks (a file, an artifact, an upload); errors name it `name`. */
export async function readDatasetText(
  chunks: AsyncIterable<string> | Iterable<string>,
  opts: { name: string; format: DatasetFormat; total?: number; onProgress?: (done: number, total: number) => void },
): Promise<Dataset> {
  const { name: file, format } = opts;
  const total = opts.total ?? 0;
  const b = new DatasetBuilder();
  let done = 0;
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
      for await (const chunk of chunks) {
        csv.push(chunk, add);
        done += Buffer.byteLength(chunk);
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
      for await (const chunk of chunks) {
        const lines = (carry + chunk).split('\n');
        carry = lines.pop()!;
        for (const l of lines) addLine(l);
        done += Buffer.byteLength(chunk);
        opts.onProgress?.(done, total);
      }
      addLine(carry);
    }
  } catch (e) {
    if (e instanceof CsvError) throw new DatasetError(`${file}: ${e.message}`);
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(`${file}: ${(e as Error).message}`);
  }
  return b.finish();
}
