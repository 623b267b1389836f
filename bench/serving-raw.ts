// Serving, raw side: how many items/s onnxruntime gives in-process, per batch size and thread count. The HTTP serving
// bench imports `rawThroughput` and the input makers and prints its figures as ratios of this ceiling.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Ort from 'onnxruntime-node';
import type { Tensor } from '../src/serving/engine.js';
import { OnnxEngine } from '../src/serving/onnx/onnx-engine.js';
import { prng } from '../src/core/testing/prng.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHARED = path.resolve(here, '../../shared');

/** The made-up MLP (test/fixtures/models/mlp): `features` FP32 [-1,256] → `logits` FP32 [-1,10]. */
export const MLP_MODEL = path.resolve(here, '../test/fixtures/models/mlp/mlp.onnx');
/** skl2onnx's Titanic pipeline: five [-1,1] inputs → `label` INT64 [-1], `probabilities` FP32 [-1,2]. */
export const TITANIC_MODEL = path.join(SHARED, 'models/sklearn-titanic/pipeline_titanic_nozipmap.onnx');
const TITANIC_CSV = path.join(SHARED, 'data/titanic-sample/small_titanic.csv');

export const RAW_BATCHES = [1, 8, 16, 32, 64, 128, 256];
export const RAW_THREADS = [1, 2];

/** Makes the inputs of one request of `batch` rows. Called once per batch size, outside the timed loop. */
export type MakeInputs = (batch: number) => Tensor[];

export interface RawOptions {
  /** Batch sizes to time; default {@link RAW_BATCHES}. */
  batches?: number[];
  /** intraOpNumThreads values to time; default {@link RAW_THREADS}. */
  threads?: number[];
  /** Timed seconds per (batch, threads, path), split into 5 interleaved windows whose median counts; default 1.5. */
  seconds?: number;
  /** Untimed warm-up seconds before each timing; default 0.3. */
  warmupSeconds?: number;
  /** Also time bare `session.run` on prebuilt ort tensors (no conversion); default true. */
  compareOrt?: boolean;
  /** Prints the table under this title; nothing is printed without it. */
  title?: string;
}

/** One configuration: rows (items) per second through `OnnxEngine.infer`. */
export interface RawPoint {
  batch: number;
  threads: number;
  itemsPerSec: number;
}

export interface RawRow extends RawPoint {
  /** Time of one `OnnxEngine.infer` call (from the median rate). */
  msPerBatch: number;
  /** Items/s of bare `session.run` on prebuilt ort tensors; NaN when not measured. */
  ortItemsPerSec: number;
}

/** The best configuration through `OnnxEngine` (tensor conversion included), and every row measured. */
export interface RawThroughput extends RawPoint {
  rows: RawRow[];
}

// ---------------------------------------------------------------------------------------------------------------
// Input makers

/** MLP requests: `batch` rows of 256 values uniform in [-1, 1), the same for the same batch size. */
export const mlpInputs: MakeInputs = (batch) => {
  const r = prng(0x5eed + batch);
  return [{ name: 'features', datatype: 'FP32', shape: [batch, 256], data: Array.from({ length: batch * 256 }, () => r() * 2 - 1) }];
};

/** Fields of one CSV line; fields may be double-quoted with commas and "" inside. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out;
}

interface Passenger {
  pclass: number;
  sex: string;
  age: number;
  fare: number;
  embarked: string;
}

let passengers: Passenger[] | undefined;

/**
 * The 38 real passengers of shared/data/titanic-sample, less the 2 without an age: the model would impute a NaN age,
 * but NaN has no JSON form, and the HTTP bench sends these same inputs as JSON. An empty `embarked` becomes `missing`
 * (the value skl2onnx's example used); the file has none.
 */
