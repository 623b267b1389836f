/**
 * How the artifact browser previews a file: by kind (from the name), from at most the first PREVIEW_BYTES of it.
 * Pure (web streams and TextDecoder only), so node:test checks it.
 */
import type { ArtifactFile } from '../sdk/registry-types.js';

/** Bytes read for a text, CSV or JSON preview; the rest of the file is never fetched. */
export const PREVIEW_BYTES = 64 * 1024;
/** Rows shown of a CSV. */
export const CSV_ROWS = 100;
/** Images above this size get a download link rather than an <img>. */
export const IMAGE_MAX_BYTES = 20 * 1024 * 1024;

export type PreviewKind = 'text' | 'csv' | 'json' | 'image' | 'binary' | 'unknown';

const TEXT = new Set([
  'txt', 'log', 'md', 'markdown', 'rst', 'py', 'ipynb', 'r', 'sql', 'sh', 'bash', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf',
  'env', 'xml', 'html', 'htm', 'css', 'js', 'mjs', 'ts', 'tsx', 'jsx', 'go', 'rs', 'java', 'c', 'h', 'cpp', 'hpp', 'proto',
  'jsonl', 'ndjson', 'diff', 'patch', 'properties', 'gitignore', 'dockerfile', 'tex', 'srt', 'vtt',
]);
const TEXT_NAMES = new Set(['mlmodel', 'dockerfile', 'makefile', 'license', 'readme', 'requirements', 'python_env', 'conda']);
const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'avif']);
const BINARY = new Set([
  'onnx', 'gguf', 'pkl', 'pickle', 'joblib', 'bin', 'pt', 'pth', 'ckpt', 'safetensors', 'h5', 'hdf5', 'keras', 'pb', 'tflite',
  'npy', 'npz', 'parquet', 'arrow', 'feather', 'avro', 'orc', 'zip', 'gz', 'tgz', 'tar', 'bz2', 'xz', 'zst', '7z', 'whl',
  'pdf', 'so', 'dll', 'dylib', 'exe', 'jar', 'class', 'wasm', 'db', 'sqlite', 'mp3', 'wav', 'flac', 'mp4', 'mov', 'webm',
]);

/** The file's extension, lower-case, without the dot ('' when none). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** What a file is, from its name alone. `unknown` files are sniffed from their first bytes (see `looksLikeText`). */
export function previewKind(path: string): PreviewKind {
  const ext = extensionOf(path);
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (ext === 'json' || ext === 'geojson') return 'json';
  if (IMAGE.has(ext)) return 'image';
  if (BINARY.has(ext)) return 'binary';
  if (TEXT.has(ext)) return 'text';
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase().replace(/\.[^.]*$/, '');
  if (TEXT_NAMES.has(base)) return 'text';
  return 'unknown';
}

/** True when the bytes look like text: no NUL, and at most a few control characters outside tab / CR / LF / FF. */
export function looksLikeText(bytes: Uint8Array): boolean {
  let control = 0;
  for (const b of bytes) {
    if (b === 0) return false;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control <= bytes.length / 100;
}

export interface Head {
  readonly bytes: Uint8Array;
  /** True when the file is longer than what was read. */
  readonly truncated: boolean;
}

/**
 * Reads at most `limit` bytes of a stream and cancels the rest, so a large file costs one chunk beyond the limit at
 * worst, never its whole length.
 */
export async function readHead(body: ReadableStream<Uint8Array>, limit = PREVIEW_BYTES): Promise<Head> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
      if (total > limit) {
        truncated = true;
        break;
      }
    }
  } finally {
    if (truncated) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  const bytes = new Uint8Array(Math.min(total, limit));
  let at = 0;
  for (const c of chunks) {
    const take = Math.min(c.byteLength, bytes.length - at);
    bytes.set(c.subarray(0, take), at);
    at += take;
    if (at >= bytes.length) break;
  }
  return { bytes, truncated };
}

/**
 * The text of a file's head. A head cut in the middle loses its last (partial) line, and a UTF-8 sequence split at
 * the cut is dropped rather than shown as a replacement character.
 */
export function headText(head: Head): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.bytes, { stream: head.truncated });
  if (!head.truncated) return text;
  const nl = text.lastIndexOf('\n');
  return nl >= 0 ? text.slice(0, nl + 1) : text;
}

export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** More rows exist than are in `rows` (beyond the row limit or the bytes read). */
  readonly more: boolean;
}

/**
 * Parses CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes, CRLF) into a header and up to
 * `maxRows` rows. `complete` says whether `text` is the whole file; when it is not, a final record that may be cut
 * short is left out.
 */
export function parseCsv(text: string, opts: { delimiter?: string; maxRows?: number; complete?: boolean } = {}): CsvTable {
  const delimiter = opts.delimiter ?? ',';
  const maxRows = opts.maxRows ?? CSV_ROWS;
  const complete = opts.complete ?? true;
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRecord = () => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  while (i < s.length && records.length <= maxRows + 1) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && s[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  const stoppedEarly = i < s.length;
  if (!stoppedEarly && (field !== '' || record.length > 0)) {
    if (complete && !quoted) endRecord();
  }
  const [header = [], ...rows] = records;
  return { header, rows: rows.slice(0, maxRows), more: rows.length > maxRows || stoppedEarly || !complete };
}

/** Pretty-printed JSON, or null when the text is not JSON. */
export function prettyJson(text: string): string | null {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

/** `0 B`, `812 B`, `1.5 KiB`, `12 MiB`, `3.2 GiB`. */
export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : Number(v.toFixed(1))} ${units[u]}`;
}

/** Directories first, then files, each by name (numbers in names compare as numbers: `step-2` before `step-10`). */
export function sortArtifacts(files: readonly ArtifactFile[]): ArtifactFile[] {
  return [...files].sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.name.localeCompare(b.name, undefined, { numeric: true }));
}

/** `a/b/c.txt` → `['a', 'a/b']`: the directories to open so that a file selected from the URL is visible. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
