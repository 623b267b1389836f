import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { startBenchServer } from './harness.js';

const SIZE = Number(process.env.PITWALL_BENCH_ARTIFACT_MB ?? 1024) * 1024 * 1024;
const CHUNK = 4 * 1024 * 1024;

/** Resident set size and its peak (VmHWM) of a process, in bytes, from /proc. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Writes `SIZE` bytes of incompressible data, 4 MiB at a time. */
async function makeFile(file: string): Promise<void> {
  const block = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i += 4) block.writeUInt32LE((Math.imul(i, 2654435761) ^ 0x9e3779b9) >>> 0, i);
  async function* chunks() {
    for (let done = 0; done < SIZE; done += CHUNK) {
      block.writeUInt32LE(done / CHUNK, 0);
      yield block.subarray(0, Math.min(CHUNK, SIZE - done));
    }
  }
  await pipeline(Readable.from(chunks()), createWriteStream(file));
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

const mbps = (secs: number) => SIZE / 1024 / 1024 / secs;

/**
 * The client: curl when the machine has it (a native client, so the figures measure the server rather than Node's
 * fetch, which on two cores competes with the server for CPU), else fetch.
 */
const HAVE_CURL = spawnSync('curl', ['--version']).status === 0;

async function upload(url: string, file: string): Promise<void> {
  if (HAVE_CURL) {
    const r = spawnSync('curl', ['-sS', '--fail-with-body', '-T', file, '-H', 'content-type: application/octet-stream', url]);
    if (r.status !== 0) throw new Error(`upload: curl ${r.status} ${r.stdout} ${r.stderr}`);
    return;
  }
  const body = Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>;
  const r = await fetch(url, { method: 'PUT', body, duplex: 'half', headers: { 'content-type': 'application/octet-stream' } } as RequestInit);
  if (!r.ok) throw new Error(`upload ${r.status} ${await r.text()}`);
}

async function download(url: string, dest: string): Promise<void> {
  if (HAVE_CURL) {
    const r = spawnSync('curl', ['-sS', '--fail', '-o', dest, url]);
    if (r.status !== 0) throw new Error(`download: curl ${r.status} ${r.stderr}`);
    return;
  }
  const r = await fetch(url);
  if (!r.ok || !r.body) throw new Error(`download ${r.status}`);
  await pipeline(Readable.fromWeb(r.body as import('node:stream/web').ReadableStream), createWriteStream(dest));
}

/**
 * Uploads then downloads one large file through the MLflow artifact proxy of a real server on the local store, and
 * compares with copying the same bytes on the same disk: a streaming read → write copy (what the server itself has
 * to do at best) and `copyFile` (which the kernel may do without user space). Also reports how much the server's
 * peak RSS grew.
 */
export async function benchArtifacts(): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-bench-art-'));
  const src = path.join(dir, 'source.bin');
  const server = await startBenchServer();
  try {
    await makeFile(src);
    const streamCopy = await timed(() => pipeline(createReadStream(src, { highWaterMark: 1 << 20 }), createWriteStream(path.join(dir, 'copy1.bin'))));
    rmSync(path.join(dir, 'copy1.bin'));
    const kernelCopy = await timed(() => copyFile(src, path.join(dir, 'copy2.bin')));
    rmSync(path.join(dir, 'copy2.bin'));

    const url = `${server.url}/api/2.0/mlflow-artifacts/artifacts/bench/big.bin`;
    // Warm the route up so JIT and first-request costs stay out of the figures.
    await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/bench/warm.bin`, { method: 'PUT', body: 'warm' });
    const before = memoryOf(server.child.pid!);
    const up = await timed(() => upload(url, src));
    const afterUp = memoryOf(server.child.pid!);
    const dest = path.join(dir, 'download.bin');
    const down = await timed(() => download(url, dest));
    const afterDown = memoryOf(server.child.pid!);
    if (statSync(dest).size !== SIZE) throw new Error(`downloaded ${statSync(dest).size} bytes, expected ${SIZE}`);
    const growth = Math.max(afterUp.peak, afterDown.peak) - before.peak;
    const gib = (SIZE / 1024 ** 3).toFixed(2);
    console.log(`artifacts: client ${HAVE_CURL ? 'curl' : 'fetch'}; the server fsyncs each upload before answering, the copies do not`);
    console.log(`artifacts: ${gib} GiB — stream copy ${mbps(streamCopy).toFixed(0)} MB/s, copyFile ${mbps(kernelCopy).toFixed(0)} MB/s`);
    console.log(`artifacts: HTTP upload   ${mbps(up).toFixed(0)} MB/s (ratio ${(streamCopy / up).toFixed(2)} to the stream copy, ${(kernelCopy / up).toFixed(2)} to copyFile) — goal ≥ 0.5`);
    console.log(`artifacts: HTTP download ${mbps(down).toFixed(0)} MB/s (ratio ${(streamCopy / down).toFixed(2)} to the stream copy, ${(kernelCopy / down).toFixed(2)} to copyFile) — goal ≥ 0.5`);
    console.log(`artifacts: server peak RSS grew by ${(growth / 1024 / 1024).toFixed(1)} MB (RSS before ${(before.rss / 1024 / 1024).toFixed(0)} MB) — goal < 100 MB`);
    return { up: streamCopy / up, down: streamCopy / down, rssGrowthMb: growth / 1024 / 1024 };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchArtifacts();
