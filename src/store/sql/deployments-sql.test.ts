import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_DEPLOYMENT_CONFIG } from '../deployment-types.js';
import { SqliteAdapter } from '../sqlite/sqlite-adapter.js';
import { SqlStore } from './sql-store.js';

// What the conformance suite cannot reach through the contract: rows written by older builds, a failing feed.
const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-deployments-sql-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open = () => SqlStore.open(new SqliteAdapter({ file: path.join(dir, `d${n++}.db`), synchronous: 'NORMAL' }), { defaultArtifactRoot: 'mlflow-artifacts:/' });

describe('SqlDeploymentStore', () => {
  it('reads a row whose config lacks fields (written by an older build) with those fields at their defaults', async () => {
    const store = await open();
    try {
      await store.db
        .insertInto('deployments')
        .values({ name: 'old', description: '', targets: '[{"model":"m","version":"1","weight":1}]', config: '{"maxBatchSize":4}', created_at: 1, updated_at: 2, revision: 5 })
        .execute();
      const d = await store.deployments.get('old');
      assert.deepEqual(d.config, { ...DEFAULT_DEPLOYMENT_CONFIG, maxBatchSize: 4 });
      assert.deepEqual(d.targets, [{ model: 'm', version: '1', weight: 1 }]);
      assert.deepEqual([d.createdAt, d.updatedAt, d.revision], [1, 2, 5]);
      const u = await store.deployments.update('old', { description: 'x' }, 5);
      assert.equal(u.revision, 6);
      assert.deepEqual(u.config, d.config);
    } finally {
      await store.close();
    }
  });

  it('keeps a committed write when publishing its change fails', async () => {
    const store = await open();
    try {
      store.changes.publish = () => Promise.reject(new Error('feed down'));
      const cfg = { ...DEFAULT_DEPLOYMENT_CONFIG };
      await store.deployments.create({ name: 'd', description: '', targets: [], config: cfg });
      assert.equal((await store.deployments.update('d', { description: 'x' })).revision, 2);
      assert.equal((await store.deployments.get('d')).description, 'x');
      await store.deployments.delete('d');
      assert.deepEqual((await store.deployments.list({ maxResults: 10, offset: 0 })).items, []);
    } finally {
      await store.close();
    }
  });
});
