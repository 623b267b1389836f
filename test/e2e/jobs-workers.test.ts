// Two `pitwall worker` processes on one PostgreSQL database: a probe job is taken by one of them, that worker is
// killed with SIGKILL mid-job, and the other one retries and completes it once the dead worker's lease runs out.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { type BaseJobQueue, createJobQueue, enqueueProbe, type JobStatus } from '../../src/jobs/index.js';
import { createStore, type SqlStore } from '../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/store/postgres/testing/pg-test-db.js';
import { BIN } from './pitwall-process.js';

const LEASE_SECONDS = 3;

interface Worker {
  pid: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `pitwall worker` and resolves once it says it consumes the queue. */
async function startWorker(storeUri: string): Promise<Worker> {
  const child = spawn(process.execPath, [BIN, 'worker', '--store', storeUri], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PITWALL_JOBS_LEASE_SECONDS: String(LEASE_SECONDS) },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pitwall worker did not start within 20 s: ${out}`)), 20_000);
    const onData = () => {
      if (/Pitwall worker \d+ consuming pitwall\.probe, pitwall\.drift-monitor on postgres:\/\//.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`pitwall worker exited with ${code}: ${out}`));
    });
  });
  return { pid: child.pid!, child, output: () => out, exited };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('pitwall worker processes on PostgreSQL', { timeout: 90_000 }, () => {
  let db: TestDatabase;
  let store: SqlStore;
  let queue: BaseJobQueue;
  const workers: Worker[] = [];

  before(async () => {
    db = await createTestDatabase('pitwall_e2e_jobs');
    // One after the other: the first creates pg-boss's schema.
    workers.push(await startWorker(db.uri));
    workers.push(await startWorker(db.uri));
    store = await createStore({ uri: db.uri, sqliteSynchronous: 'NORMAL', postgresPoolSize: 2 }, { defaultArtifactRoot: 'mlflow-artifacts:/' });
    queue = createJobQueue(store, { clientOnly: true });
    await queue.start();
  });

  after(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await queue?.stop();
    await store?.close();
    await db?.drop();
  });

  it('retries the job of a worker killed mid-job on the other worker', async () => {
    const id = await enqueueProbe(queue, 4000);
    const running = await waitFor('a worker to take the probe', async () => {
      const s = await queue.get(id);
      return s.state === 'active' && s.worker ? s : undefined;
    }, 15_000);
    assert.equal(running.attempts, 1);
    const pid = Number(running.worker!.split(':').pop());
    const victim = workers.find((w) => w.pid === pid);
    assert.ok(victim, `the job's worker ${running.worker} is one of ours (${workers.map((w) => w.pid).join(', ')})`);
    const survivor = workers.find((w) => w !== victim)!;

    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    assert.equal((await victim.exited).signal, 'SIGKILL');

    const done: JobStatus = await waitFor('the survivor to complete the probe', async () => {
      const s = await queue.get(id);
      return s.state === 'completed' ? s : undefined;
    }, 30_000);
    const recoveredMs = Date.now() - killedAt;
    assert.equal((done.output as { pid: number }).pid, survivor.pid, 'the other worker completed it');
    assert.equal(done.attempts, 2, 'the killed attempt counts');
    // The lease runs out within LEASE_SECONDS of the kill, maintenance runs every LEASE_SECONDS/3, the probe holds 4 s.
    assert.ok(recoveredMs < (LEASE_SECONDS + 2) * 1000 + 4000 + 3000, `completed ${recoveredMs} ms after the kill`);
    assert.match(victim.output(), new RegExp(`job ${id} pitwall\\.probe attempt 1 started`));
    assert.doesNotMatch(survivor.output(), new RegExp(`job ${id} pitwall\\.probe attempt 1 started`), 'the survivor never ran the first attempt: one worker per attempt');
    assert.match(survivor.output(), new RegExp(`job ${id} pitwall\\.probe attempt 1 failed \\(will retry\\): the worker stopped renewing its lease`), 'the survivor found the abandoned lease');
    assert.match(survivor.output(), new RegExp(`job ${id} pitwall\\.probe attempt 2 completed`));
  });

  it('stops gracefully on SIGTERM with exit code 0', async () => {
    const survivor = workers.find((w) => w.child.exitCode === null && w.child.signalCode === null)!;
    survivor.child.kill('SIGTERM');
    const { code } = await survivor.exited;
    assert.equal(code, 0, survivor.output());
    assert.match(survivor.output(), /Pitwall worker stopped/);
  });
});
