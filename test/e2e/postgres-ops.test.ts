import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { after, describe, it } from 'node:test';
import { PitwallClient } from '../../src/sdk/index.js';
import { ADMIN_URL, createTestDatabase, dropAll, type TestDatabase } from '../../src/store/postgres/testing/pg-test-db.js';
import { api, type PitwallProcess, startPitwall } from './pitwall-process.js';

/** A TCP relay to the real PostgreSQL that the test can cut and restore, to play a database outage. */
class Relay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  async up(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(5432, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describe('pitwall server on PostgreSQL: outages and replicas', () => {
  const dbs: TestDatabase[] = [];
  const servers: PitwallProcess[] = [];
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'pitwall-pg-ops-'));
    dirs.push(d);
    return d;
  };
  after(async () => {
    for (const s of servers) await s.stop();
    await dropAll(dbs);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while the database is unreachable, then recovers without restart, losing nothing', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const relay = new Relay();
    await relay.up();
    const uri = new URL(db.uri);
    uri.port = String(relay.port);
    const server = await startPitwall(tmp(), ['--store', uri.toString()]);
    servers.push(server);
    const created = await api<{ experiment_id: string }>(server.url, 'POST', 'experiments/create', { name: 'before-outage' });
    assert.equal(created.status, 200);

    await relay.down();
    const res = await fetch(`${server.url}/api/2.0/mlflow/experiments/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'during-outage' }) });
    const body = (await res.json()) as { error_code: string; message: string };
    assert.equal(res.status, 503, JSON.stringify(body));
    assert.equal(body.error_code, 'TEMPORARILY_UNAVAILABLE');
    assert.match(body.message, /metadata database is unavailable/);
    assert.equal(res.headers.get('retry-after'), '2');
    assert.doesNotMatch(body.message, /127\.0\.0\.1|postgres:\/\//, 'no connection details leak to clients');

    await relay.up();
    const got = await api<{ experiment: { name: string } }>(server.url, 'GET', `experiments/get?experiment_id=${created.json.experiment_id}`);
    assert.equal(got.status, 200);
    assert.equal(got.json.experiment.name, 'before-outage');
    const again = await api(server.url, 'POST', 'experiments/create', { name: 'after-outage' });
    assert.equal(again.status, 200);
    await relay.down();
    await server.stop();
  });

  it('SIGTERM with a request in flight: the request is answered and the process exits 0 at once after it', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const server = await startPitwall(tmp(), ['--store', db.uri]);
    servers.push(server);
    assert.equal((await api(server.url, 'POST', 'registered-models/create', { name: 'm' })).status, 200);
    // Hold the model row so that an alias request stays in flight until we let go.
    const locker = new pg.Client({ connectionString: db.uri });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query("SELECT * FROM registered_models WHERE name = 'm' FOR UPDATE");
    const inFlight = api(server.url, 'POST', 'registered-models/alias', { name: 'm', alias: 'a', version: '1' });
    await new Promise((r) => setTimeout(r, 300));
    const exited = server.stop();
    await new Promise((r) => setTimeout(r, 700));
    const released = Date.now();
    await locker.query('COMMIT');
    await locker.end();
    const answer = await inFlight;
    assert.equal(answer.status, 404, 'the in-flight request got its real answer (no version 1 exists)');
    assert.equal(await exited, 0);
    assert.ok(Date.now() - released < 5000, `exited ${Date.now() - released} ms after the last request finished`);
  });

  it('a replica streams, within a second, an alias move made through another replica', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const artifacts = tmp();
    const a = await startPitwall(tmp(), ['--store', db.uri, '--artifacts', artifacts]);
    const b = await startPitwall(tmp(), ['--store', db.uri, '--artifacts', artifacts]);
    servers.push(a, b);
    const ca = new PitwallClient({ baseUrl: a.url });
    const cb = new PitwallClient({ baseUrl: b.url });
    await ca.registry.createModel('fraud');
    for (let i = 0; i < 2; i++) {
      await ca.artifacts.upload(`models/fraud/${i}/model.bin`, new Uint8Array([i]));
      await ca.registry.createVersion({ name: 'fraud', source: `mlflow-artifacts:/models/fraud/${i}` });
    }
    const ctl = new AbortController();
    const stream = await cb.events.open({ entities: ['alias'], signal: ctl.signal });
    for (const v of [1, 2]) {
      const t0 = Date.now();
      await ca.registry.setAlias('fraud', 'champion', v);
      const next = await Promise.race([stream.events.next(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no event within 1 s')), 1000))]);
      const ms = Date.now() - t0;
      assert.equal(next.done, false);
      assert.deepEqual([next.value!.name, next.value!.alias, next.value!.version], ['fraud', 'champion', String(v)]);
      assert.ok(ms < 1000, `heard after ${ms} ms`);
      assert.equal((await cb.registry.getVersionByAlias('fraud', 'champion')).version, String(v), 'replica B reads the new target');
    }
    // The replicas' listening connections drop: B's stream, filtered to aliases, still hears `resync`.
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'pitwall-listen'", [db.name]);
    } finally {
      await admin.end();
    }
    const resync = await Promise.race([stream.events.next(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no resync within 5 s')), 5000))]);
    assert.equal(resync.value?.entity, 'resync');
    ctl.abort();
  });
});