function titanicRows(): Passenger[] {
  if (passengers) return passengers;
  const [header, ...lines] = readFileSync(TITANIC_CSV, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const cols = csvFields(header!);
  const col = (f: string[], name: string) => f[cols.indexOf(name)] ?? '';
  passengers = lines
    .map(csvFields)
    .filter((f) => col(f, 'age') !== '' && col(f, 'fare') !== '')
    .map((f) => ({ pclass: Number(col(f, 'pclass')), sex: col(f, 'sex'), age: Number(col(f, 'age')), fare: Number(col(f, 'fare')), embarked: col(f, 'embarked') || 'missing' }));
  if (passengers.length === 0) throw new Error(`no usable rows in ${TITANIC_CSV}`);
  return passengers;
}

/** Titanic requests: `batch` passengers drawn (seeded, with replacement) from the real sample rows. */
export const titanicInputs: MakeInputs = (batch) => {
  const pool = titanicRows();
  const r = prng(0x717a + batch);
  const rows = Array.from({ length: batch }, () => pool[Math.floor(r() * pool.length)]!);
  const shape = [batch, 1];
  return [
    { name: 'pclass', datatype: 'INT64', shape, data: rows.map((p) => p.pclass) },
    { name: 'sex', datatype: 'BYTES', shape, data: rows.map((p) => p.sex) },
    { name: 'age', datatype: 'FP32', shape, data: rows.map((p) => p.age) },
    { name: 'fare', datatype: 'FP32', shape, data: rows.map((p) => p.fare) },
    { name: 'embarked', datatype: 'BYTES', shape, data: rows.map((p) => p.embarked) },
  ];
};

// ---------------------------------------------------------------------------------------------------------------
// Timing

type OrtModule = typeof Ort;
const loadOrt = async (): Promise<OrtModule> => {
  const m = await import('onnxruntime-node');
  return ((m as unknown as { default?: OrtModule }).default ?? m) as OrtModule;
};

/** Our Tensor as an ort tensor, built once before timing: the "no conversion" baseline. */
function ortTensor(ort: OrtModule, t: Tensor): Ort.Tensor {
  switch (t.datatype) {
    case 'BYTES':
      return new ort.Tensor('string', t.data as string[], t.shape);
    case 'INT64':
      return new ort.Tensor('int64', BigInt64Array.from(t.data as number[], (v) => BigInt(v)), t.shape);
    case 'FP32':
      return new ort.Tensor('float32', Float32Array.from(t.data as number[]), t.shape);
    case 'FP64':
      return new ort.Tensor('float64', Float64Array.from(t.data as number[]), t.shape);
    case 'INT32':
      return new ort.Tensor('int32', Int32Array.from(t.data as number[]), t.shape);
    case 'BOOL':
      return new ort.Tensor('bool', Uint8Array.from(t.data as boolean[], (b) => (b ? 1 : 0)), t.shape);
    default:
      throw new Error(`serving-raw: no baseline conversion for ${t.datatype}`);
  }
}

/** Calls `fn` back to back for `seconds`; the calls per second. */
async function callsPerSec(fn: () => Promise<unknown>, seconds: number): Promise<number> {
  let calls = 0;
  const t = performance.now();
  let elapsed = 0;
  do {
    await fn();
    calls++;
    elapsed = performance.now() - t;
  } while (elapsed < seconds * 1000);
  return (calls * 1000) / elapsed;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Timing windows per measurement: the host is shared and noisy, so each figure is the median of several. */
const WINDOWS = 5;

/**
 * Times every path in `fns` for `seconds` each, after `warmup` seconds of untimed calls each, in {@link WINDOWS}
 * interleaved windows (A B A B …) so that a burst of load elsewhere hits every path alike; per path the median
 * calls per second.
 */
async function timeInterleaved(fns: (() => Promise<unknown>)[], seconds: number, warmup: number): Promise<number[]> {
  for (const fn of fns) await callsPerSec(fn, warmup);
  const rates: number[][] = fns.map(() => []);
  for (let w = 0; w < WINDOWS; w++) for (const [i, fn] of fns.entries()) rates[i]!.push(await callsPerSec(fn, seconds / WINDOWS));
  return rates.map(median);
}

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

function printTable(title: string, rows: RawRow[], best: RawPoint): void {
  const head = ['batch', 'threads', 'OnnxEngine items/s', 'ms/batch', 'bare ort items/s', 'engine/bare'];
  const body = rows.map((r) => [String(r.batch), String(r.threads), fmt(r.itemsPerSec), r.msPerBatch.toFixed(2), fmt(r.ortItemsPerSec), Number.isFinite(r.ortItemsPerSec) ? (r.itemsPerSec / r.ortItemsPerSec).toFixed(2) : '–']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(head));
  for (const b of body) console.log(line(b));
  const threads = [...new Set(rows.map((r) => r.threads))];
  const perThreads = threads.map((n) => {
    const top = rows.filter((r) => r.threads === n).reduce((a, b) => (b.itemsPerSec > a.itemsPerSec ? b : a));
    return `${n} thread${n === 1 ? '' : 's'}: ${fmt(top.itemsPerSec)} items/s at batch ${top.batch}`;
  });
  console.log(`best per thread count — ${perThreads.join('; ')}`);
  console.log(`best: batch ${best.batch}, ${best.threads} intra-op thread${best.threads === 1 ? '' : 's'}, ${fmt(best.itemsPerSec)} items/s through OnnxEngine`);
}

/**
 * In-process ceiling of one model: for each intra-op thread count and batch size, `OnnxEngine.infer` called back to
 * back (our tensor conversion in and out included) and, for comparison, bare `session.run` on ort tensors built
 * beforehand, each for `seconds` after a warm-up (the two interleaved, median of 5 windows). Returns the best
 * configuration through `OnnxEngine`.
 */
export async function rawThroughput(modelFile: string, makeInputs: MakeInputs, opts: RawOptions = {}): Promise<RawThroughput> {
  const batches = opts.batches ?? RAW_BATCHES;
  const threads = opts.threads ?? RAW_THREADS;
  const seconds = opts.seconds ?? 1.5;
  const warmup = opts.warmupSeconds ?? 0.3;
  const compareOrt = opts.compareOrt ?? true;
  const ort = await loadOrt();
  const inputs = new Map(batches.map((b) => [b, makeInputs(b)]));
  const rows: RawRow[] = [];
  for (const n of threads) {
    const engine = await OnnxEngine.load(modelFile, { intraOpThreads: n, interOpThreads: 1 });
    // The same session options OnnxEngine uses, so the two paths differ only by the conversion.
    const session = compareOrt ? await ort.InferenceSession.create(modelFile, { intraOpNumThreads: n, interOpNumThreads: 1, graphOptimizationLevel: 'all' }) : undefined;
    try {
      for (const batch of batches) {
        const req = inputs.get(batch)!;
        const paths: (() => Promise<unknown>)[] = [() => engine.infer(req)];
        if (session) {
          const feeds = Object.fromEntries(req.map((t) => [t.name, ortTensor(ort, t)]));
          paths.push(() => session.run(feeds));
        }
        const [eng, bare] = await timeInterleaved(paths, seconds, warmup);
        rows.push({ batch, threads: n, itemsPerSec: eng! * batch, msPerBatch: 1000 / eng!, ortItemsPerSec: bare === undefined ? Number.NaN : bare * batch });
      }
    } finally {
      await engine.unload();
      await session?.release();
    }
  }
  const top = rows.reduce((a, b) => (b.itemsPerSec > a.itemsPerSec ? b : a));
  const best: RawPoint = { batch: top.batch, threads: top.threads, itemsPerSec: top.itemsPerSec };
  if (opts.title) printTable(opts.title, rows, best);
  return { ...best, rows };
}

/** Both serving models' in-process ceilings, printed. */
export async function benchServingRaw(): Promise<{ mlp: RawThroughput; titanic: RawThroughput }> {
  const mlp = await rawThroughput(MLP_MODEL, mlpInputs, { title: 'serving (raw): MLP 256→1024→1024→10, FP32, in-process onnxruntime-node' });
  const titanic = await rawThroughput(TITANIC_MODEL, titanicInputs, { title: 'serving (raw): sklearn Titanic pipeline, in-process onnxruntime-node' });
  return { mlp, titanic };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`Pitwall serving raw bench — node ${process.version}, ${new Date().toISOString()}`);
  await benchServingRaw();
}
