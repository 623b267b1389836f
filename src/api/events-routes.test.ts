import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PitwallClient } from '../sdk/index.js';
import type { ChangeEvent } from '../sdk/index.js';
import { ApiHarness } from './testing/api-harness.js';

describe('GET /api/v1/events (Server-Sent Events)', () => {
  let h: ApiHarness;
  let client: PitwallClient;
  before(async () => {
    h = await ApiHarness.start();
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = h.app.server.address() as { port: number };
    client = new PitwallClient({ baseUrl: `http://127.0.0.1:${addr.port}` });
  });
  after(() => h.close());

  async function take(events: AsyncGenerator<ChangeEvent>, n: number): Promise<ChangeEvent[]> {
    const out: ChangeEvent[] = [];
    while (out.length < n) {
      const r = await events.next();
      if (r.done) break;
      out.push(r.value);
    }
    return out;
  }

  it('streams registry changes made after the subscription, filtered by entity, as JSON', async () => {
    const ctl = new AbortController();
    const all = await client.events.open({ signal: ctl.signal });
    const aliases = await client.events.open({ entities: ['alias'], signal: ctl.signal });
    await client.registry.createModel('streamed');
    await h.store.registry.createVersion({ name: 'streamed', source: 's', storageLocation: 's' });
    await client.registry.setAlias('streamed', 'champion', 1);
    const got = await take(all.events, 3);
    assert.deepEqual(got.map((e) => [e.entity, e.action, e.name, e.version]), [
      ['registered_model', 'created', 'streamed', undefined],
      ['model_version', 'created', 'streamed', '1'],
      ['alias', 'set', 'streamed', '1'],
    ]);
    const [a] = await take(aliases.events, 1);
    assert.equal(a!.entity, 'alias');
    assert.equal(a!.alias, 'champion');
    assert.equal(typeof a!.at, 'number');
    assert.equal(typeof a!.origin, 'string');
    ctl.abort();
  });

  it('names the renamed model in new_name', async () => {
    const ctl = new AbortController();
    const s = await client.events.open({ entities: ['registered_model'], signal: ctl.signal });
    await client.registry.createModel('old-name');
    await client.registry.renameModel('old-name', 'new-name');
    const got = await take(s.events, 2);
    assert.deepEqual(got.map((e) => [e.action, e.name, e.new_name]), [['created', 'old-name', undefined], ['renamed', 'old-name', 'new-name']]);
    ctl.abort();
  });

  it('refuses an unknown entity with a 400 naming the field', async () => {
    const r = await h.request('GET', '/api/v1/events?entities=alias,deployments');
    assert.equal(r.status, 400);
    assert.equal(r.json.error_code, 'INVALID_PARAMETER_VALUE');
    assert.equal(r.json.field, 'entities');
    assert.match(r.json.message, /deployments/);
  });

  it('ends open streams when the server closes, so shutdown does not hang', async () => {
    const other = await ApiHarness.start();
    await other.app.listen({ host: '127.0.0.1', port: 0 });
    const c = new PitwallClient({ baseUrl: `http://127.0.0.1:${(other.app.server.address() as { port: number }).port}` });
    const s = await c.events.open();
    const t0 = Date.now();
    await other.close();
    assert.ok(Date.now() - t0 < 3000, `close took ${Date.now() - t0} ms`);
    assert.equal((await s.events.next()).done, true, 'the stream ended');
  });
});
