import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/index.js';
import { AppError } from '../core/errors/index.js';

describe('config: jobs', () => {
  it('runs a worker in the server by default, with a 30 s lease', () => {
    assert.deepEqual(loadConfig({}, {}).jobs, { inServer: true, leaseSeconds: 30 });
  });

  it('reads PITWALL_JOBS_IN_SERVER and PITWALL_JOBS_LEASE_SECONDS; flags win', () => {
    assert.deepEqual(loadConfig({}, { PITWALL_JOBS_IN_SERVER: 'false', PITWALL_JOBS_LEASE_SECONDS: '5' }).jobs, { inServer: false, leaseSeconds: 5 });
    assert.equal(loadConfig({ jobs: { inServer: true } }, { PITWALL_JOBS_IN_SERVER: '0' }).jobs.inServer, true);
  });

  it('refuses values that are not a boolean or a lease of 1-3600 s, naming the setting', () => {
    const refused = (f: () => unknown, field: string) =>
      assert.throws(f, (e: unknown) => e instanceof AppError && e.code === 'INVALID_PARAMETER_VALUE' && e.field === field);
    refused(() => loadConfig({}, { PITWALL_JOBS_IN_SERVER: 'maybe' }), 'PITWALL_JOBS_IN_SERVER');
    refused(() => loadConfig({}, { PITWALL_JOBS_LEASE_SECONDS: '0' }), 'jobs.leaseSeconds');
    refused(() => loadConfig({ jobs: { leaseSeconds: 1.5 } }, {}), 'jobs.leaseSeconds');
    refused(() => loadConfig({ jobs: { workers: 3 } as never }, {}), 'jobs.workers');
  });
});
