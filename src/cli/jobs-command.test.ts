import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type BaseJobQueue, createJobQueue, enqueueProbe } from '../jobs/index.js';
import { type RunningServer, startServer } from '../server.js';
import type { CliIo } from './io.js';
import { run } from './main.js';

function recorder(url: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s), env: { PITWALL_TRACKING_URI: url } };
}

describe('pitwall jobs (in process, against a real server)', () => {
  let dir: string;
  let server: RunningServer;
  let queue: BaseJobQueue;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-cli-jobs-'));
    server = await startServer({ dataDir: dir, server: { port: 0 }, log: { level: 'error' } }, { handleSignals: false, quiet: true });
    queue = createJobQueue(server.store, { clientOnly: true });
    await queue.start();
  });
  after(async () => {
    await queue.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists, shows and cancels jobs', async () => {
    const done = await enqueueProbe(queue);
    for (let i = 0; i < 100 && (await queue.get(done)).state !== 'completed'; i++) await new Promise((r) => setTimeout(r, 25));
    const later = await queue.enqueue('test.later', { n: 1 }, { startAfter: 3600, key: 'k1' });

    let io = recorder(server.url);
    assert.equal(await run(['jobs', 'list'], io), 0, io.stderr.join('\n'));
    const table = io.stdout.join('\n');
    assert.match(table, /ID\s+NAME\s+STATE\s+ATTEMPTS/);
    assert.match(table, new RegExp(`${done}\\s+pitwall\\.probe\\s+completed\\s+1/3`));
    assert.match(table, new RegExp(`${later}\\s+test\\.later\\s+created\\s+0/3`));

    io = recorder(server.url);
    assert.equal(await run(['jobs', 'list', '--state', 'created', '--json'], io), 0);
    assert.deepEqual(JSON.parse(io.stdout.join('\n')).jobs.map((j: { id: string }) => j.id), [later]);

    io = recorder(server.url);
    assert.equal(await run(['jobs', 'show', done], io), 0);
    assert.match(io.stdout.join('\n'), /state\s+completed/);
    assert.match(io.stdout.join('\n'), new RegExp(`output\\s+\\{.*"pid":${process.pid}`));

    io = recorder(server.url);
    assert.equal(await run(['jobs', 'cancel', later], io), 0);
    assert.equal(io.stdout[0], `Cancelled job ${later} (test.later).`);
    assert.equal((await queue.get(later)).state, 'cancelled');

    io = recorder(server.url);
    assert.equal(await run(['jobs', 'cancel', done], io), 1);
    assert.match(io.stderr[0]!, /RESOURCE_CONFLICT: Job .* is already completed/);
    io = recorder(server.url);
    assert.equal(await run(['jobs', 'show', '00000000-0000-4000-8000-000000000000'], io), 1);
    assert.match(io.stderr[0]!, /RESOURCE_DOES_NOT_EXIST/);
  });

  it('refuses bad usage with exit code 2', async () => {
    for (const argv of [['jobs', 'list', '--state', 'running'], ['jobs', 'show'], ['jobs', 'frob'], ['worker', '--concurrency', '0'], ['worker', 'extra']]) {
      const io = recorder(server.url);
      assert.equal(await run(argv, io), 2, argv.join(' '));
    }
    const io = recorder(server.url);
    assert.equal(await run(['worker', '--help'], io), 0);
    assert.match(io.stdout.join('\n'), /Usage: pitwall worker/);
  });
});
