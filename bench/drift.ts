// Drift benchmark (issue 8): 20 numerical columns, 1,000,000 reference and 1,000,000 current rows, the full report
// with the automatic tests, against bench/drift_scipy.py running Evidently's same tests with SciPy on the same data
// in the same run. Peak memory of both is printed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Column, Dataset } from '../src/drift/dataset.js';
import { driftReport } from '../src/drift/report.js';
import { mulberry32 } from '../src/core/prng.js';

const COLUMNS = 20;
const ROWS = 1_000_000;


/** Normal values by Box–Muller; every fourth column of the current data is shifted by a quarter of a standard deviation. */
function column(i: number, side: 'ref' | 'cur'): Float64Array {
  const r = mulberry32(i * 2 + (side === 'ref' ? 1 : 2));
  const shift = side === 'cur' && i % 4 === 0 ? 0.25 : 0;
  const xs = new Float64Array(ROWS);
  for (let k = 0; k < ROWS; k++) xs[k] = 10 * i + shift + Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return xs;
}

const asColumn = (name: string, numbers: Float64Array): Column => ({ name, numbers, strings: undefined, vectors: undefined, integral: false, missing: 0, length: numbers.length });

export async function benchDrift(): Promise<void> {
  console.log(`\ndrift: ${COLUMNS} numerical columns, ${ROWS.toLocaleString('en-US')} reference and ${ROWS.toLocaleString('en-US')} current rows, automatic tests`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-bench-drift-'));
  try {
    const names = Array.from({ length: COLUMNS }, (_, i) => `x${i}`);
    const ref: Column[] = [];
    const cur: Column[] = [];
    for (const [i, name] of names.entries()) {
      const a = column(i, 'ref');
      const b = column(i, 'cur');
      writeFileSync(path.join(dir, `${name}.ref.f64`), a);
      writeFileSync(path.join(dir, `${name}.cur.f64`), b);
      ref.push(asColumn(name, a));
      cur.push(asColumn(name, b));
    }
    writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ columns: names }));
    const reference: Dataset = { rows: ROWS, columns: ref };
    const current: Dataset = { rows: ROWS, columns: cur };

    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t = performance.now();
    const report = await driftReport(reference, current);
    const seconds = (performance.now() - t) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    const py = JSON.parse(execFileSync('python3', [path.join(import.meta.dirname, 'drift_scipy.py'), dir], { encoding: 'utf8', maxBuffer: 1 << 24 })) as { seconds: number; peak_rss_bytes: number; scores: Record<string, number> };
    const worst = Math.max(...report.columns.map((c) => Math.abs(c.score! - py.scores[c.column]!) / Math.max(1e-12, Math.abs(py.scores[c.column]!))));
    const mb = (b: number) => `${Math.round(b / 1024 / 1024).toLocaleString('en-US')} MB`;
    console.log(`  Pitwall: ${seconds.toFixed(2)} s (${report.columns[0]!.test} on every column; ${report.drifted} of ${report.tested} drifted), peak RSS ${mb(peak)} (${mb(rssBefore)} with the data loaded)`);
    console.log(`  SciPy:   ${py.seconds.toFixed(2)} s, peak RSS ${mb(py.peak_rss_bytes)}`);
    console.log(`  Pitwall / SciPy: ${(seconds / py.seconds).toFixed(2)}× the time (goal ≤ 1.0); largest relative difference of a score ${worst.toExponential(1)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDrift();
