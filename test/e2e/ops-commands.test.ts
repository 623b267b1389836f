import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createTestDatabase, dropAll, type TestDatabase } from '../../src/store/postgres/testing/pg-test-db.js';
import { pitwall, startPitwall } from './pitwall-process.js';

describe('pitwall migrate and pitwall doctor', () => {
  const dbs: TestDatabase[] = [];
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'pitwall-ops-'));
    dirs.push(d);
    return d;
  };
  after(async () => {
    await dropAll(dbs);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('on an empty PostgreSQL database: doctor warns of pending migrations, migrate applies them once, doctor is then happy', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const dataDir = tmp();
    const before = await pitwall(['doctor', '--store', db.uri, '--data-dir', dataDir, '--wait-worker', '0']);
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, /WARN\s+store\s+.*PostgreSQL \d+.*lacks \d+ migrations: 0001_tracking/);
    assert.match(before.stdout, /Run `pitwall migrate`/);
    assert.match(before.stdout, /ok\s+artifacts\s+.*write, read and delete work/);

    const first = await pitwall(['migrate', '--store', db.uri]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^applied 0001_tracking\napplied 0002_registry\n/);
    const again = await pitwall(['migrate', '--store', db.uri, '--json']);
    assert.equal(again.code, 0, again.stderr);
    const j = JSON.parse(again.stdout) as { applied: string[]; current: string; server: string };
    assert.deepEqual(j.applied, []);
    assert.match(j.server, /^PostgreSQL \d+/);

    const after = await pitwall(['doctor', '--store', db.uri, '--data-dir', dataDir, '--wait-worker', '0', '--json']);
    assert.equal(after.code, 0, after.stderr);
    const report = JSON.parse(after.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    assert.equal(report.ok, true);
    assert.equal(report.checks.find((c) => c.name === 'store')?.status, 'ok');
    assert.equal(report.checks.find((c) => c.name === 'jobs')?.status, 'ok');

    // Nobody consumes the queue yet: a warning that says what to start. Then a server (jobs in-process) takes the probe.
    const idle = await pitwall(['doctor', '--store', db.uri, '--data-dir', dataDir, '--wait-worker', '1']);
    assert.equal(idle.code, 0, idle.stderr);
    assert.match(idle.stdout, /WARN\s+workers\s+no worker took a probe job within 1 s/);
    assert.match(idle.stdout, /Start `pitwall worker`/);
    const server = await startPitwall(tmp(), ['--store', db.uri]);
    try {
      const busy = await pitwall(['doctor', '--store', db.uri, '--data-dir', dataDir, '--wait-worker', '20']);
      assert.equal(busy.code, 0, busy.stderr);
      assert.match(busy.stdout, /ok\s+workers\s+a worker \(.+:\d+\) ran a probe job \d+ ms after it was queued/);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('explains an unreachable server and a missing database in words, exits 1, and never prints the password', async () => {
    const dataDir = tmp();
    const down = await pitwall(['doctor', '--store', 'postgres://pitwall:s3cret@127.0.0.1:9/x', '--data-dir', dataDir, '--wait-worker', '0']);
    assert.equal(down.code, 1);
    assert.match(down.stdout, /FAIL\s+store\s+.*nothing is listening there — is PostgreSQL running/);
    assert.doesNotMatch(down.stdout + down.stderr, /s3cret/);
    assert.match(down.stderr, /1 check failed: store/);

    const missing = await pitwall(['migrate', '--store', 'postgres://postgres@127.0.0.1:5432/pitwall_no_such_db']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /that database does not exist — create it first/);
    assert.doesNotMatch(missing.stderr, /at .*\.js:\d+/, 'no stack trace');

    const server = await pitwall(['server', '--port', '0', '--store', 'postgres://pitwall:s3cret@127.0.0.1:9/x', '--data-dir', dataDir]);
    assert.equal(server.code, 1);
    assert.match(server.stderr, /Cannot open the store postgres:\/\/pitwall:\*\*\*@127\.0\.0\.1:9\/x: nothing is listening there/);
    assert.doesNotMatch(server.stdout + server.stderr, /s3cret/);
  });

  it('on the embedded default: no database yet is a warning; after migrate the SQLite store is current', async () => {
    const dataDir = tmp();
    const before = await pitwall(['doctor', '--data-dir', dataDir, '--wait-worker', '0']);
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, /WARN\s+store\s+sqlite:.*no database there yet/);
    const m = await pitwall(['migrate', '--data-dir', dataDir]);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /SQLite 3\.\d+/);
    const afterwards = await pitwall(['doctor', '--data-dir', dataDir, '--wait-worker', '0']);
    assert.match(afterwards.stdout, /ok\s+store\s+sqlite:.*schema current/);
  });
});
